package com.example.ops;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class CommandInjection04 extends HttpServlet {

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String service = request.getParameter("service");
        service = "nginx";
        String command = "systemctl status " + service;
        Process process = Runtime.getRuntime().exec(command);
        try {
            int exitCode = process.waitFor();
            response.setContentType("text/plain");
            response.getWriter().write("status exit code: " + exitCode);
        } catch (InterruptedException error) {
            Thread.currentThread().interrupt();
            response.sendError(503);
        }
    }
}
