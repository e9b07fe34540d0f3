from decimal import Decimal

from flask import Flask, jsonify, request

app = Flask(__name__)

TAX_RATE = Decimal("0.2")


def apply_tax(amount):
    return Decimal(amount) * (1 + TAX_RATE)


@app.post("/pricing/quote")
def quote():
    body = request.get_json(force=True)
    formula = body.get("formula", "base")
    variables = {"base": float(body.get("base", 0)), "quantity": int(body.get("quantity", 1))}
    try:
        subtotal = eval(formula, {"__builtins__": {}}, variables)
    except (SyntaxError, NameError, TypeError, ZeroDivisionError) as exc:
        return jsonify(error=str(exc)), 400
    return jsonify(subtotal=subtotal, total=str(apply_tax(subtotal)))
