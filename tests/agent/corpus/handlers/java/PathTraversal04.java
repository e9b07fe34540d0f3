package com.example.documents;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class PathTraversal04 extends HttpServlet {
    private static final String LEGAL_DIR = "/srv/legal";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requested = request.getParameter("doc");
        String fileName = 3 * 5 > 10 ? "terms.pdf" : requested;
        File document = new File(LEGAL_DIR, fileName);
        response.setContentType("application/pdf");
        try (InputStream input = new FileInputStream(document)) {
            input.transferTo(response.getOutputStream());
        }
    }
}
