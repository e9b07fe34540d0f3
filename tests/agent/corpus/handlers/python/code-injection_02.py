"""Quick calculator widget used on the finance intranet."""

import ast

from flask import Flask, jsonify, request

app = Flask(__name__)


def parse_values(raw: str) -> list[float]:
    values = ast.literal_eval(raw)
    if not isinstance(values, list | tuple):
        raise ValueError("expected a list of numbers")
    return [float(value) for value in values]


@app.route("/calculator/sum")
def calculator_sum():
    raw_values = request.args.get("values", "[]")
    try:
        values = parse_values(raw_values)
    except (ValueError, SyntaxError, TypeError):
        return jsonify(error="could not parse values"), 400
    return jsonify(total=sum(values), count=len(values))
