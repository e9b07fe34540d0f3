package com.acme.sync.web;

import com.acme.sync.model.SyncBatch;
import com.acme.sync.service.SyncService;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

@WebServlet("/sync/upload")
public class JacksonSyncUpload extends HttpServlet {

    private static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final SyncService syncService = new SyncService();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        try {
            SyncBatch batch = MAPPER.readValue(request.getInputStream(), SyncBatch.class);
            int applied = syncService.apply(batch);
            response.setContentType("text/plain");
            response.getWriter().println("applied " + applied + " records");
        } catch (JsonProcessingException e) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "malformed batch");
        }
    }
}
