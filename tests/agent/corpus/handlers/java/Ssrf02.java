package com.example.weather;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class Ssrf02 {
    private static final String FORECAST_API = "https://api.weather.example.com/v2/stations/";
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @GetMapping("/stations/{stationId}/forecast")
    public String forecast(@PathVariable int stationId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(FORECAST_API + stationId))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
