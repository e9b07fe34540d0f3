# ruff: noqa
# Test target for ldap-injection.yaml: request data reaching an LDAP filter or base DN.
import re

import ldap
import ldap.filter
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, abort, jsonify, request
from ldap3 import ALL, SUBTREE, Connection, Server
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)
api = FastAPI()
BASE_DN = "ou=people,dc=example,dc=org"


def directory():
    connection = ldap.initialize("ldap://ldap.example.org")
    connection.simple_bind_s("cn=reader,dc=example,dc=org", "reader-password")
    return connection


@app.route("/people")
def people():
    username = request.args.get("user", "")
    connection = directory()
    # ruleid: bastion.python.ldap-injection
    results = connection.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(uid=" + username + ")")
    return jsonify([dn for dn, _ in results])


@app.route("/people/escaped")
def people_escaped():
    username = request.args.get("user", "")
    connection = directory()
    search_filter = "(uid=%s)" % ldap.filter.escape_filter_chars(username)
    # ok: bastion.python.ldap-injection
    results = connection.search_s(BASE_DN, ldap.SCOPE_SUBTREE, search_filter)
    return jsonify([dn for dn, _ in results])


@app.route("/people/format")
def people_format():
    username = request.args.get("user", "")
    connection = directory()
    # ok: bastion.python.ldap-injection
    results = connection.search_s(BASE_DN, ldap.SCOPE_SUBTREE, ldap.filter.filter_format("(uid=%s)", [username]))
    return jsonify([dn for dn, _ in results])


@app.route("/login", methods=["POST"])
def login():
    username = request.form["username"]
    password = request.form["password"]
    connection = directory()
    # ruleid: bastion.python.ldap-injection
    found = connection.search_ext_s(BASE_DN, ldap.SCOPE_SUBTREE, f"(&(uid={username})(userPassword={password}))")
    return jsonify(authenticated=bool(found))


@app.route("/groups/<group>")
def group_members(group):
    connection = directory()
    # ruleid: bastion.python.ldap-injection
    message_id = connection.search("cn=" + group + ",ou=groups,dc=example,dc=org", ldap.SCOPE_BASE)
    return jsonify(message_id=message_id)


@app.route("/staff")
def staff():
    department = "engineering"
    connection = directory()
    # ok: bastion.python.ldap-injection
    results = connection.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(department=%s)" % department)
    return jsonify(len(results))


@api.get("/users")
async def ldap3_users(name: str):
    server = Server("ldap://ldap.example.org", get_info=ALL)
    conn = Connection(server, auto_bind=True)
    # ruleid: bastion.python.ldap-injection
    conn.search(BASE_DN, f"(&(objectClass=person)(cn={name}))", attributes=["mail"])
    return {"entries": [entry.entry_to_json() for entry in conn.entries]}


@api.get("/users/escaped")
async def ldap3_users_escaped(name: str):
    server = Server("ldap://ldap.example.org", get_info=ALL)
    conn = Connection(server, auto_bind=True)
    # ok: bastion.python.ldap-injection
    conn.search(BASE_DN, f"(&(objectClass=person)(cn={escape_filter_chars(name)}))", attributes=["mail"])
    return {"entries": [entry.entry_to_json() for entry in conn.entries]}


def django_lookup(request):
    email = request.GET.get("email", "")
    conn = Connection(Server("ldap://ldap.example.org"), auto_bind=True)
    # ruleid: bastion.python.ldap-injection
    conn.search(search_base=BASE_DN, search_filter="(mail=" + email + ")", search_scope=SUBTREE)
    return JsonResponse({"found": len(conn.entries)})


@app.route("/grep")
def grep():
    pattern = request.args.get("pattern", "")
    # ok: bastion.python.ldap-injection
    match = re.search(pattern, "the quick brown fox")
    compiled = re.compile(r"\d+")
    # ok: bastion.python.ldap-injection
    number = compiled.search(request.args.get("text", ""))
    return jsonify(found=bool(match), number=bool(number))
