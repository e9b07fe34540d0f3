package com.example.manual;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

public class XpathInjection04 extends HttpServlet {
    private final Document manual;

    public XpathInjection04(Document manual) {
        this.manual = manual;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int section = Integer.parseInt(request.getParameter("section"));
        XPath xpath = XPathFactory.newInstance().newXPath();
        try {
            String heading = xpath.evaluate("/manual/section[" + section + "]/heading/text()", manual);
            response.getWriter().write(heading);
        } catch (XPathExpressionException error) {
            response.sendError(400);
        }
    }
}
