package com.example.monitoring;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class Ssrf04 extends HttpServlet {
    private final List<String> requestedTargets = new ArrayList<>();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> targets = new ArrayList<>();
        targets.add("https://status.example.com/health");
        targets.add(request.getParameter("target"));
        requestedTargets.add(targets.get(1));
        try (InputStream input = new URL(targets.get(0)).openStream()) {
            response.setContentType("text/plain");
            response.getWriter().write("health bytes: " + input.readAllBytes().length);
        }
    }
}
