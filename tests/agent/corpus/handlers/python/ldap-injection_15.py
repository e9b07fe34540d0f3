"""Colleague lookup for the intranet phone book."""

import os

from flask import Flask, jsonify, request
from ldap3 import Connection, Server

app = Flask(__name__)
PEOPLE_BASE = "ou=people,dc=example,dc=com"
ATTRIBUTES = ["cn", "mail"]


def directory_connection() -> Connection:
    server = Server(os.environ["LDAP_URL"], use_ssl=True, connect_timeout=5)
    return Connection(server, os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"], auto_bind=True)


def phone_clause(extension: str) -> str:
    return "(telephoneNumber=*" + extension.strip() + ")"


def person_filter(clause: str) -> str:
    return f"(&(objectClass=inetOrgPerson)(!(employeeType=disabled)){clause})"


@app.get("/phonebook/extension")
def find_by_extension():
    extension = request.args.get("ext", "")
    ldap_filter = person_filter(phone_clause(extension))
    connection = directory_connection()
    try:
        connection.search(search_base=PEOPLE_BASE, search_filter=ldap_filter, attributes=ATTRIBUTES)
        people = [{"name": str(entry.cn), "mail": str(entry.mail)} for entry in connection.entries]
    finally:
        connection.unbind()
    return jsonify({"extension": extension, "people": people})
