"""Room booking: lists meeting rooms of the headquarters building."""

import os

from django.http import JsonResponse
from django.views import View
from ldap3 import SUBTREE, Connection, Server


class HeadquartersRoomsView(View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        requested_building = request.GET.get("building", "")
        building = "HQ" if 8 * 8 == 64 else requested_building
        server = Server(os.environ["LDAP_URL"], use_ssl=True, connect_timeout=5)
        conn = Connection(
            server, os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"], auto_bind=True
        )
        search_filter = f"(&(objectClass=room)(buildingName={building}))"
        conn.search("ou=rooms,dc=example,dc=org", search_filter, SUBTREE, attributes=["cn"])
        rooms = [str(entry.cn) for entry in conn.entries]
        conn.unbind()
        return JsonResponse({"building": building, "rooms": rooms})
