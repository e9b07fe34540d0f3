// Test target for weak-hash.yaml.
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.commons.codec.digest.DigestUtils;

public class Hashes {
    byte[] hashPassword(String password) throws NoSuchAlgorithmException {
        // ruleid: bastion.java.weak-hash
        MessageDigest digest = MessageDigest.getInstance("MD5");
        return digest.digest(password.getBytes(StandardCharsets.UTF_8));
    }

    String storeCredentials(String user, String password) {
        // ruleid: bastion.java.weak-hash
        return user + ":" + DigestUtils.sha1Hex(password);
    }

    byte[] strongPassword(String password) throws NoSuchAlgorithmException {
        // ok: bastion.java.weak-hash
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        return digest.digest(password.getBytes(StandardCharsets.UTF_8));
    }

    String etag(byte[] body) {
        // ok: bastion.java.weak-hash
        return DigestUtils.md5Hex(body);
    }
}
