package com.example.catalog;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class SqlInjection04 {
    private static final String BASE_QUERY = "SELECT id, title, author FROM books";
    private final JdbcTemplate jdbcTemplate;

    public SqlInjection04(JdbcTemplate jdbcTemplate) {
        this.jdbcTemplate = jdbcTemplate;
    }

    @GetMapping("/books")
    public List<Map<String, Object>> books(
            @RequestParam("sort") String sortColumn) {
        StringBuilder builder = new StringBuilder(BASE_QUERY);
        builder.append(" ORDER BY ").append(sortColumn);
        String sql = builder.toString();
        return jdbcTemplate.queryForList(sql);
    }
}
