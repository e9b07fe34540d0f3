package com.example.auth;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

public class OpenRedirect01 extends HttpServlet {

    private String destination(String returnUrl) {
        return returnUrl == null || returnUrl.isEmpty() ? "/" : returnUrl;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        String returnUrl = request.getParameter("returnUrl");
        String target = destination(returnUrl);
        response.sendRedirect(target);
    }
}
