from pathlib import Path

from flask import Flask, abort, send_file

app = Flask(__name__)
REPORT_DIR = Path("/var/app/reports").resolve()


@app.get("/reports/<path:filename>")
def download_report(filename):
    candidate = (REPORT_DIR / filename).resolve()
    if not candidate.is_relative_to(REPORT_DIR) or candidate.suffix != ".pdf":
        abort(404)
    if not candidate.is_file():
        abort(404)
    return send_file(candidate, mimetype="application/pdf", as_attachment=True)
