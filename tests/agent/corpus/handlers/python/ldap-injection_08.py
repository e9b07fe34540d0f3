"""Manager lookup for the expense approval workflow."""

import os

import ldap
from django.http import JsonResponse
from django.views import View


class ManagerDirectory:
    base_dn = "ou=people,dc=example,dc=org"
    employee_id = ""

    def manager_of(self):
        client = ldap.initialize(os.environ["LDAP_URI"])
        client.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
        client.simple_bind_s(os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"])
        try:
            search_filter = "(employeeNumber=" + self.employee_id + ")"
            return client.search_s(self.base_dn, ldap.SCOPE_SUBTREE, search_filter, ["manager"])
        finally:
            client.unbind_s()


class ApproverView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        directory = ManagerDirectory()
        directory.employee_id = request.GET.get("employee", "")
        results = directory.manager_of()
        managers = [attributes.get("manager", [b""])[0].decode() for _, attributes in results]
        return JsonResponse({"managers": managers})
