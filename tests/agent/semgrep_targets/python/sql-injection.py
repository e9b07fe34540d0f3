# ruff: noqa
# Test target for sql-injection.yaml: `semgrep --test` checks every `ruleid:` line matches
# and every `ok:` line does not.
import sqlite3
import sys

import pandas as pd
from django.db.models.expressions import RawSQL
from flask import Flask, request
from sqlalchemy import text

app = Flask(__name__)
connection = sqlite3.connect("app.db")
TABLE = "users"


@app.route("/users")
def search_users():
    name = request.args.get("name")
    cursor = connection.cursor()
    # ruleid: bastion.python.sql-injection
    cursor.execute("SELECT * FROM users WHERE name = '" + name + "'")
    # ok: bastion.python.sql-injection
    cursor.execute("SELECT * FROM users WHERE name = ?", (name,))
    return "done"


@app.route("/users/<user_id>")
def show_user(user_id):
    cursor = connection.cursor()
    # ruleid: bastion.python.sql-injection
    cursor.execute(f"SELECT * FROM users WHERE id = {user_id}")
    # ok: bastion.python.sql-injection
    cursor.execute("SELECT * FROM users WHERE id = ?", [user_id])
    # ok: bastion.python.sql-injection
    cursor.execute("SELECT * FROM users WHERE id = %d" % int(user_id))
    return "done"


def find_by_email(cursor, email):
    query = "SELECT id FROM accounts WHERE email = '%s'" % email
    # ruleid: bastion.python.sql-injection
    cursor.execute(query)


def delete_order(session, order_id):
    statement = "DELETE FROM orders WHERE id = {}".format(order_id)
    # ruleid: bastion.python.sql-injection
    session.execute(text(statement))


def sort_users(cursor, column):
    sql = "SELECT * FROM users"
    sql += " ORDER BY " + column
    # ruleid: bastion.python.sql-injection
    cursor.execute(sql)


def report_from_cli():
    region = sys.argv[1]
    # ruleid: bastion.python.sql-injection
    return pd.read_sql("SELECT * FROM sales WHERE region = '" + region + "'", connection)


def raw_lookup(model, username):
    # ruleid: bastion.python.sql-injection
    return model.objects.raw(f"SELECT * FROM auth_user WHERE username = '{username}'")


def annotate(queryset, field):
    # ruleid: bastion.python.sql-injection
    return queryset.annotate(val=RawSQL("SELECT " + field + " FROM t", ()))


def find_many(cursor, ids):
    placeholders = ", ".join("?" for _ in ids)
    query = f"SELECT * FROM users WHERE id IN ({placeholders})"
    # ok: bastion.python.sql-injection
    cursor.execute(query, ids)


def filtered(cursor, name, email):
    clauses = []
    params = []
    if name:
        clauses.append("name = %s")
        params.append(name)
    if email:
        clauses.append("email = %s")
        params.append(email)
    query = "SELECT * FROM users WHERE " + " AND ".join(clauses)
    # ok: bastion.python.sql-injection
    cursor.execute(query, params)


def constant_table(cursor, user_id):
    # ok: bastion.python.sql-injection
    cursor.execute(f"SELECT * FROM {TABLE} WHERE id = %s", (user_id,))


def count_rows(cursor, limit):
    # ok: bastion.python.sql-injection
    cursor.execute("SELECT * FROM users LIMIT %s" % len(limit))


def greeting(logger, name):
    message = "Hello " + name + ", welcome back"
    logger.info(message)
    # ok: bastion.python.sql-injection
    connection.execute("SELECT 1")


def sqlalchemy_bound(session, user_id):
    # ok: bastion.python.sql-injection
    session.execute(text("SELECT * FROM users WHERE id = :id"), {"id": user_id})
