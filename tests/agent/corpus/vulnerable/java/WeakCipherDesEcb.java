package com.acme.payments.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;

public final class WeakCipherDesEcb {

    private final SecretKey key;

    public WeakCipherDesEcb(SecretKey key) {
        this.key = key;
    }

    public String encryptAccountNumber(String accountNumber) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("DES/ECB/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, key);
        byte[] encrypted = cipher.doFinal(accountNumber.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(encrypted);
    }

    public static String lastFour(String accountNumber) {
        return accountNumber.substring(Math.max(0, accountNumber.length() - 4));
    }
}
