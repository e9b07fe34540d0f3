package com.example.mail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class PathTraversal03 {
    private final String templateDirectory;

    public PathTraversal03() {
        this.templateDirectory = "/opt/mail/templates";
    }

    private String templateLocation(String name) {
        return String.format("%s/%s.html", templateDirectory, name);
    }

    @GetMapping("/mail/templates/{templateName}")
    public String preview(
            @PathVariable String templateName) throws IOException {
        String location = templateLocation(templateName);
        return Files.readString(Paths.get(location));
    }
}
