package com.acme.catalog.repository;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

@Repository
public class SqlJdbcTemplateSort {

    public record ProductSummary(long id, String name, long priceCents) {}

    private static final RowMapper<ProductSummary> PRODUCT_MAPPER =
        (rs, rowNum) -> new ProductSummary(rs.getLong("id"), rs.getString("name"), rs.getLong("price_cents"));

    private final JdbcTemplate jdbcTemplate;

    public SqlJdbcTemplateSort(JdbcTemplate jdbcTemplate) {
        this.jdbcTemplate = jdbcTemplate;
    }

    /** Products of a category, ordered by the column the listing page asked for ({@code ?sort=}). */
    public List<ProductSummary> findByCategory(long categoryId, String sortColumn) {
        return jdbcTemplate.query("SELECT id, name, price_cents FROM products WHERE category_id = ? ORDER BY " + sortColumn, PRODUCT_MAPPER, categoryId);
    }

    public int countByCategory(long categoryId) {
        Integer count = jdbcTemplate.queryForObject(
            "SELECT COUNT(*) FROM products WHERE category_id = ?", Integer.class, categoryId);
        return count == null ? 0 : count;
    }
}
