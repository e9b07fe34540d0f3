package com.example.cache;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class InsecureDeserialization04 extends HttpServlet {
    private static final String SNAPSHOT = "/var/lib/catalog/warm-cache.bin";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int limit = Integer.parseInt(request.getParameter("limit"));
        try (ObjectInputStream input = new ObjectInputStream(new FileInputStream(SNAPSHOT))) {
            Object cache = input.readObject();
            response.getWriter().write("cache " + cache.hashCode() + " limit " + limit);
        } catch (ClassNotFoundException error) {
            response.sendError(500);
        }
    }
}
