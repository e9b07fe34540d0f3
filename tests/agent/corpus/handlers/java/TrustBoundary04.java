package com.example.preferences;

import java.io.IOException;
import java.util.Set;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class TrustBoundary04 extends HttpServlet {
    private static final Set<String> LANGUAGES = Set.of("en", "fr", "de", "es");

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String language = request.getParameter("language");
        if (language == null || !LANGUAGES.contains(language)) {
            response.sendError(400, "unsupported language");
            return;
        }
        request.getSession().setAttribute("language", language);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
    }
}
