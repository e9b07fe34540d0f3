package com.example.tenancy;

import javax.servlet.http.HttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class TrustBoundary03 {

    static final class TenantContext {
        String tenant;
        long selectedAt;
    }

    @GetMapping("/tenants/select")
    public String select(
            @RequestHeader("X-Tenant") String tenantHeader,
            HttpSession session) {
        TenantContext context = new TenantContext();
        context.tenant = tenantHeader.toLowerCase();
        context.selectedAt = System.currentTimeMillis();
        session.setAttribute("tenant", context.tenant);
        return "tenant selected";
    }
}
