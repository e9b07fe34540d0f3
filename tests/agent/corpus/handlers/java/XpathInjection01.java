package com.example.legacy;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

public class XpathInjection01 extends HttpServlet {
    private final Document usersDocument;

    public XpathInjection01(Document usersDocument) {
        this.usersDocument = usersDocument;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String login = request.getParameter("login");
        String expression = "/users/user[@login='" + login + "']/role/text()";
        XPath xpath = XPathFactory.newInstance().newXPath();
        try {
            String role = xpath.evaluate(expression, usersDocument);
            response.getWriter().write(role.isEmpty() ? "unknown" : role);
        } catch (XPathExpressionException error) {
            response.sendError(400);
        }
    }
}
