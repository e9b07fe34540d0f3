package com.acme.accounts.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.stereotype.Service;

@Service
public class WeakHashMd5Password {

    private final UserRepository users;

    public WeakHashMd5Password(UserRepository users) {
        this.users = users;
    }

    public void changePassword(long userId, String newPassword) {
        users.updatePasswordHash(userId, digest(newPassword));
    }

    public boolean matches(long userId, String candidate) {
        return MessageDigest.isEqual(
            users.passwordHash(userId).getBytes(StandardCharsets.US_ASCII),
            digest(candidate).getBytes(StandardCharsets.US_ASCII));
    }

    private static String digest(String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md.digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
