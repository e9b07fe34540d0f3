// Test target for hardcoded-secret.yaml. Every credential below is invented.
import com.auth0.jwt.algorithms.Algorithm;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

public class DatabaseConfig {
    // ruleid: bastion.java.hardcoded-secret
    private static final String DB_PASSWORD = "Winter2024!";
    // ok: bastion.java.hardcoded-secret
    private static final String DB_PASSWORD_VARIABLE = "DB_PASSWORD";
    // ok: bastion.java.hardcoded-secret
    private static final String PASSWORD_PARAMETER = "password";
    // ok: bastion.java.hardcoded-secret
    private final String apiKey = System.getenv("API_KEY");

    Connection connect() throws SQLException {
        // ruleid: bastion.java.hardcoded-secret
        return DriverManager.getConnection("jdbc:postgresql://db/app", "app", "s3cr3t-p4ss");
    }

    Connection connectFromEnvironment() throws SQLException {
        // ok: bastion.java.hardcoded-secret
        return DriverManager.getConnection("jdbc:postgresql://db/app", "app", System.getenv("DB_PASSWORD"));
    }

    DataSource dataSource() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUser("app");
        // ruleid: bastion.java.hardcoded-secret
        source.setPassword("Spring2024!");
        return source;
    }

    Algorithm signer() {
        // ruleid: bastion.java.hardcoded-secret
        return Algorithm.HMAC256("my-super-secret-signing-key");
    }

    boolean isAdmin(String password) {
        // ruleid: bastion.java.hardcoded-secret
        return password.equals("letmein123");
    }

    // ruleid: bastion.java.hardcoded-secret.known-format
    private static final String AWS_KEY_ID = "AKIAZ7Q3XK2M4N6P8R1T";
    // ok: bastion.java.hardcoded-secret.known-format
    private static final String DOCS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    // ruleid: bastion.java.hardcoded-secret.known-format
    private static final String AMQP = "amqp://billing:Tr0ub4dor3@rabbit.internal:5672/";
}
