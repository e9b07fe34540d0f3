package com.example.accounts;

import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class WeakHash02 {
    private final SecureRandom random = new SecureRandom();

    @PostMapping("/accounts/password")
    public String setPassword(@RequestParam("password") String password) throws Exception {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        KeySpec spec = new PBEKeySpec(password.toCharArray(), salt, 310000, 256);
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        Base64.Encoder encoder = Base64.getEncoder();
        return encoder.encodeToString(salt).length() + ":" + encoder.encodeToString(hash).length();
    }
}
