package com.example.documents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class PathTraversal02 {
    private static final Path BASE = Paths.get("/srv/exports").toAbsolutePath().normalize();

    @GetMapping("/exports/{name}")
    public ResponseEntity<byte[]> export(@PathVariable String name) throws IOException {
        Path target = BASE.resolve(name).normalize();
        if (!target.startsWith(BASE)) {
            return ResponseEntity.badRequest().build();
        }
        return ResponseEntity.ok(Files.readAllBytes(target));
    }
}
