package com.example.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class WeakHash04 extends HttpServlet {
    private static final String CATALOGUE_JSON = "{\"items\": [\"lamp\", \"chair\", \"desk\"]}";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            byte[] checksum = MessageDigest.getInstance("MD5").digest(CATALOGUE_JSON.getBytes(StandardCharsets.UTF_8));
            response.setHeader("ETag", "\"" + HexFormat.of().formatHex(checksum) + "\"");
        } catch (NoSuchAlgorithmException error) {
            response.sendError(500);
            return;
        }
        response.setContentType("application/json");
        response.getWriter().write(CATALOGUE_JSON);
    }
}
