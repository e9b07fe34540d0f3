package com.example.directory;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class LdapInjection03 {
    private static final String GROUP_BASE = "ou=groups,dc=example,dc=com";
    private final DirContext context;

    public LdapInjection03(DirContext context) {
        this.context = context;
    }

    record GroupQuery(String name) {
        String filter() {
            return String.format("(&(objectClass=groupOfNames)(cn=%s))", name);
        }
    }

    @GetMapping("/groups/{group}/exists")
    public boolean groupExists(
            @PathVariable("group") String group) throws NamingException {
        GroupQuery query = new GroupQuery(group);
        SearchControls controls = new SearchControls();
        NamingEnumeration<SearchResult> members = context.search(GROUP_BASE, query.filter(), controls);
        return members.hasMore();
    }
}
