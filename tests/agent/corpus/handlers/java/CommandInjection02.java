package com.example.media;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class CommandInjection02 {
    private static final Set<String> FORMATS = Set.of("png", "jpg", "webp");

    @PostMapping("/images/convert")
    public ResponseEntity<String> convert(@RequestParam String format) throws IOException, InterruptedException {
        if (!FORMATS.contains(format)) {
            return ResponseEntity.badRequest().body("unsupported format");
        }
        List<String> command = List.of("convert", "/srv/images/source.tiff", "/srv/images/out." + format);
        Process process = new ProcessBuilder(command).start();
        int exitCode = process.waitFor();
        return ResponseEntity.ok("exit " + exitCode);
    }
}
