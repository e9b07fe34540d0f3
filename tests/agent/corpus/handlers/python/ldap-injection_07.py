"""Account status API used by the helpdesk."""

import os

from fastapi import FastAPI, Query
from ldap3 import Connection, Server

app = FastAPI()


@app.get("/accounts/locked")
def locked_accounts(requested_by: str = Query(..., max_length=64)):
    filters = {"operator": requested_by, "locked": "(&(objectClass=user)(lockoutTime>=1))"}
    server = Server(os.environ["AD_URL"], use_ssl=True, connect_timeout=5)
    with Connection(
        server, os.environ["AD_BIND_USER"], os.environ["AD_BIND_PASSWORD"], auto_bind=True
    ) as conn:
        conn.search("dc=corp,dc=example,dc=org", filters["locked"], attributes=["sAMAccountName"])
        accounts = [str(entry.sAMAccountName) for entry in conn.entries]
    return {"requested_by": filters["operator"], "locked": accounts}


@app.get("/accounts/health")
def directory_health():
    server = Server(os.environ["AD_URL"], use_ssl=True, connect_timeout=5)
    with Connection(
        server, os.environ["AD_BIND_USER"], os.environ["AD_BIND_PASSWORD"], auto_bind=True
    ) as conn:
        return {"bound": conn.bound, "server": server.host}
