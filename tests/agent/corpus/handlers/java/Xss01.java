package com.example.search;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class Xss01 extends HttpServlet {

    private String resultsPage(String query, int hits) {
        return "<html><body><h2>Results for " + query + "</h2><p>" + hits + " hits</p></body></html>";
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String query = request.getParameter("q");
        int hits = query == null ? 0 : query.length() % 7;
        String html = resultsPage(query, hits);
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write(html);
    }
}
