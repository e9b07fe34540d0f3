// Test target for trust-boundary.yaml.
import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

public class ProfileServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String role = request.getParameter("role");
        HttpSession session = request.getSession();
        // ruleid: bastion.java.trust-boundary
        session.setAttribute("role", role);
        // ruleid: bastion.java.trust-boundary
        request.getSession().setAttribute("theme", request.getParameter("theme"));
        // ok: bastion.java.trust-boundary
        session.setAttribute("visits", Integer.parseInt(request.getParameter("visits")));
        // ok: bastion.java.trust-boundary
        session.setAttribute("authenticated", true);
    }
}

@RestController
class CartController {
    @PostMapping("/cart")
    public String add(@RequestParam String item, HttpSession httpSession) {
        // ruleid: bastion.java.trust-boundary
        httpSession.setAttribute("lastItem", item);
        return "ok";
    }

    void remember(HttpSession session, String userName) {
        // ok: bastion.java.trust-boundary
        session.setAttribute("user", userName);
    }
}

class LanguageServlet extends HttpServlet {
    private static final java.util.Set<String> LANGUAGES = java.util.Set.of("en", "fr");

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String language = request.getParameter("language");
        if (language == null || !LANGUAGES.contains(language)) {
            response.sendError(400);
            return;
        }
        // ok: bastion.java.trust-boundary
        request.getSession().setAttribute("language", language);
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String region = request.getParameter("region");
        if (region == null || !region.matches("[a-z]{2}")) {
            // Logged, not refused: the value still reaches the session.
            log("odd region");
        }
        // ruleid: bastion.java.trust-boundary
        request.getSession().setAttribute("region", region);
    }
}
