package com.example.ops;

import java.io.IOException;
import java.io.InputStream;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class CommandInjection01 extends HttpServlet {

    private String[] lookupCommand(String host) {
        return new String[] {"/bin/sh", "-c", "nslookup " + host};
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String host = request.getParameter("host");
        String[] command = lookupCommand(host);
        Process process = Runtime.getRuntime().exec(command);
        response.setContentType("text/plain");
        try (InputStream output = process.getInputStream()) {
            output.transferTo(response.getOutputStream());
        }
    }
}
