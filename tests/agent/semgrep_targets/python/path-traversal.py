# ruff: noqa
# Test target for path-traversal.yaml: request data reaching a file system path.
import os
import shutil
from pathlib import Path

from django.http import FileResponse, HttpResponse
from fastapi import FastAPI
from fastapi.responses import FileResponse as StarletteFileResponse
from flask import Flask, abort, jsonify, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
api = FastAPI()
UPLOAD_DIRECTORY = "/srv/uploads"
REPORTS = Path("/srv/reports")
TEMPLATES = {"invoice": "invoice.txt", "receipt": "receipt.txt"}


@app.route("/download")
def download():
    name = request.args.get("file", "")
    # ruleid: bastion.python.path-traversal
    return send_file(os.path.join(UPLOAD_DIRECTORY, name))


@app.route("/download/safe")
def download_safe():
    name = request.args.get("file", "")
    # ok: bastion.python.path-traversal
    return send_from_directory(UPLOAD_DIRECTORY, name)


@app.route("/download/basename")
def download_basename():
    name = os.path.basename(request.args.get("file", ""))
    # ok: bastion.python.path-traversal
    return send_file(os.path.join(UPLOAD_DIRECTORY, name))


@app.route("/read/<path:filename>")
def read(filename):
    # ruleid: bastion.python.path-traversal
    with open(UPLOAD_DIRECTORY + "/" + filename) as handle:
        return handle.read()


@app.route("/upload", methods=["POST"])
def upload():
    uploaded = request.files["document"]
    # ruleid: bastion.python.path-traversal
    uploaded.save(os.path.join(UPLOAD_DIRECTORY, uploaded.filename))
    return jsonify(saved=True)


@app.route("/upload/safe", methods=["POST"])
def upload_safe():
    uploaded = request.files["document"]
    filename = secure_filename(uploaded.filename)
    # ok: bastion.python.path-traversal
    uploaded.save(os.path.join(UPLOAD_DIRECTORY, filename))
    return jsonify(saved=True)


@app.route("/reports/<name>")
def report(name):
    path = REPORTS / name
    # ruleid: bastion.python.path-traversal
    return path.read_text()


@app.route("/reports/named/<name>")
def report_named(name):
    path = REPORTS / Path(name).name
    # ok: bastion.python.path-traversal
    return path.read_text()


@app.route("/documents/<path:name>")
def document(name):
    full = os.path.realpath(os.path.join(UPLOAD_DIRECTORY, name))
    if os.path.commonpath([UPLOAD_DIRECTORY, full]) != UPLOAD_DIRECTORY:
        abort(403)
    # ok: bastion.python.path-traversal
    return send_file(full)


@app.route("/archive/<path:name>")
def archive(name):
    path = (REPORTS / name).resolve()
    if not path.is_relative_to(REPORTS):
        return "forbidden", 403
    # ok: bastion.python.path-traversal
    return path.read_bytes()


@app.route("/archive/parents/<path:name>")
def archive_parents(name):
    path = (REPORTS / name).resolve()
    if REPORTS.resolve() not in path.parents:
        abort(404)
    # ok: bastion.python.path-traversal
    return path.read_bytes()


@app.route("/templates/<kind>")
def template(kind):
    # ok: bastion.python.path-traversal
    with open(os.path.join("/srv/templates", TEMPLATES.get(kind, "invoice.txt"))) as handle:
        return handle.read()


@app.route("/static-file")
def static_file():
    name = "terms.txt"
    # ok: bastion.python.path-traversal
    with open(os.path.join(UPLOAD_DIRECTORY, name)) as handle:
        return handle.read()


@app.route("/delete", methods=["POST"])
def delete():
    target = request.form["path"]
    # ruleid: bastion.python.path-traversal
    os.remove(os.path.join(UPLOAD_DIRECTORY, target))
    return jsonify(deleted=True)


@app.route("/move", methods=["POST"])
def move():
    data = request.get_json()
    # ruleid: bastion.python.path-traversal
    shutil.move("/srv/inbox/latest.csv", data["destination"])
    return jsonify(moved=True)


@api.get("/page/{number}")
def page(number: int):
    # ok: bastion.python.path-traversal
    with open(f"/srv/pages/{number}.html") as handle:
        return handle.read()


def django_download(request):
    name = request.GET["name"]
    # ruleid: bastion.python.path-traversal
    return FileResponse(open(os.path.join("/srv/media", name), "rb"))


def django_avatar(request, username):
    # ruleid: bastion.python.path-traversal
    data = Path("/srv/avatars", username + ".png").read_bytes()
    return HttpResponse(data, content_type="image/png")


@api.get("/files/{name}")
async def get_file(name: str):
    # ruleid: bastion.python.path-traversal
    return StarletteFileResponse(f"/srv/files/{name}")


@api.get("/files/safe/{name}")
async def get_file_safe(name: str):
    # ok: bastion.python.path-traversal
    return StarletteFileResponse(os.path.join("/srv/files", os.path.basename(name)))


@api.get("/listing")
async def listing(folder: str):
    # ruleid: bastion.python.path-traversal
    return {"files": os.listdir(os.path.join("/srv/files", folder))}
