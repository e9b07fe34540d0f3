"""Single sign-on helper: resolves the user named by the reverse proxy header."""

import os

import ldap
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/sso/whoami")
def whoami():
    remote_user = request.headers.get("X-Remote-User", "")
    # The proxy sends "EXAMPLE\\name"; strip the 8-character domain prefix.
    account = remote_user[8:]
    filter_parts = ["(objectClass=person)", "(uid=" + account + ")"]
    client = ldap.initialize(os.environ["LDAP_URI"])
    client.simple_bind_s(os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"])
    base = "ou=people,dc=example,dc=org"
    results = client.search_s(base, ldap.SCOPE_SUBTREE, filter_parts[1], ["cn", "mail"])
    client.unbind_s()
    return jsonify(entries=[dn for dn, _ in results])
