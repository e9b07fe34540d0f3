package com.example.auth;

import java.security.Principal;
import javax.servlet.http.HttpSession;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class TrustBoundary02 {
    private final JdbcTemplate jdbcTemplate;

    public TrustBoundary02(JdbcTemplate jdbcTemplate) {
        this.jdbcTemplate = jdbcTemplate;
    }

    @PostMapping("/session/refresh")
    public String refresh(@RequestParam("requestedRole") String requestedRole, Principal principal, HttpSession session) {
        String role = jdbcTemplate.queryForObject(
                "SELECT role FROM users WHERE username = ?", String.class, principal.getName());
        session.setAttribute("userRole", role);
        return requestedRole.equals(role) ? "unchanged" : "role reset";
    }
}
