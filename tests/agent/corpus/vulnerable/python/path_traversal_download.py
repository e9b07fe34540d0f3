import os

from flask import Flask, abort, send_file

app = Flask(__name__)
REPORT_DIR = "/var/app/reports"


@app.get("/reports/<path:filename>")
def download_report(filename):
    if not filename.endswith(".pdf"):
        abort(404)
    try:
        return send_file(os.path.join(REPORT_DIR, filename), mimetype="application/pdf", as_attachment=True)
    except FileNotFoundError:
        abort(404)
