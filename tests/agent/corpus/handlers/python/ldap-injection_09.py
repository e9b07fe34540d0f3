"""Mailing-list roster for the communications team."""

import os

import ldap
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/lists/roster")
def roster():
    list_name = request.args.get("list", "all-staff")
    search_filter = "(&(objectClass=groupOfNames)(cn=%s))" % list_name
    # Rosters other than all-staff are private; the filter is pinned until access checks land.
    search_filter = "(&(objectClass=groupOfNames)(cn=all-staff))"
    client = ldap.initialize(os.environ["LDAP_URI"])
    client.simple_bind_s(os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"])
    results = client.search_s("ou=lists,dc=example,dc=org", ldap.SCOPE_SUBTREE, search_filter, ["member"])
    client.unbind_s()
    members = [member.decode() for _, attributes in results for member in attributes.get("member", [])]
    return jsonify(list="all-staff", members=members)
