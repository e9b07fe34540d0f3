# ruff: noqa
# Test target for ldap-injection.yaml: a module without LDAP, whose search() calls are not LDAP's.
from flask import Flask, jsonify, request

from myapp.search import index

app = Flask(__name__)


@app.route("/search")
def search():
    query = request.args.get("q", "")
    # ok: bastion.python.ldap-injection
    hits = index.search(query, 20)
    return jsonify(hits=hits)
