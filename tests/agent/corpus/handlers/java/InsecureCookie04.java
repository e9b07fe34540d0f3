package com.example.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class InsecureCookie04 {
    private final SecureRandom random = new SecureRandom();

    @PostMapping("/auth/refresh")
    public ResponseEntity<Void> refresh() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        ResponseCookie cookie = ResponseCookie.from("refresh_token", HexFormat.of().formatHex(bytes))
                .secure(true)
                .httpOnly(true)
                .sameSite("Strict")
                .maxAge(Duration.ofDays(7))
                .build();
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, cookie.toString()).build();
    }
}
