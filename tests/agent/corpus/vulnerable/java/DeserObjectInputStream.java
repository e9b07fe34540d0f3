package com.acme.sync.web;

import com.acme.sync.model.SyncBatch;
import com.acme.sync.service.SyncService;
import java.io.IOException;
import java.io.ObjectInputStream;
import javax.servlet.ServletException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

@WebServlet("/sync/upload")
public class DeserObjectInputStream extends HttpServlet {

    private final SyncService syncService = new SyncService();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        try {
            SyncBatch batch = (SyncBatch) new ObjectInputStream(request.getInputStream()).readObject();
            int applied = syncService.apply(batch);
            response.setContentType("text/plain");
            response.getWriter().println("applied " + applied + " records");
        } catch (ClassNotFoundException | ClassCastException e) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "malformed batch");
        }
    }
}
