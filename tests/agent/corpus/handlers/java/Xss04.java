package com.example.cms;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class Xss04 extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String> page = new HashMap<>();
        page.put("title", "Release notes");
        page.put("draft", request.getParameter("draft"));
        String html = "<html><head><title>" + page.get("title") + "</title></head><body></body></html>";
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().print(html);
        log("draft length " + String.valueOf(page.get("draft")).length());
    }
}
