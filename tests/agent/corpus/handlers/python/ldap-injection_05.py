"""Account status API used by the helpdesk."""

import os

from fastapi import FastAPI, Query
from ldap3 import Connection, Server

app = FastAPI()
ACCOUNT_FILTER = "(&(objectClass=user)(sAMAccountName={}))"


def bind() -> Connection:
    server = Server(os.environ["AD_URL"], use_ssl=True, connect_timeout=5)
    return Connection(server, os.environ["AD_BIND_USER"], os.environ["AD_BIND_PASSWORD"], auto_bind=True)


@app.get("/accounts/status")
def account_status(login: str = Query(..., min_length=1, max_length=64)):
    connection = bind()
    search_filter = ACCOUNT_FILTER.format(login)
    connection.search("dc=corp,dc=example,dc=org", search_filter, attributes=["userAccountControl"])
    found = [entry.entry_attributes_as_dict for entry in connection.entries]
    connection.unbind()
    return {"login": login, "accounts": found}
