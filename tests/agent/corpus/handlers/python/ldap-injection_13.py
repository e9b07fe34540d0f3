"""Starlette endpoint listing members of the on-call group named in settings."""

import os

from ldap3 import Connection, Server
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

ON_CALL_FILTER = os.environ.get("ON_CALL_FILTER", "(&(objectClass=groupOfNames)(cn=on-call))")


async def on_call(request: Request) -> JSONResponse:
    team_hint = request.query_params.get("team", "")
    search_filter = ON_CALL_FILTER
    server = Server(os.environ["LDAP_URL"], use_ssl=True, connect_timeout=5)
    with Connection(
        server, os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"], auto_bind=True
    ) as conn:
        conn.search("ou=groups,dc=example,dc=org", search_filter, attributes=["member"])
        members = [str(member) for entry in conn.entries for member in entry.member]
    return JSONResponse({"team_hint_given": bool(team_hint), "members": members})


app = Starlette(routes=[Route("/on-call", on_call)])
