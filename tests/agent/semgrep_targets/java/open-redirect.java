// Test target for open-redirect.yaml.
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.view.RedirectView;

public class LoginServlet extends HttpServlet {
    private static final Set<String> ALLOWED = Set.of("/home", "/account");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String next = request.getParameter("next");
        // ruleid: bastion.java.open-redirect
        response.sendRedirect(next);
        // ruleid: bastion.java.open-redirect
        response.setHeader("Location", request.getParameter("to"));
        // ok: bastion.java.open-redirect
        response.setHeader("Cache-Control", next);
        // ok: bastion.java.open-redirect
        response.sendRedirect("/home");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String next = request.getParameter("next");
        if (!ALLOWED.contains(next)) {
            next = "/home";
            // ok: bastion.java.open-redirect
            response.sendRedirect(next);
            return;
        }
        // ok: bastion.java.open-redirect
        response.sendRedirect(next);
    }
}

@Controller
class ReturnController {
    @GetMapping("/return")
    public String back(@RequestParam String url) {
        // ruleid: bastion.java.open-redirect
        return "redirect:" + url;
    }

    @GetMapping("/view")
    public RedirectView view(@RequestParam("target") String target) {
        // ruleid: bastion.java.open-redirect
        return new RedirectView(target);
    }

    @GetMapping("/done")
    public String done(@RequestParam String message) {
        // ok: bastion.java.open-redirect
        return "redirect:/home";
    }

    @GetMapping("/continue")
    public String relative(@RequestParam String next) {
        URI target = URI.create(next);
        if (target.isAbsolute() || target.getHost() != null) {
            return "redirect:/home";
        }
        // ok: bastion.java.open-redirect
        return "redirect:" + next;
    }

    String afterLogin(String saved) {
        // ok: bastion.java.open-redirect
        return "redirect:" + saved;
    }
}

class ContinueServlet extends HttpServlet {
    private static final Set<String> TRUSTED_HOSTS = Set.of("app.example.com");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String next = request.getParameter("next");
        if (next == null || !next.startsWith("/") || next.startsWith("//")) {
            response.sendError(400);
            return;
        }
        // ok: bastion.java.open-redirect
        response.sendRedirect(next);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String back = request.getParameter("back");
        if (back.startsWith("/")) {
            log("local");
        }
        // ruleid: bastion.java.open-redirect
        response.sendRedirect(back);
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        URI uri = URI.create(request.getParameter("to"));
        if (!"https".equals(uri.getScheme()) || !TRUSTED_HOSTS.contains(uri.getHost())) {
            response.sendRedirect("/");
            return;
        }
        // ok: bastion.java.open-redirect
        response.sendRedirect(uri.toString());
    }
}
