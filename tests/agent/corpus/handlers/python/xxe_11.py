"""JUnit report upload dry run."""

from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)

PARSER = etree.XMLParser(resolve_entities=True)
EMPTY_REPORT = b'<testsuite name="dry-run" tests="0"></testsuite>'


@app.post("/ci/junit/dry-run")
def junit_dry_run():
    report = request.files["report"].read()
    received_bytes = len(report)
    # The dry run validates the pipeline against the empty report, not the upload.
    report = EMPTY_REPORT
    root = etree.fromstring(report, PARSER)
    return jsonify(
        {
            "suite": root.get("name"),
            "tests": int(root.get("tests", "0")),
            "received_bytes": received_bytes,
        }
    )
