package com.example.orders;

import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class SqlInjection03 {
    private final JdbcTemplate jdbcTemplate;

    public SqlInjection03(JdbcTemplate jdbcTemplate) {
        this.jdbcTemplate = jdbcTemplate;
    }

    @GetMapping("/customers/{customerId}/orders")
    public List<Map<String, Object>> orders(@PathVariable Long customerId) {
        String sql = "SELECT id, total, placed_at FROM orders WHERE customer_id = " + customerId.longValue();
        return jdbcTemplate.queryForList(sql);
    }

    @GetMapping("/orders/count")
    public Integer count() {
        return jdbcTemplate.queryForObject("SELECT COUNT(*) FROM orders", Integer.class);
    }
}
