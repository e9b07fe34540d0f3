// Test target for insecure-randomness.yaml.
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.lang3.RandomStringUtils;

public class TokenService {
    private static final Random RANDOM = new Random();
    private static final SecureRandom SECURE_RANDOM = new SecureRandom();

    public String generateResetToken() {
        // ruleid: bastion.java.insecure-randomness
        return Long.toHexString(RANDOM.nextLong());
    }

    public String createUser(String name) {
        // ruleid: bastion.java.insecure-randomness
        String temporaryPassword = RandomStringUtils.randomAlphanumeric(12);
        // ruleid: bastion.java.insecure-randomness
        int otpCode = ThreadLocalRandom.current().nextInt(100000, 1000000);
        // ruleid: bastion.java.insecure-randomness
        String sessionId = Double.toString(Math.random());
        byte[] bytes = new byte[32];
        SECURE_RANDOM.nextBytes(bytes);
        // ok: bastion.java.insecure-randomness
        String apiKey = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return name + temporaryPassword + otpCode + sessionId + apiKey;
    }

    public String newSecureToken() {
        byte[] bytes = new byte[32];
        // ok: bastion.java.insecure-randomness
        SECURE_RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().encodeToString(bytes);
    }

    public int rollDice() {
        // ok: bastion.java.insecure-randomness
        return RANDOM.nextInt(6) + 1;
    }

    public long backoff(long delay) {
        // ok: bastion.java.insecure-randomness
        return delay + ThreadLocalRandom.current().nextLong(100);
    }
}
