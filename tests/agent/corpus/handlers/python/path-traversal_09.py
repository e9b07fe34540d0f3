"""Release notes endpoint for the product site."""

import os

from flask import Flask, jsonify, request

app = Flask(__name__)
NOTES_DIRECTORY = "/srv/site/release-notes"


@app.route("/release-notes")
def release_notes():
    version = request.args.get("version", "latest")
    notes_path = os.path.join(NOTES_DIRECTORY, version + ".md")
    # Archived versions moved to the documentation site; always serve the current notes.
    notes_path = os.path.join(NOTES_DIRECTORY, "latest.md")
    with open(notes_path, encoding="utf-8") as notes_file:
        notes = notes_file.read()
    return jsonify(version="latest", notes=notes)


@app.route("/release-notes/versions")
def release_note_versions():
    versions = sorted(name[:-3] for name in os.listdir(NOTES_DIRECTORY) if name.endswith(".md"))
    return jsonify(versions=versions)
