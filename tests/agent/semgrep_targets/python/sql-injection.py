# ruff: noqa
# Test target for sql-injection.yaml: request data reaching the text of a SQL statement.
import sqlite3

import pandas as pd
import psycopg2
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request
from psycopg2 import sql
from sqlalchemy import text

from myapp.models import Order, User

app = Flask(__name__)
api = FastAPI()
SORT_COLUMNS = {"name": "name", "created": "created_at"}
ALLOWED_ORDER = ("asc", "desc")


def get_db():
    return sqlite3.connect("app.db")


@app.route("/users")
def find_user():
    name = request.args.get("name", "")
    cursor = get_db().cursor()
    # ruleid: bastion.python.sql-injection
    cursor.execute("SELECT id, email FROM users WHERE name = '" + name + "'")
    return jsonify(cursor.fetchall())


@app.route("/users/safe")
def find_user_bound():
    name = request.args.get("name", "")
    cursor = get_db().cursor()
    # ok: bastion.python.sql-injection
    cursor.execute("SELECT id, email FROM users WHERE name = ?", (name,))
    return jsonify(cursor.fetchall())


@app.route("/orders/<order_id>")
def order(order_id):
    db = get_db()
    query = f"SELECT * FROM orders WHERE id = {order_id}"
    # ruleid: bastion.python.sql-injection
    rows = db.execute(query).fetchall()
    return jsonify(rows)


@app.route("/orders/<int:order_id>/typed")
def order_typed(order_id):
    number = int(request.args.get("page", "1"))
    db = get_db()
    # ok: bastion.python.sql-injection
    rows = db.execute("SELECT * FROM orders LIMIT 20 OFFSET %d" % (number * 20)).fetchall()
    return jsonify(rows)


@app.route("/report", methods=["POST"])
def report():
    payload = request.get_json()
    table = payload["table"]
    statement = "SELECT count(*) FROM {} WHERE owner = ?".format(table)
    conn = get_db()
    # ruleid: bastion.python.sql-injection
    count = conn.execute(statement, (payload["owner"],)).fetchone()
    return jsonify(count=count)


@app.route("/sorted")
def sorted_users():
    column = SORT_COLUMNS.get(request.args.get("sort"), "name")
    order = request.args.get("order", "asc")
    order = order if order in ALLOWED_ORDER else "asc"
    cursor = get_db().cursor()
    # ok: bastion.python.sql-injection
    cursor.execute(f"SELECT * FROM users ORDER BY {column} {order}")
    return jsonify(cursor.fetchall())


@app.route("/page")
def page():
    number = request.args.get("page", 1, type=int)
    cursor = get_db().cursor()
    # ok: bastion.python.sql-injection
    cursor.execute("SELECT * FROM posts LIMIT 10 OFFSET %d" % (number * 10))
    return jsonify(cursor.fetchall())


@app.route("/constant")
def constant_query():
    status = "active"
    cursor = get_db().cursor()
    # ok: bastion.python.sql-injection
    cursor.execute("SELECT * FROM users WHERE status = '%s'" % status)
    return jsonify(cursor.fetchall())


def django_search(request):
    term = request.GET.get("q", "")
    with connection.cursor() as cursor:
        # ruleid: bastion.python.sql-injection
        cursor.execute("SELECT * FROM products WHERE title LIKE '%%%s%%'" % term)
        rows = cursor.fetchall()
    return JsonResponse({"rows": rows})


def django_raw(request, username):
    # ruleid: bastion.python.sql-injection
    users = User.objects.raw("SELECT * FROM auth_user WHERE username = '%s'" % username)
    return JsonResponse({"count": len(list(users))})


def django_raw_bound(request, username):
    # ok: bastion.python.sql-injection
    users = User.objects.raw("SELECT * FROM auth_user WHERE username = %s", [username])
    return JsonResponse({"count": len(list(users))})


def django_orm(request):
    # ok: bastion.python.sql-injection
    orders = Order.objects.filter(customer__email=request.GET["email"])
    return JsonResponse({"count": orders.count()})


def django_extra(request):
    # ruleid: bastion.python.sql-injection
    orders = Order.objects.extra(where=["status = '%s'" % request.GET["status"]])
    # ruleid: bastion.python.sql-injection
    annotated = Order.objects.annotate(total=RawSQL("SELECT sum(amount) FROM items WHERE tag = '" + request.GET["tag"] + "'", []))
    return JsonResponse({"count": orders.count() + annotated.count()})


@api.get("/items")
async def list_items(category: str, session=None):
    # ruleid: bastion.python.sql-injection
    result = session.execute(text(f"SELECT * FROM items WHERE category = '{category}'"))
    return {"items": [dict(row) for row in result]}


@api.get("/items/bound")
async def list_items_bound(category: str, session=None):
    # ok: bastion.python.sql-injection
    result = session.execute(text("SELECT * FROM items WHERE category = :category"), {"category": category})
    return {"items": [dict(row) for row in result]}


@app.route("/export")
def export():
    region = request.args["region"]
    engine = get_db()
    # ruleid: bastion.python.sql-injection
    frame = pd.read_sql("SELECT * FROM sales WHERE region = '%s'" % region, engine)
    return frame.to_csv()


@app.route("/pg/columns")
def pg_columns():
    column = request.args["column"]
    conn = psycopg2.connect("dbname=app")
    cursor = conn.cursor()
    # ok: bastion.python.sql-injection
    cursor.execute(sql.SQL("SELECT {} FROM users").format(sql.Identifier(column)))
    # ruleid: bastion.python.sql-injection
    cursor.execute(sql.SQL("SELECT " + column + " FROM users"))
    return jsonify(cursor.fetchall())


@app.route("/bulk", methods=["POST"])
def bulk_insert():
    names = request.form.getlist("name")
    conn = get_db()
    # ok: bastion.python.sql-injection
    conn.executemany("INSERT INTO tags (name) VALUES (?)", [(name,) for name in names])
    conn.commit()
    return jsonify(inserted=len(names))


@app.route("/count/<kind>")
def count_kind(kind):
    limit = request.args.get("limit", "10")
    conn = get_db()
    if not limit.isdigit():
        return jsonify(error="bad limit"), 400
    # ok: bastion.python.sql-injection
    rows = conn.execute("SELECT * FROM events LIMIT " + str(len(kind))).fetchall()
    return jsonify(rows)


def nightly_cleanup(days):
    conn = get_db()
    # ok: bastion.python.sql-injection
    conn.execute("DELETE FROM sessions WHERE age > %d" % days)
