"""Room booking: finds meeting rooms by building in the directory."""

import os

from django.http import JsonResponse
from django.views.decorators.http import require_GET
from ldap3 import SUBTREE, Connection, Server


@require_GET
def rooms_in_building(request):
    building = request.GET.get("building", "")
    server = Server(os.environ["LDAP_URL"], use_ssl=True, connect_timeout=5)
    with Connection(
        server, os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"], auto_bind=True
    ) as conn:
        search_filter = "(&(objectClass=room)(buildingName=%s))" % building
        conn.search("ou=rooms,dc=example,dc=org", search_filter, SUBTREE, attributes=["cn", "roomNumber"])
        rooms = [{"name": str(entry.cn), "number": str(entry.roomNumber)} for entry in conn.entries]
    return JsonResponse({"building": building, "rooms": rooms})


@require_GET
def buildings(request):
    server = Server(os.environ["LDAP_URL"], use_ssl=True, connect_timeout=5)
    with Connection(
        server, os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"], auto_bind=True
    ) as conn:
        conn.search("ou=buildings,dc=example,dc=org", "(objectClass=building)", SUBTREE, attributes=["cn"])
        names = sorted(str(entry.cn) for entry in conn.entries)
    return JsonResponse({"buildings": names})
