// Test target for insecure-tls.yaml.
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;

public class InsecureClient {
    SSLContext trustAll() throws Exception {
        TrustManager[] trustAllCerts = new TrustManager[] {
            new X509TrustManager() {
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }

                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                // ruleid: bastion.java.insecure-tls.trust-all
                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {}
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustAllCerts, new java.security.SecureRandom());
        return context;
    }

    SSLContext privateCa(KeyStore trustStore) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        // ok: bastion.java.insecure-tls.trust-all
        factory.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    void hostnames() {
        // ruleid: bastion.java.insecure-tls.hostname-verifier
        HttpsURLConnection.setDefaultHostnameVerifier((hostname, session) -> true);
        HostnameVerifier anyHost = new HostnameVerifier() {
            // ruleid: bastion.java.insecure-tls.hostname-verifier
            @Override
            public boolean verify(String hostname, SSLSession session) {
                return true;
            }
        };
        // ok: bastion.java.insecure-tls.hostname-verifier
        HostnameVerifier exact = (hostname, session) -> "api.example.com".equals(hostname);
        // ruleid: bastion.java.insecure-tls.hostname-verifier
        CloseableHttpClient client = HttpClients.custom().setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE).build();
        // ok: bastion.java.insecure-tls.hostname-verifier
        CloseableHttpClient strict = HttpClients.createDefault();
    }
}
