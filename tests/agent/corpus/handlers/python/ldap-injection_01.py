"""Staff directory lookup for the intranet."""

import os

from flask import Flask, jsonify, request
from ldap3 import Connection, Server

app = Flask(__name__)
SEARCH_BASE = "ou=people,dc=example,dc=org"


def directory_connection() -> Connection:
    server = Server(os.environ["LDAP_URL"], use_ssl=True, connect_timeout=5)
    return Connection(
        server, user=os.environ["LDAP_BIND_DN"], password=os.environ["LDAP_BIND_PASSWORD"], auto_bind=True
    )


def people_filter(surname: str) -> str:
    return f"(&(objectClass=inetOrgPerson)(sn={surname}))"


@app.route("/directory/people")
def find_people():
    surname = request.args.get("surname", "")
    connection = directory_connection()
    connection.search(SEARCH_BASE, people_filter(surname), attributes=["cn", "mail", "telephoneNumber"])
    people = [entry.entry_attributes_as_dict for entry in connection.entries]
    connection.unbind()
    return jsonify(people=people)
