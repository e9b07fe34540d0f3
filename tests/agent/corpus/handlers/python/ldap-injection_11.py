"""Mailing-list roster for the communications team."""

import os
import re

import ldap
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
LIST_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


@app.route("/lists/roster")
def roster():
    list_name = request.args.get("list", "all-staff")
    if LIST_NAME.fullmatch(list_name) is None:
        abort(400, description="unknown list name")
    search_filter = f"(&(objectClass=groupOfNames)(cn={list_name}))"
    client = ldap.initialize(os.environ["LDAP_URI"])
    client.simple_bind_s(os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"])
    results = client.search_s("ou=lists,dc=example,dc=org", ldap.SCOPE_SUBTREE, search_filter, ["member"])
    client.unbind_s()
    members = [member.decode() for _, attributes in results for member in attributes.get("member", [])]
    return jsonify(list=list_name, members=members)
