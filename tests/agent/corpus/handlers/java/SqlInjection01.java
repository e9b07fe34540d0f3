package com.example.shop;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.sql.DataSource;

public class SqlInjection01 extends HttpServlet {
    private final DataSource dataSource;

    public SqlInjection01(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private String productQuery(String category) {
        return "SELECT id, name, price FROM products WHERE category = '" + category + "'";
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String category = request.getParameter("category");
        String sql = productQuery(category);
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery(sql)) {
                int count = 0;
                while (rows.next()) {
                    count++;
                }
                response.setContentType("application/json");
                response.getWriter().write("{\"count\": " + count + "}");
            }
        } catch (SQLException error) {
            response.sendError(500);
        }
    }
}
