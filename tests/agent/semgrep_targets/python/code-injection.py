# ruff: noqa
# Test target for code-injection.yaml.
import ast
import importlib
import json

from flask import Flask, request
from jinja2 import Environment, Template

app = Flask(__name__)
PLUGINS = {"csv": "exporters.csv", "pdf": "exporters.pdf"}


@app.route("/calc")
def calculate():
    expression = request.args.get("expr")
    # ruleid: bastion.python.code-injection
    result = eval(expression)
    # ok: bastion.python.code-injection
    parsed = ast.literal_eval(expression)
    # ok: bastion.python.code-injection
    data = json.loads(expression)
    return str((result, parsed, data))


def run_hook(hook_source, context):
    # ruleid: bastion.python.code-injection
    exec(hook_source, {"__builtins__": {}}, context)


def build_filter(field, value):
    # ruleid: bastion.python.code-injection
    return eval("lambda row: row['%s'] == %r" % (field, value))


def compile_rule(rule_text):
    # ruleid: bastion.python.code-injection
    code = compile(rule_text, "<rule>", "eval")
    return code


def constant_code():
    snippet = "1 + 1"
    # ok: bastion.python.code-injection
    total = eval(snippet)
    # ok: bastion.python.code-injection
    exec("print('ready')")
    return total


class Model:
    def evaluate(self, model):
        # ok: bastion.python.code-injection
        model.eval()


@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    # ruleid: bastion.python.code-injection.template-or-import
    page = Template("<h1>Hello " + name + "</h1>").render()
    # ok: bastion.python.code-injection.template-or-import
    safe_page = Template("<h1>Hello {{ name }}</h1>").render(name=name)
    environment = Environment(autoescape=True)
    # ruleid: bastion.python.code-injection.template-or-import
    environment.from_string(request.form["template"]).render()
    return page + safe_page


@app.route("/export/<kind>")
def export(kind):
    # ruleid: bastion.python.code-injection.template-or-import
    module = importlib.import_module("exporters." + kind)
    # ok: bastion.python.code-injection.template-or-import
    module = importlib.import_module(PLUGINS[kind])
    return module.run()
