// Test target for weak-cryptography.yaml.
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.digest.DigestUtils;

public class CryptoUtil {
    byte[] hashPassword(String password) throws Exception {
        // MD5 of a password is the weak-hash rule's (CWE-328); this rule is about ciphers.
        // ok: bastion.java.weak-cryptography.cipher
        MessageDigest digest = MessageDigest.getInstance("MD5");
        return digest.digest(password.getBytes(StandardCharsets.UTF_8));
    }

    String fingerprint(byte[] data) throws Exception {
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(data);
        String hex = DigestUtils.md5Hex(data);
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(data);
        String strong = DigestUtils.sha256Hex(data);
        return hex + sha1.length + sha256.length + strong;
    }

    byte[] encryptLegacy(byte[] key, byte[] data) throws Exception {
        // ruleid: bastion.java.weak-cryptography.cipher
        Cipher des = Cipher.getInstance("DES/CBC/PKCS5Padding");
        // ruleid: bastion.java.weak-cryptography.cipher
        Cipher aesDefault = Cipher.getInstance("AES");
        // ruleid: bastion.java.weak-cryptography.cipher
        Cipher ecb = Cipher.getInstance("AES/ECB/PKCS5Padding");
        // ruleid: bastion.java.weak-cryptography.cipher
        SecretKeySpec rc4 = new SecretKeySpec(key, "RC4");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        return ecb.doFinal(data);
    }

    byte[] encryptModern(SecretKey key, byte[] data) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        // ok: bastion.java.weak-cryptography.cipher
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        // ok: bastion.java.weak-cryptography.cipher
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        // ok: bastion.java.weak-cryptography.cipher
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        return gcm.doFinal(data);
    }
}
