package com.example.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class Ssrf03 {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static class WebhookTest {
        public String callbackUrl;
    }

    @PostMapping("/webhooks/test")
    public int test(
            @RequestBody WebhookTest webhookTest) throws IOException, InterruptedException {
        URI callback = URI.create(webhookTest.callbackUrl);
        HttpRequest request = HttpRequest.newBuilder(callback).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("{\"ping\": true}")).build();
        HttpResponse<String> reply = client.send(request, HttpResponse.BodyHandlers.ofString());
        return reply.statusCode();
    }
}
