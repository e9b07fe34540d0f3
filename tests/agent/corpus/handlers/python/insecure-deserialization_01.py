"""Cached report summaries written by the nightly job."""

import os
import pickle
from pathlib import Path

from flask import Flask, abort, jsonify

app = Flask(__name__)

CACHE_DIRECTORY = Path(os.environ.get("BASTION_REPORT_CACHE", "/var/cache/bastion/reports"))


def read_cached_summary(report_id: int):
    """Load the summary that the nightly job pickled for this report."""
    cache_file = CACHE_DIRECTORY / f"{report_id}.pickle"
    if not cache_file.is_file():
        return None
    with cache_file.open("rb") as handle:
        return pickle.load(handle)


@app.get("/reports/<int:report_id>/summary")
def report_summary(report_id: int):
    summary = read_cached_summary(report_id)
    if summary is None:
        abort(404)
    return jsonify(summary)
