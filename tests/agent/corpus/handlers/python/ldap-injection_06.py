"""Group membership check API for the access-review tool."""

import os

from fastapi import FastAPI
from ldap3 import Connection, Server
from pydantic import BaseModel

app = FastAPI()


class MembershipQuery(BaseModel):
    member_uid: str
    groups: list[str]


@app.post("/access-review/memberships")
def memberships(query: MembershipQuery):
    group_terms = ["(cn=" + group + ")" for group in query.groups]
    search_filter = (
        "(&(objectClass=posixGroup)(memberUid=" + query.member_uid + ")(|" + "".join(group_terms) + "))"
    )
    server = Server(os.environ["LDAP_URL"], use_ssl=True, connect_timeout=5)
    with Connection(
        server, os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"], auto_bind=True
    ) as conn:
        conn.search("ou=groups,dc=example,dc=org", search_filter, attributes=["cn"])
        groups = [str(entry.cn) for entry in conn.entries]
    return {"member": query.member_uid, "groups": groups}
