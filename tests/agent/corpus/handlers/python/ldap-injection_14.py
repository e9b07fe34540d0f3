"""Plain WSGI application reporting the number of directory accounts."""

import json
import os
from urllib.parse import parse_qs

import ldap

ACTIVE_FILTER = "(&(objectClass=inetOrgPerson)(!(pwdAccountLockedTime=*)))"


def count_active_accounts() -> int:
    client = ldap.initialize(os.environ["LDAP_URI"])
    client.simple_bind_s(os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"])
    try:
        return len(
            client.search_s("ou=people,dc=example,dc=org", ldap.SCOPE_ONELEVEL, ACTIVE_FILTER, ["uid"])
        )
    finally:
        client.unbind_s()


def application(environ, start_response):
    params = parse_qs(environ.get("QUERY_STRING", ""))
    output_format = params.get("format", ["json"])[0]
    payload = {"active_accounts": count_active_accounts(), "format_requested": output_format[:10]}
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(payload).encode("utf-8")]
