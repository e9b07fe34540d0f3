package com.example.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class WeakHash03 {
    private final Map<String, String> clientsByKeyHash;

    public WeakHash03(Map<String, String> clientsByKeyHash) {
        this.clientsByKeyHash = clientsByKeyHash;
    }

    @GetMapping("/api/whoami")
    public ResponseEntity<String> whoami(
            @RequestHeader("X-Api-Key") String apiKey) throws Exception {
        byte[] keyBytes = apiKey.getBytes(StandardCharsets.UTF_8);
        byte[] fingerprint = MessageDigest.getInstance("SHA-1").digest(keyBytes);
        String client = clientsByKeyHash.get(HexFormat.of().formatHex(fingerprint));
        return client == null ? ResponseEntity.status(401).build() : ResponseEntity.ok(client);
    }
}
