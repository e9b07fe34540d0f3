package com.acme.integrations.erp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

public class TlsTruststoreErpClient {

    private static final URI ERP_ENDPOINT = URI.create("https://erp.corp.internal/api/v1/purchase-orders");

    private final HttpClient client;

    public TlsTruststoreErpClient(SSLContext corporateTrust) {
        this.client = HttpClient.newBuilder()
            .sslContext(corporateTrust)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    }

    public String fetchPurchaseOrders(String bearerToken) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(ERP_ENDPOINT)
            .header("Authorization", "Bearer " + bearerToken)
            .timeout(Duration.ofSeconds(15))
            .GET()
            .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
