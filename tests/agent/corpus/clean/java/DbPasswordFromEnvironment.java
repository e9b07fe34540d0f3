package com.acme.reporting.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Objects;

public final class DbPasswordFromEnvironment {

    private DbPasswordFromEnvironment() {}

    static Connection open() throws SQLException {
        String url = Objects.requireNonNull(System.getenv("REPORTING_JDBC_URL"), "REPORTING_JDBC_URL");
        String user = Objects.requireNonNull(System.getenv("REPORTING_DB_USER"), "REPORTING_DB_USER");
        String secret = Objects.requireNonNull(System.getenv("REPORTING_DB_PASSWORD"), "REPORTING_DB_PASSWORD");
        return DriverManager.getConnection(url, user, secret);
    }

    public static long revenueCents(LocalDate day) throws SQLException {
        try (Connection connection = open();
             PreparedStatement statement = connection.prepareStatement(
                 "SELECT COALESCE(SUM(amount_cents), 0) FROM payments WHERE paid_on = ?")) {
            statement.setObject(1, day);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
