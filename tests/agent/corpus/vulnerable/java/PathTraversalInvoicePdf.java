package com.acme.billing.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class PathTraversalInvoicePdf {

    private static final Path INVOICE_DIR = Paths.get("/var/lib/billing/invoices");

    @GetMapping("/invoices/download")
    public ResponseEntity<byte[]> download(@RequestParam("file") String fileName) throws IOException {
        byte[] pdf = Files.readAllBytes(INVOICE_DIR.resolve(fileName));
        return ResponseEntity.ok()
            .contentType(MediaType.APPLICATION_PDF)
            .header(HttpHeaders.CONTENT_DISPOSITION, "attachment")
            .body(pdf);
    }
}
