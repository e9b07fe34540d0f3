package com.example.directory;

import java.io.IOException;
import java.util.regex.Pattern;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class LdapInjection04 extends HttpServlet {
    private static final Pattern UID = Pattern.compile("^[a-z0-9]{3,32}$");
    private final DirContext context;

    public LdapInjection04(DirContext context) {
        this.context = context;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uid = request.getParameter("uid");
        if (uid == null || !UID.matcher(uid).matches()) {
            response.sendError(400);
            return;
        }
        try {
            boolean found = context.search("ou=people,dc=example,dc=com", "(uid=" + uid + ")", new SearchControls()).hasMore();
            response.getWriter().write(found ? "found" : "missing");
        } catch (NamingException error) {
            response.sendError(500);
        }
    }
}
