// Test target for ssrf.yaml.
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import javax.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

@RestController
public class PreviewController {
    private static final Set<String> ALLOWED_HOSTS = Set.of("images.example.com");
    private static final String API_BASE_URL = "https://api.example.com/v1/";
    private final RestTemplate restTemplate = new RestTemplate();
    private final HttpClient client = HttpClient.newHttpClient();

    @GetMapping("/preview")
    public String preview(@RequestParam String url) {
        // ruleid: bastion.java.ssrf
        return restTemplate.getForObject(url, String.class);
    }

    InputStream fetch(HttpServletRequest request) throws IOException {
        String target = request.getParameter("target");
        // ruleid: bastion.java.ssrf
        return new URL(target).openStream();
    }

    @GetMapping("/status")
    public String status(@RequestParam String host) throws Exception {
        // ruleid: bastion.java.ssrf
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + "/status")).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    @GetMapping("/users")
    public String user(@RequestParam String id) throws IOException {
        // ok: bastion.java.ssrf
        String profile = restTemplate.getForObject("https://api.example.com/users/" + id, String.class);
        // ok: bastion.java.ssrf
        String detail = restTemplate.getForObject(API_BASE_URL + "users/" + id, String.class);
        // ok: bastion.java.ssrf
        String host = new URL(id).getHost();
        // ok: bastion.java.ssrf
        String health = restTemplate.getForObject("https://status.example.com/health", String.class);
        return profile + detail + health + host;
    }

    @GetMapping("/image")
    public byte[] image(@RequestParam String url) throws IOException {
        URI uri = URI.create(url);
        if (!ALLOWED_HOSTS.contains(uri.getHost())) {
            throw new IllegalArgumentException("host not allowed");
        }
        // ok: bastion.java.ssrf
        return restTemplate.getForObject(uri, byte[].class);
    }
}
