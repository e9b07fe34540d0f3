// Test target for xss.yaml.
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import javax.servlet.http.Part;
import javax.ws.rs.FormParam;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.UriInfo;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.commons.text.StringEscapeUtils;
import org.owasp.encoder.Encode;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

public class GreetingServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("name");
        response.setContentType("text/html");
        // ruleid: bastion.java.xss
        response.getWriter().write("<h1>Hello " + name + "</h1>");
        PrintWriter out = response.getWriter();
        // ruleid: bastion.java.xss
        out.println("<p>" + request.getHeader("Referer") + "</p>");
        // ruleid: bastion.java.xss
        out.append(request.getQueryString());
        // ok: bastion.java.xss
        out.println("<p>" + Encode.forHtml(name) + "</p>");
        // ok: bastion.java.xss
        out.print(HtmlUtils.htmlEscape(name));
        // ok: bastion.java.xss
        out.print(StringEscapeUtils.escapeHtml4(name));
        // ok: bastion.java.xss
        out.print("<p>Welcome</p>");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String comment = request.getParameter("comment");
        String escaped = Encode.forHtml(comment);
        // ok: bastion.java.xss
        response.getWriter().printf("<div>%s</div>", escaped);
        int count = Integer.parseInt(request.getParameter("count"));
        // ok: bastion.java.xss
        response.getWriter().print("<b>" + count + "</b>");
    }
}

class JsonServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        // ok: bastion.java.xss
        response.getWriter().write("{\"name\": \"" + request.getParameter("name") + "\"}");
    }

    void render(PrintWriter out, String title) {
        // ok: bastion.java.xss
        out.println("<h1>" + title + "</h1>");
    }
}

class EchoServlet extends HttpServlet {
    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter out = response.getWriter();
        // ruleid: bastion.java.xss
        out.println(request.getPathInfo());
        // ruleid: bastion.java.xss
        out.println(request.getRequestURI());
        BufferedReader reader = request.getReader();
        // ruleid: bastion.java.xss
        out.println(reader.readLine());
        Part part = request.getPart("file");
        // ruleid: bastion.java.xss
        out.println(part.getSubmittedFileName());
        Map<String, String[]> parameters = request.getParameterMap();
        // ruleid: bastion.java.xss
        out.println(parameters.get("q")[0]);
        String[] tags = request.getParameterValues("tag");
        // ruleid: bastion.java.xss
        out.println(tags[0]);
        // ok: bastion.java.xss
        out.println(request.getMethod());
        // ok: bastion.java.xss
        out.println(request.getParameter("q").length());
    }
}

class ProfileController {
    @GetMapping("/profile")
    public void profile(@CookieValue("theme") String theme, @ModelAttribute Profile form, HttpServletResponse response)
            throws IOException {
        // ruleid: bastion.java.xss
        response.getWriter().print("<body class=" + theme + ">");
        // ruleid: bastion.java.xss
        response.getWriter().print("<h1>" + form.getDisplayName() + "</h1>");
    }

    @POST
    public void update(@PathParam("id") String id, @FormParam("bio") String bio, @HeaderParam("X-Lang") String language,
            HttpServletResponse response) throws IOException {
        // ruleid: bastion.java.xss
        response.getWriter().print(id);
        // ruleid: bastion.java.xss
        response.getWriter().print(bio);
        // ruleid: bastion.java.xss
        response.getWriter().print(language);
    }

    @POST
    public void search(@Context UriInfo uriInfo, HttpServletResponse response) throws IOException {
        // ruleid: bastion.java.xss
        response.getWriter().print(uriInfo.getQueryParameters().getFirst("q"));
        // ok: bastion.java.xss
        response.getWriter().print(uriInfo.getQueryParameters().size());
    }

    interface Profile {
        String getDisplayName();
    }
}

@RestController
class SearchController {
    @GetMapping("/search")
    public String search(@RequestParam String q) {
        // ruleid: bastion.java.xss
        return "<p>No results for " + q + "</p>";
    }

    @GetMapping(value = "/search.json", produces = "application/json")
    public String searchJson(@RequestParam String q) {
        // ok: bastion.java.xss
        return "{\"query\": \"" + q + "\"}";
    }

    @GetMapping("/search/escaped")
    public String escaped(@RequestParam String q) {
        // ok: bastion.java.xss
        return "<p>No results for " + HtmlUtils.htmlEscape(q) + "</p>";
    }
}

class PageServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        java.util.Map<String, String> page = new java.util.HashMap<>();
        page.put("title", "Release notes");
        page.put("draft", request.getParameter("draft"));
        response.setContentType("text/html");
        // ok: bastion.java.xss
        response.getWriter().print("<title>" + page.get("title") + "</title>");
        // ruleid: bastion.java.xss
        response.getWriter().print("<p>" + page.get("draft") + "</p>");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        java.util.Map<String, String> page = new java.util.HashMap<>();
        page.put("title", "Release notes");
        page.put("title", request.getParameter("title"));
        response.setContentType("text/html");
        // ruleid: bastion.java.xss
        response.getWriter().print("<title>" + page.get("title") + "</title>");
    }
}
