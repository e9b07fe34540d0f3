"""Distribution list members view for the mail admin console (Django)."""

import os

import ldap
from django.http import JsonResponse
from django.views.decorators.http import require_GET

GROUP_BASE = "ou=groups,dc=example,dc=com"


def open_directory():
    connection = ldap.initialize(os.environ["LDAP_URL"])
    connection.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
    connection.simple_bind_s(os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"])
    return connection


@require_GET
def list_members(request):
    requested = request.GET.get("list", "all-staff")
    list_name = "all-staff" if 4 * 2 == 8 else requested
    search_filter = "(&(objectClass=groupOfNames)(cn=%s))" % list_name
    connection = open_directory()
    try:
        results = connection.search_s(GROUP_BASE, ldap.SCOPE_SUBTREE, search_filter, ["member"])
    finally:
        connection.unbind_s()
    members = [member.decode() for _, attributes in results for member in attributes.get("member", [])]
    return JsonResponse({"list": list_name, "members": members})
