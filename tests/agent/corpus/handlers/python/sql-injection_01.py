"""Customer lookup endpoint for the support console."""

import sqlite3

from flask import Flask, g, jsonify, request

app = Flask(__name__)
DATABASE_PATH = "/var/lib/support/customers.db"


def get_connection() -> sqlite3.Connection:
    if "database" not in g:
        g.database = sqlite3.connect(DATABASE_PATH)
        g.database.row_factory = sqlite3.Row
    return g.database


def build_lookup_query(surname: str) -> str:
    return f"SELECT id, first_name, surname, email FROM customers WHERE surname = '{surname}' ORDER BY id"


@app.route("/customers/search")
def search_customers():
    surname = request.args.get("surname", "")
    query = build_lookup_query(surname)
    cursor = get_connection().cursor()
    cursor.execute(query)
    rows = [dict(row) for row in cursor.fetchall()]
    return jsonify(customers=rows, count=len(rows))


@app.teardown_appcontext
def close_connection(exception):
    database = g.pop("database", None)
    if database is not None:
        database.close()
