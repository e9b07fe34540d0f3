package com.example.directory;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class LdapInjection02 {
    private final DirContext context;

    public LdapInjection02(DirContext context) {
        this.context = context;
    }

    @GetMapping("/directory/mail")
    public boolean exists(@RequestParam("mail") String mail) throws NamingException {
        SearchControls controls = new SearchControls();
        controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
        NamingEnumeration<SearchResult> results = context.search(
                "ou=people,dc=example,dc=com", "(&(objectClass=person)(mail={0}))", new Object[] {mail}, controls);
        return results.hasMore();
    }
}
