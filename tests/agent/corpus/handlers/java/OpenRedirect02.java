package com.example.auth;

import java.net.URI;
import java.util.Set;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
public class OpenRedirect02 {
    private static final Set<String> TRUSTED_HOSTS = Set.of("app.example.com", "help.example.com");

    @GetMapping("/continue")
    public String continueTo(@RequestParam("next") String next) {
        URI uri;
        try {
            uri = URI.create(next);
        } catch (IllegalArgumentException error) {
            return "redirect:/";
        }
        if (!"https".equals(uri.getScheme()) || !TRUSTED_HOSTS.contains(uri.getHost())) {
            return "redirect:/";
        }
        return "redirect:" + uri;
    }
}
