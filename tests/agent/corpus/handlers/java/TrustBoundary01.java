package com.example.auth;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

public class TrustBoundary01 extends HttpServlet {

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String username = request.getParameter("username");
        String role = request.getParameter("role");
        if (username == null || username.isBlank()) {
            response.sendError(400);
            return;
        }
        HttpSession session = request.getSession(true);
        session.setAttribute("loginStartedAt", System.currentTimeMillis());
        session.setAttribute("userRole", role);
        response.sendRedirect("/home");
    }
}
