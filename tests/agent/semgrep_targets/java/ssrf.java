// Test target for ssrf.yaml.
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

@RestController
public class PreviewController {
    private static final Set<String> HOSTS = Set.of("https://api.example.com/status");
    private final RestTemplate restTemplate = new RestTemplate();
    private final HttpClient client = HttpClient.newHttpClient();
    private final WebClient webClient = WebClient.create();

    @GetMapping("/preview")
    public String preview(@RequestParam String url) throws IOException {
        // ruleid: bastion.java.ssrf
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        URL parsed = new URL(url);
        // ruleid: bastion.java.ssrf
        InputStream stream = parsed.openStream();
        // ok: bastion.java.ssrf
        InputStream fixed = new URL("https://api.example.com/status").openStream();
        return connection.getResponseMessage() + stream.read() + fixed.read();
    }

    @GetMapping("/fetch")
    public String fetch(@RequestParam String target) throws IOException, InterruptedException {
        // ruleid: bastion.java.ssrf
        HttpRequest request = HttpRequest.newBuilder(URI.create(target)).build();
        // ruleid: bastion.java.ssrf
        HttpRequest other = HttpRequest.newBuilder().uri(URI.create(target)).build();
        // ruleid: bastion.java.ssrf
        String body = restTemplate.getForObject(target, String.class);
        // ruleid: bastion.java.ssrf
        String reactive = webClient.get().uri(target).retrieve().bodyToMono(String.class).block();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return response.body() + other.uri() + body + reactive;
    }

    @GetMapping("/status")
    public String status(@RequestParam String service) {
        // ok: bastion.java.ssrf
        String body = restTemplate.getForObject("https://status.example.com/api/{service}", String.class, service);
        if (!HOSTS.contains(service)) {
            return "unknown";
        }
        // ok: bastion.java.ssrf
        return body + restTemplate.getForObject(service, String.class);
    }

    @GetMapping("/proxy")
    public String proxy(@RequestParam String url, @RequestParam String mirror) throws Exception {
        URI uri = new URI(url);
        if (!"api.example.com".equals(uri.getHost())) {
            throw new IllegalArgumentException("host not allowed");
        }
        // ok: bastion.java.ssrf
        String first = restTemplate.getForObject(uri, String.class);
        // ok: bastion.java.ssrf
        String second = restTemplate.getForObject(url, String.class);
        URI other = new URI(mirror);
        if (!"https".equals(other.getScheme())) {
            throw new IllegalArgumentException("https only");
        }
        // ruleid: bastion.java.ssrf
        return first + second + restTemplate.getForObject(other, String.class);
    }

    String webhook(String configuredUrl) {
        // ok: bastion.java.ssrf
        return restTemplate.getForObject(configuredUrl, String.class);
    }
}

class ProbeServlet extends javax.servlet.http.HttpServlet {
    @Override
    protected void doPost(javax.servlet.http.HttpServletRequest request, javax.servlet.http.HttpServletResponse response)
            throws IOException {
        java.util.List<String> targets = new java.util.ArrayList<>();
        targets.add("https://status.example.com/health");
        targets.add(request.getParameter("target"));
        // ok: bastion.java.ssrf
        try (InputStream health = new URL(targets.get(0)).openStream()) {
            response.getWriter().write("health " + health.readAllBytes().length);
        }
        // ruleid: bastion.java.ssrf
        try (InputStream chosen = new URL(targets.get(1)).openStream()) {
            response.getWriter().write("target " + chosen.readAllBytes().length);
        }
    }

    @Override
    protected void doPut(javax.servlet.http.HttpServletRequest request, javax.servlet.http.HttpServletResponse response)
            throws IOException {
        java.util.List<String> targets = new java.util.ArrayList<>();
        targets.add("https://status.example.com/health");
        targets.set(0, request.getParameter("target"));
        // ruleid: bastion.java.ssrf
        try (InputStream replaced = new URL(targets.get(0)).openStream()) {
            response.getWriter().write("target " + replaced.readAllBytes().length);
        }
    }
}
