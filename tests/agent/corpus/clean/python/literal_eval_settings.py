import ast
from decimal import Decimal

from flask import Flask, jsonify, request

app = Flask(__name__)

TAX_RATE = Decimal("0.2")


def parse_quantities(raw):
    value = ast.literal_eval(raw)
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, int) for item in value):
        raise ValueError("expected a list of integers")
    return list(value)


@app.post("/pricing/quote")
def quote():
    body = request.get_json(force=True)
    try:
        quantities = parse_quantities(body.get("quantities", "[]"))
    except (ValueError, SyntaxError) as exc:
        return jsonify(error=str(exc)), 400
    base = Decimal(str(body.get("base", 0)))
    subtotal = base * sum(quantities)
    return jsonify(subtotal=str(subtotal), total=str(subtotal * (1 + TAX_RATE)))
