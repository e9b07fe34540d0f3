package com.example.sync;

import java.io.IOException;
import java.io.ObjectInputStream;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class InsecureDeserialization01 extends HttpServlet {

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (ObjectInputStream input = new ObjectInputStream(request.getInputStream())) {
            Object received = input.readObject();
            if (!(received instanceof java.util.List)) {
                response.sendError(400);
                return;
            }
            response.getWriter().write("items: " + ((java.util.List<?>) received).size());
        } catch (ClassNotFoundException error) {
            response.sendError(400);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
    }
}
