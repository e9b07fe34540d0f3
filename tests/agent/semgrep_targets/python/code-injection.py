# ruff: noqa
# Test target for code-injection.yaml: request data evaluated, executed or imported as Python.
import ast
import importlib
import json

from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request

app = Flask(__name__)
api = FastAPI()
OPERATIONS = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b}
PLUGINS = {"csv": "exporters.csv", "pdf": "exporters.pdf"}


@app.route("/calc")
def calc():
    expression = request.args.get("expr", "1+1")
    # ruleid: bastion.python.code-injection.eval
    result = eval(expression)
    return jsonify(result=result)


@app.route("/calc/literal")
def calc_literal():
    expression = request.args.get("expr", "[]")
    # ok: bastion.python.code-injection.eval
    result = ast.literal_eval(expression)
    return jsonify(result=result)


@app.route("/calc/fixed")
def calc_fixed():
    left = request.args.get("a", "0")
    # ok: bastion.python.code-injection.eval
    result = eval("2 ** 10")
    # ok: bastion.python.code-injection.eval
    total = eval("%d + 1" % int(left))
    return jsonify(result=result, total=total)


@app.route("/filter", methods=["POST"])
def filter_rows():
    condition = request.json["condition"]
    rows = [{"price": 3}, {"price": 12}]
    # ruleid: bastion.python.code-injection.eval
    kept = [row for row in rows if eval("row['price'] " + condition, {"row": row})]
    return jsonify(kept)


@app.route("/operation/<name>")
def operation(name):
    function = OPERATIONS.get(name)
    if function is None:
        return jsonify(error="unknown"), 404
    # ok: bastion.python.code-injection.eval
    return jsonify(result=function(1, 2))


@app.route("/run", methods=["POST"])
def run_snippet():
    code = request.form["code"]
    scope = {}
    # ruleid: bastion.python.code-injection.exec
    exec(code, scope)
    return jsonify(result=str(scope.get("result")))


@app.route("/template-function", methods=["POST"])
def build_function():
    body = request.get_json()["body"]
    source = f"def handler(value):\n    return {body}\n"
    # ruleid: bastion.python.code-injection.exec
    compiled = compile(source, "<handler>", "exec")
    return jsonify(ok=compiled is not None)


@app.route("/export/<kind>")
def export(kind):
    # ruleid: bastion.python.code-injection.exec
    module = importlib.import_module(kind)
    return module.export()


@app.route("/export/safe/<kind>")
def export_safe(kind):
    # ok: bastion.python.code-injection.exec
    module = importlib.import_module(PLUGINS.get(kind, "exporters.csv"))
    return module.export()


@app.route("/loader")
def loader():
    name = request.args["module"]
    # ruleid: bastion.python.code-injection.exec
    plugin = __import__(name)
    return jsonify(name=plugin.__name__)


@app.route("/config")
def config():
    # ok: bastion.python.code-injection.exec
    exec("DEBUG = False", {})
    # ok: bastion.python.code-injection.eval
    data = json.loads(request.args.get("data", "{}"))
    return jsonify(data)


def django_formula(request):
    formula = request.POST.get("formula", "0")
    # ruleid: bastion.python.code-injection.eval
    value = eval(formula, {"__builtins__": {}})
    return JsonResponse({"value": value})


@api.get("/compute")
async def compute(expression: str):
    # ruleid: bastion.python.code-injection.eval
    return {"value": eval(expression)}


@api.get("/compute/safe")
async def compute_safe(expression: str):
    # ok: bastion.python.code-injection.eval
    return {"value": ast.literal_eval(expression)}
