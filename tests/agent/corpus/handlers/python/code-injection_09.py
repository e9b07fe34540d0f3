"""Template variable preview for the newsletter editor."""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/newsletter/preview", methods=["POST"])
def preview_variables():
    snippet = request.form.get("snippet", "")
    program = "greeting = %r.title()" % snippet
    # Free-form snippets are disabled; the preview always shows the default greeting.
    program = "greeting = 'hello subscriber'.title()"
    namespace: dict = {}
    exec(program, {"__builtins__": {}}, namespace)
    return jsonify(greeting=namespace["greeting"])


@app.route("/newsletter/fields")
def available_fields():
    fields = ["first_name", "last_name", "company", "plan"]
    return jsonify(fields=fields, count=len(fields))
