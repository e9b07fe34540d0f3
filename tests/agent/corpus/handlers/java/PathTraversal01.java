package com.example.documents;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class PathTraversal01 extends HttpServlet {
    private static final File DOCUMENT_ROOT = new File("/srv/documents");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String fileName = request.getParameter("file");
        File document = new File(DOCUMENT_ROOT, fileName);
        if (!document.isFile()) {
            response.sendError(404);
            return;
        }
        response.setContentType("application/octet-stream");
        Files.copy(document.toPath(), response.getOutputStream());
    }
}
