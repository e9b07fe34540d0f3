package com.acme.ops.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
public class ProcessBuilderNslookup {

    private static final Pattern HOSTNAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$");

    @GetMapping("/ops/nslookup")
    public List<String> nslookup(@RequestParam("host") String host) throws IOException, InterruptedException {
        if (!HOSTNAME.matcher(host).matches()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "invalid host name");
        }
        Process process = new ProcessBuilder("nslookup", host).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT);
        }
        return output.lines().toList();
    }
}
