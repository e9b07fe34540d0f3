package com.acme.kb.web;

import com.acme.kb.search.ArticleIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import javax.servlet.ServletException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.springframework.web.util.HtmlUtils;

@WebServlet("/kb/search")
public class EscapedSearchEcho extends HttpServlet {

    private final ArticleIndex index = ArticleIndex.shared();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        String query = request.getParameter("q") == null ? "" : request.getParameter("q");
        List<String> titles = index.search(query, 20);
        response.setContentType("text/html;charset=UTF-8");
        PrintWriter out = response.getWriter();
        out.println("<html><body>");
        out.println("<h2>Results for " + HtmlUtils.htmlEscape(query) + "</h2>");
        out.println("<p>" + titles.size() + " articles found.</p>");
        out.println("</body></html>");
    }
}
