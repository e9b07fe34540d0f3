package com.acme.integrations.erp;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.HttpsURLConnection;

public class TlsHostnameVerifierAll {

    private static final String ERP_ENDPOINT = "https://erp.corp.internal/api/v1/purchase-orders";

    public String fetchPurchaseOrders(String bearerToken) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) new URL(ERP_ENDPOINT).openConnection();
        connection.setHostnameVerifier((hostname, session) -> true);
        connection.setRequestProperty("Authorization", "Bearer " + bearerToken);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(15_000);
        try (InputStream body = connection.getInputStream()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }
}
