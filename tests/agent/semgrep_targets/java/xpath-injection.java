// Test target for xpath-injection.yaml.
import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

public class AccountServlet extends HttpServlet {
    private Document accounts;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getParameter("user");
        XPath xpath = XPathFactory.newInstance().newXPath();
        try {
            // ruleid: bastion.java.xpath-injection
            String email = xpath.evaluate("/accounts/account[name='" + user + "']/email", accounts);
            // ruleid: bastion.java.xpath-injection
            Object compiled = xpath.compile("//account[@id=" + request.getParameter("id") + "]");
            xpath.setXPathVariableResolver(name -> user);
            // ok: bastion.java.xpath-injection
            String safe = xpath.evaluate("/accounts/account[name=$user]/email", accounts);
            // ok: bastion.java.xpath-injection
            String count = xpath.evaluate("count(/accounts/account)", accounts);
            response.getWriter().print(email.length() + safe.length() + count.length() + compiled.hashCode());
        } catch (XPathExpressionException e) {
            throw new IOException(e);
        }
    }

    String lookup(XPath xpath, String expression) throws XPathExpressionException {
        // ok: bastion.java.xpath-injection
        return xpath.evaluate(expression, accounts);
    }
}
