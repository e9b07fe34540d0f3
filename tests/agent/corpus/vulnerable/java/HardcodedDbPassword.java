package com.acme.reporting.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;

public final class HardcodedDbPassword {

    private static final String JDBC_URL = "jdbc:postgresql://reporting-db.prod.internal:5432/warehouse";
    private static final String DB_USER = "reporting_ro";
    private static final String DB_PASSWORD = "Z06X3jCnstTacZGTTSTU";

    private HardcodedDbPassword() {}

    static Connection open() throws SQLException {
        return DriverManager.getConnection(JDBC_URL, DB_USER, DB_PASSWORD);
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
