package com.example.auth;

import java.security.SecureRandom;
import java.util.HexFormat;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class InsecureCookie03 {
    private final RememberTokens tokens = new RememberTokens();

    static final class RememberTokens {
        private final SecureRandom random = new SecureRandom();

        String issue(String username) {
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
    }

    @PostMapping("/login/remember")
    public void remember(@RequestParam String username, HttpServletResponse response) {
        String rememberToken = tokens.issue(username);
        Cookie remember = new Cookie("remember_me", rememberToken);
        remember.setSecure(true);
        remember.setMaxAge(30 * 24 * 3600);
        response.addCookie(remember);
    }
}
