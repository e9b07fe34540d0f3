import sqlite3

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
DATABASE = "inventory.db"


def get_connection():
    conn = sqlite3.connect(DATABASE)
    conn.row_factory = sqlite3.Row
    return conn


@app.get("/api/products")
def search_products():
    category = request.args.get("category", "")
    if not category:
        abort(400)
    with get_connection() as conn:
        rows = conn.execute("SELECT id, name, price FROM products WHERE category = ?", (category,)).fetchall()
    return jsonify([dict(row) for row in rows])
