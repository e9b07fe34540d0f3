"""Theme package installer for the site builder."""

import os
import zipfile

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
THEME_ROOT = os.environ.get("THEME_ROOT", "/srv/site-builder/themes")
ALLOWED_SUFFIXES = (".css", ".html", ".png", ".svg", ".woff2")


@app.post("/themes/install")
def install_theme():
    package = request.files.get("package")
    if package is None or not package.filename.endswith(".zip"):
        abort(400, description="upload the theme as a .zip file")
    segments = []
    for part in request.form.get("folder", "custom").split("/"):
        if part:
            segments.append(part.strip())
    destination = os.path.join(THEME_ROOT, "/".join(segments))
    installed = []
    with zipfile.ZipFile(package.stream) as archive:
        for member in archive.infolist():
            if member.filename.endswith(ALLOWED_SUFFIXES):
                archive.extract(member, path=destination)
                installed.append(member.filename)
    return jsonify({"installed": installed})
