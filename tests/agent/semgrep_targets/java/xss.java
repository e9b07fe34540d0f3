// Test target for xss.yaml.
import java.io.IOException;
import java.io.PrintWriter;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.owasp.encoder.Encode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

public class GreetingServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("name");
        response.setContentType("text/html");
        PrintWriter out = response.getWriter();
        // ruleid: bastion.java.xss
        out.println("<h1>Hello " + name + "</h1>");
        // ruleid: bastion.java.xss
        response.getWriter().write("<p>" + request.getParameter("q") + "</p>");
        // ok: bastion.java.xss
        out.println("<h1>Hello " + Encode.forHtml(name) + "</h1>");
        // ok: bastion.java.xss
        out.println("<h1>Hello " + HtmlUtils.htmlEscape(name) + "</h1>");
    }
}

class PlainServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        // ok: bastion.java.xss
        response.getWriter().println("Hello " + request.getParameter("name"));
    }
}

@RestController
class SearchController {
    @GetMapping("/search")
    public String search(@RequestParam String q) {
        // ruleid: bastion.java.xss
        return "<p>No results for " + q + "</p>";
    }

    @GetMapping(value = "/search.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public String searchJson(@RequestParam String q) {
        // ok: bastion.java.xss
        return "{\"q\": \"" + q + "\"}";
    }

    @GetMapping("/search/safe")
    public String safeSearch(@RequestParam String q) {
        // ok: bastion.java.xss
        return "<p>No results for " + Encode.forHtml(q) + "</p>";
    }
}

@Controller
class PageController {
    @GetMapping("/page")
    public String page(@RequestParam String name, Model model) {
        model.addAttribute("name", name);
        // ok: bastion.java.xss
        return "page";
    }

    @GetMapping("/fragment")
    @ResponseBody
    public String fragment(@RequestParam String name) {
        // ruleid: bastion.java.xss
        return "<span>" + name + "</span>";
    }
}
