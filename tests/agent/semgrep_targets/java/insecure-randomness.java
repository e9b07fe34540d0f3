// Test target for insecure-randomness.yaml.
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.lang3.RandomStringUtils;

public class Tokens {
    private static final SecureRandom SECURE = new SecureRandom();

    String resetToken() {
        // ruleid: bastion.java.insecure-randomness
        return Long.toHexString(new Random().nextLong());
    }

    void issue(User user) {
        // ruleid: bastion.java.insecure-randomness
        String sessionId = RandomStringUtils.randomAlphanumeric(32);
        // ruleid: bastion.java.insecure-randomness
        int otpCode = (int) (Math.random() * 1_000_000);
        // ruleid: bastion.java.insecure-randomness
        int pin = ThreadLocalRandom.current().nextInt(10000);
        user.set(sessionId, otpCode, pin);
    }

    String apiKey() {
        byte[] bytes = new byte[32];
        // ok: bastion.java.insecure-randomness
        SECURE.nextBytes(bytes);
        return Base64.getUrlEncoder().encodeToString(bytes);
    }

    void shuffle(List<String> cards) {
        // ok: bastion.java.insecure-randomness
        Collections.shuffle(cards, new Random());
        // ok: bastion.java.insecure-randomness
        long jitter = (long) (Math.random() * 100);
        // ok: bastion.java.insecure-randomness
        int colour = ThreadLocalRandom.current().nextInt(255);
        cards.add(jitter + ":" + colour);
    }

    interface User {
        void set(String sessionId, int otpCode, int pin);
    }
}
