"""Quick calculator widget used on the finance intranet."""

import re

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
ARITHMETIC = re.compile(r"^[0-9+\-*/(). ]{1,40}$")


@app.route("/calculator")
def calculator():
    formula = request.args.get("formula", "0")
    if not ARITHMETIC.fullmatch(formula) or "**" in formula:
        abort(400, description="only basic arithmetic is allowed")
    try:
        result = eval(formula, {"__builtins__": {}})
    except (SyntaxError, ZeroDivisionError):
        abort(400, description="could not evaluate")
    return jsonify(result=result)
