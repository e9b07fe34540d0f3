package com.acme.developer.keys;

import java.math.BigInteger;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Service;

@Service
public class InsecureRandomApiKey {

    private static final String PREFIX = "ak_";

    private final ApiKeyRepository repository;

    public InsecureRandomApiKey(ApiKeyRepository repository) {
        this.repository = repository;
    }

    public String issue(long ownerId) {
        String key = PREFIX + new BigInteger(160, ThreadLocalRandom.current()).toString(36);
        repository.save(ownerId, key, Instant.now());
        return key;
    }

    public boolean looksLikeKey(String candidate) {
        return candidate != null && candidate.startsWith(PREFIX) && candidate.length() > PREFIX.length() + 20;
    }
}
