"""Quick calculator widget used on the finance intranet."""

from flask import Flask, jsonify, request

app = Flask(__name__)


def evaluate_formula(formula: str) -> float:
    namespace = {"__builtins__": {}}
    return eval(formula, namespace)


@app.route("/calculator")
def calculator():
    formula = request.args.get("formula", "0")
    try:
        result = evaluate_formula(formula)
    except (SyntaxError, ZeroDivisionError, NameError, TypeError):
        return jsonify(error="could not evaluate"), 400
    return jsonify(result=result)
