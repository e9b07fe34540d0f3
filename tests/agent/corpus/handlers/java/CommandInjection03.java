package com.example.backup;

import java.io.IOException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class CommandInjection03 {

    public static class ArchiveRequest {
        public String directory;
    }

    @PostMapping("/archives")
    public ResponseEntity<String> archive(
            @RequestBody ArchiveRequest archiveRequest) throws IOException, InterruptedException {
        String directory = archiveRequest.directory;
        String script = "tar -czf /var/archives/latest.tgz " + directory;
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script);
        Process process = builder.start();
        int exitCode = process.waitFor();
        return ResponseEntity.ok("archive finished with " + exitCode);
    }
}
