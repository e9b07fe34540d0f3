package com.example.images;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class Ssrf01 extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String imageUrl = request.getParameter("url");
        if (imageUrl == null) {
            response.sendError(400);
            return;
        }
        response.setContentType("image/png");
        try (InputStream input = new URL(imageUrl).openStream()) {
            input.transferTo(response.getOutputStream());
        }
    }
}
