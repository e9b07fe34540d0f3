// Test target for sql-injection.yaml.
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import javax.persistence.EntityManager;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

public class UserServlet extends HttpServlet {
    private Connection connection;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("name");
        try {
            Statement statement = connection.createStatement();
            // ruleid: bastion.java.sql-injection
            ResultSet rows = statement.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
            PreparedStatement prepared = connection.prepareStatement("SELECT * FROM users WHERE name = ?");
            prepared.setString(1, name);
            // ok: bastion.java.sql-injection
            ResultSet safe = prepared.executeQuery();
            response.getWriter().println(rows.next() && safe.next());
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String sort = request.getHeader("X-Sort");
        String id = request.getParameter("id");
        try {
            // ruleid: bastion.java.sql-injection
            PreparedStatement prepared = connection.prepareStatement("SELECT * FROM users ORDER BY " + sort);
            prepared.executeQuery();
            Statement statement = connection.createStatement();
            // ruleid: bastion.java.sql-injection
            statement.addBatch("DELETE FROM sessions WHERE id = '" + id + "'");
            // ok: bastion.java.sql-injection
            statement.executeUpdate("DELETE FROM sessions WHERE id = " + Integer.parseInt(id));
            // ok: bastion.java.sql-injection
            statement.executeUpdate("DELETE FROM sessions WHERE expired = true");
            for (Cookie cookie : request.getCookies()) {
                // ruleid: bastion.java.sql-injection
                statement.execute("UPDATE visits SET seen = 1 WHERE visitor = '" + cookie.getValue() + "'");
            }
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }
}

@RestController
class OrderController {
    private final JdbcTemplate jdbc;
    private final EntityManager entityManager;
    private static final String TABLE = "orders";

    OrderController(JdbcTemplate jdbc, EntityManager entityManager) {
        this.jdbc = jdbc;
        this.entityManager = entityManager;
    }

    @GetMapping("/orders/{id}")
    public List<?> order(@PathVariable String id) {
        // ruleid: bastion.java.sql-injection
        return jdbc.queryForList("SELECT * FROM orders WHERE id = " + id);
    }

    @GetMapping("/orders")
    public List<?> search(@RequestParam("status") String status) {
        String jpql = String.format("SELECT o FROM Order o WHERE o.status = '%s'", status);
        // ruleid: bastion.java.sql-injection
        return entityManager.createQuery(jpql).getResultList();
    }

    @GetMapping("/orders/native")
    public List<?> nativeSearch(@RequestHeader("X-Region") String region) {
        // ruleid: bastion.java.sql-injection
        return entityManager.createNativeQuery("SELECT * FROM orders WHERE region = '" + region + "'").getResultList();
    }

    @GetMapping("/orders/sorted")
    public List<?> sorted(@RequestParam String column) {
        StringBuilder sql = new StringBuilder("SELECT * FROM orders ORDER BY ");
        sql.append(column);
        // ruleid: bastion.java.sql-injection
        return jdbc.queryForList(sql.toString());
    }

    @GetMapping("/orders/count")
    public int count(@RequestParam String status) {
        // ruleid: bastion.java.sql-injection
        return jdbc.update("UPDATE orders SET seen = 1 WHERE status = '" + status + "'");
    }

    @GetMapping("/orders/safe")
    public List<?> safe(@RequestParam String status) {
        // ok: bastion.java.sql-injection
        List<?> first = jdbc.queryForList("SELECT * FROM orders WHERE status = ?", status);
        // ok: bastion.java.sql-injection
        List<?> second = entityManager.createQuery("SELECT o FROM Order o WHERE o.status = :s")
                .setParameter("s", status).getResultList();
        // ok: bastion.java.sql-injection
        List<?> third = jdbc.queryForList("SELECT * FROM " + TABLE + " WHERE status = ?", status);
        return List.of(first, second, third);
    }

    @GetMapping(value = "/orders/customer")
    public List<?> customer(String customer) {
        // ruleid: bastion.java.sql-injection
        return jdbc.queryForList("SELECT * FROM orders WHERE customer = '" + customer + "'");
    }

    @GetMapping("/orders/page")
    public List<?> page(@RequestParam int limit) {
        // ok: bastion.java.sql-injection
        return jdbc.queryForList("SELECT * FROM orders LIMIT " + limit);
    }

    public List<?> byIds(List<Long> ids) {
        String placeholders = String.join(",", Collections.nCopies(ids.size(), "?"));
        // ok: bastion.java.sql-injection
        return jdbc.queryForList("SELECT * FROM orders WHERE id IN (" + placeholders + ")", ids.toArray());
    }
}

@Path("/reports")
class ReportResource {
    private Connection connection;

    @GET
    public String report(@QueryParam("customer") String customer) throws SQLException {
        String sql = "DELETE FROM reports WHERE customer = '" + customer + "'";
        // ruleid: bastion.java.sql-injection
        connection.createStatement().executeUpdate(sql);
        return "ok";
    }

    void purge(Connection connection, String table) throws SQLException {
        // ok: bastion.java.sql-injection
        connection.createStatement().executeUpdate("DELETE FROM " + table);
    }
}
