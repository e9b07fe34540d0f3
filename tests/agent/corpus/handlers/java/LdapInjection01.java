package com.example.directory;

import java.io.IOException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class LdapInjection01 extends HttpServlet {
    private final DirContext context;

    public LdapInjection01(DirContext context) {
        this.context = context;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getParameter("user");
        String filter = "(&(objectClass=person)(uid=" + user + "))";
        SearchControls controls = new SearchControls();
        controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
        try {
            NamingEnumeration<SearchResult> results = context.search("ou=people,dc=example,dc=com", filter, controls);
            response.getWriter().write(results.hasMore() ? "found" : "missing");
        } catch (NamingException error) {
            response.sendError(500);
        }
    }
}
