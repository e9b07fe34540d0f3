"""Account lock status API for the identity self-service portal."""

import os
import re

from fastapi import FastAPI, HTTPException, Query
from ldap3 import Connection, Server

app = FastAPI(title="self-service")
USERNAME_PATTERN = re.compile(r"[a-z][a-z0-9._-]{1,31}")


def require_username(candidate: str) -> str:
    if not USERNAME_PATTERN.fullmatch(candidate):
        raise HTTPException(status_code=400, detail="invalid user name")
    return candidate


def directory() -> Connection:
    server = Server(os.environ["LDAP_URL"], use_ssl=True, connect_timeout=5)
    return Connection(server, os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"], auto_bind=True)


@app.get("/accounts/lock-status")
def lock_status(username: str = Query(..., max_length=32)):
    checked = require_username(username)
    connection = directory()
    try:
        connection.search(
            search_base="ou=users,dc=example,dc=com",
            search_filter=f"(&(objectClass=posixAccount)(uid={checked}))",
            attributes=["pwdAccountLockedTime"],
        )
        locked = any(entry.pwdAccountLockedTime.value for entry in connection.entries)
    finally:
        connection.unbind()
    return {"username": checked, "locked": locked}
