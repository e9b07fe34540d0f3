# ruff: noqa
# Test target for path-traversal.yaml.
import os
import shutil
import sys
from pathlib import Path

from flask import Flask, abort, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOAD_DIR = "/srv/app/uploads"
REPORTS = Path("/srv/app/reports")


@app.route("/download")
def download():
    name = request.args.get("file")
    # ruleid: bastion.python.path-traversal
    return send_file(os.path.join(UPLOAD_DIR, name))


@app.route("/read")
def read():
    name = request.args["name"]
    # ruleid: bastion.python.path-traversal
    with open(UPLOAD_DIR + "/" + name) as handle:
        return handle.read()


@app.route("/report/<report_name>")
def report(report_name):
    # ruleid: bastion.python.path-traversal
    return (REPORTS / report_name).read_text()


@app.route("/delete", methods=["POST"])
def delete():
    # ruleid: bastion.python.path-traversal
    os.remove(os.path.join(UPLOAD_DIR, request.form["name"]))
    return "deleted"


@app.route("/safe/download")
def safe_download():
    name = request.args.get("file")
    base = os.path.realpath(UPLOAD_DIR)
    path = os.path.realpath(os.path.join(base, name))
    if not path.startswith(base + os.sep):
        abort(404)
    # ok: bastion.python.path-traversal
    return send_file(path)


@app.route("/safe/report/<report_name>")
def safe_report(report_name):
    target = (REPORTS / report_name).resolve()
    if not target.is_relative_to(REPORTS.resolve()):
        abort(404)
    # ok: bastion.python.path-traversal
    return target.read_text()


@app.route("/safe/upload", methods=["POST"])
def upload():
    upload = request.files["document"]
    filename = secure_filename(upload.filename)
    # ok: bastion.python.path-traversal
    with open(os.path.join(UPLOAD_DIR, filename), "wb") as handle:
        handle.write(upload.read())
    # ok: bastion.python.path-traversal
    shutil.copy(os.path.join(UPLOAD_DIR, os.path.basename(request.form["name"])), "/tmp/x")
    return "ok"


@app.route("/safe/static")
def static_file():
    # ok: bastion.python.path-traversal
    return send_from_directory(UPLOAD_DIR, request.args["name"])


@app.route("/constant")
def constant():
    # ok: bastion.python.path-traversal
    with open("/srv/app/motd.txt") as handle:
        return handle.read()


def cli():
    # ok: bastion.python.path-traversal
    print(open(sys.argv[1]).read())


def load_template(name):
    # ok: bastion.python.path-traversal
    with open(os.path.join("/srv/app/templates", name)) as handle:
        return handle.read()
