// Test target for ldap-injection.yaml.
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.support.LdapEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import static org.springframework.ldap.query.LdapQueryBuilder.query;

@RestController
public class DirectoryController {
    private final DirContext context;
    private final LdapTemplate ldapTemplate;

    DirectoryController(DirContext context, LdapTemplate ldapTemplate) {
        this.context = context;
        this.ldapTemplate = ldapTemplate;
    }

    @GetMapping("/users")
    public Object find(@RequestParam String user) throws NamingException {
        String filter = "(&(objectClass=person)(uid=" + user + "))";
        // ruleid: bastion.java.ldap-injection
        NamingEnumeration<SearchResult> results = context.search("ou=people,dc=example,dc=com", filter, new SearchControls());
        // ok: bastion.java.ldap-injection
        NamingEnumeration<SearchResult> escaped = context.search("ou=people,dc=example,dc=com",
                "(uid=" + LdapEncoder.filterEncode(user) + ")", new SearchControls());
        // ok: bastion.java.ldap-injection
        NamingEnumeration<SearchResult> parameterised = context.search("ou=people,dc=example,dc=com",
                "(uid={0})", new Object[] {user}, new SearchControls());
        return java.util.List.of(results, escaped, parameterised);
    }

    @GetMapping("/groups")
    public Object groups(@RequestParam String group) {
        // ruleid: bastion.java.ldap-injection
        Object found = ldapTemplate.search("ou=groups", "(cn=" + group + ")", (Object attributes) -> attributes);
        // ok: bastion.java.ldap-injection
        Object safe = ldapTemplate.search(query().where("cn").is(group), (Object attributes) -> attributes);
        return java.util.List.of(found, safe);
    }

    Object admins(String department) throws NamingException {
        // ok: bastion.java.ldap-injection
        return context.search("ou=people", "(department=" + department + ")", new SearchControls());
    }
}

class UidServlet extends javax.servlet.http.HttpServlet {
    private static final java.util.regex.Pattern UID = java.util.regex.Pattern.compile("^[a-z0-9]{3,32}$");
    private DirContext context;

    @Override
    protected void doGet(javax.servlet.http.HttpServletRequest request, javax.servlet.http.HttpServletResponse response)
            throws java.io.IOException, NamingException {
        String uid = request.getParameter("uid");
        if (uid == null || !UID.matcher(uid).matches()) {
            response.sendError(400);
            return;
        }
        // ok: bastion.java.ldap-injection
        context.search("ou=people", "(uid=" + uid + ")", new SearchControls());
        String group = request.getParameter("group");
        if (group == null) {
            response.sendError(400);
            return;
        }
        // ruleid: bastion.java.ldap-injection
        context.search("ou=groups", "(cn=" + group + ")", new SearchControls());
    }
}
