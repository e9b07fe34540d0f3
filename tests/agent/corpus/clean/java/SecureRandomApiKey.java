package com.acme.developer.keys;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.springframework.stereotype.Service;

@Service
public class SecureRandomApiKey {

    private static final String PREFIX = "ak_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiKeyRepository repository;

    public SecureRandomApiKey(ApiKeyRepository repository) {
        this.repository = repository;
    }

    public String issue(long ownerId) {
        byte[] bytes = new byte[30];
        RANDOM.nextBytes(bytes);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        repository.save(ownerId, key, Instant.now());
        return key;
    }
}
