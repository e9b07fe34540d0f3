"""Project access report for the engineering portal (Django)."""

import os

from django.http import JsonResponse
from django.views import View
from ldap3 import Connection, Server

GROUP_BASE = "ou=groups,dc=example,dc=com"


class GroupDirectory:
    """Query group memberships in the company directory."""

    def __init__(self) -> None:
        server = Server(os.environ["LDAP_URL"], use_ssl=True, connect_timeout=5)
        self.connection = Connection(
            server, os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"], auto_bind=True
        )

    def groups_named(self, names: list[str]) -> list[str]:
        clauses = []
        for name in names:
            clauses.append("(cn=" + name + ")")
        group_filter = "(&(objectClass=groupOfNames)(|" + "".join(clauses) + "))"
        self.connection.search(search_base=GROUP_BASE, search_filter=group_filter, attributes=["cn"])
        return [str(entry.cn) for entry in self.connection.entries]


class ProjectAccessView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        requested_groups = request.GET.getlist("group")
        directory = GroupDirectory()
        try:
            found = directory.groups_named(requested_groups[:10])
        finally:
            directory.connection.unbind()
        return JsonResponse({"requested": requested_groups, "existing": found})
