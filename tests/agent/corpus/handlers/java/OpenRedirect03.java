package com.example.links;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
public class OpenRedirect03 {
    private final LinkCounter counter = new LinkCounter();

    static final class LinkCounter {
        private int clicks;

        void record() {
            clicks++;
        }
    }

    @GetMapping("/links/out")
    public String out(
            @RequestParam("target") String target) {
        counter.record();
        String destination = target.strip();
        return "redirect:" + destination;
    }
}
