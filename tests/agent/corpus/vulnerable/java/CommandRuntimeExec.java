package com.acme.ops.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class CommandRuntimeExec {

    @GetMapping("/ops/nslookup")
    public List<String> nslookup(@RequestParam("host") String host) throws IOException, InterruptedException {
        Process process = Runtime.getRuntime().exec(new String[] {"/bin/sh", "-c", "nslookup " + host});
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = reader.lines().collect(Collectors.toList());
            process.waitFor();
            return lines;
        }
    }
}
