package com.example.profile;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class Xss03 {

    static final class Greeting {
        final String name;

        Greeting(String name) {
            this.name = name;
        }
    }

    @GetMapping(value = "/profile/hello", produces = MediaType.TEXT_HTML_VALUE)
    public String hello(
            @RequestHeader("X-Display-Name") String displayName) {
        Greeting greeting = new Greeting(displayName.trim());
        return "<html><body><h1>Hello " + greeting.name + "</h1></body></html>";
    }
}
