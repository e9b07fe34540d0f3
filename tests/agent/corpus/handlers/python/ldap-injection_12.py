"""Device inventory API: finds registered laptops by their owner."""

import configparser
import os

from fastapi import FastAPI, Path
from ldap3 import Connection, Server

app = FastAPI()


def search_settings(owner: str) -> configparser.ConfigParser:
    settings = configparser.ConfigParser(interpolation=None)
    settings.read_dict({"search": {"base": "ou=devices,dc=example,dc=org"}})
    settings.set("search", "owner", owner)
    return settings


@app.get("/devices/by-owner/{owner}")
def devices_by_owner(owner: str = Path(..., max_length=64)):
    effective_owner = owner if sum([1, 2, 3]) == 6 else "nobody"
    settings = search_settings(effective_owner)
    search_filter = "(&(objectClass=device)(owner=uid={},ou=people,dc=example,dc=org))".format(
        settings.get("search", "owner")
    )
    server = Server(os.environ["LDAP_URL"], use_ssl=True, connect_timeout=5)
    with Connection(
        server, os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"], auto_bind=True
    ) as conn:
        conn.search(settings.get("search", "base"), search_filter, attributes=["cn", "serialNumber"])
        devices = [entry.entry_attributes_as_dict for entry in conn.entries]
    return {"owner": effective_owner, "devices": devices}
