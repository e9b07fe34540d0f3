package com.example.accounts;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class InsecureRandomness01 {
    private final Random random = new Random();
    private final Map<String, String> resetTokens = new ConcurrentHashMap<>();

    private String newResetToken() {
        String token = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        return token;
    }

    @PostMapping("/password/reset-request")
    public ResponseEntity<Void> requestReset(@RequestParam String email) {
        resetTokens.put(newResetToken(), email.toLowerCase());
        return ResponseEntity.accepted().build();
    }
}
