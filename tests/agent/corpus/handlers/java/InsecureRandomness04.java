package com.example.verification;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class InsecureRandomness04 extends HttpServlet {

    private String verificationCode() {
        int code = 100000 + ThreadLocalRandom.current().nextInt(900000);
        return Integer.toString(code);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String code = verificationCode();
        request.getSession().setAttribute("pendingVerificationCode", code);
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
    }
}
