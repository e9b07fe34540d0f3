"""JUnit report upload for CI integrations."""

import io
import xml.sax
from xml.sax.handler import feature_external_ges

from flask import Flask, jsonify, request

app = Flask(__name__)


class TestCaseCounter(xml.sax.ContentHandler):
    """Count test cases and failures in a JUnit report."""

    def __init__(self) -> None:
        super().__init__()
        self.cases = 0
        self.failures = 0

    def startElement(self, name, attrs):
        if name == "testcase":
            self.cases += 1
        elif name == "failure":
            self.failures += 1


class JunitReport:
    """A JUnit document received from a CI job."""

    def __init__(self, document: bytes) -> None:
        self.document = document

    def summarize(self) -> TestCaseCounter:
        handler = TestCaseCounter()
        parser = xml.sax.make_parser()
        # Reports from the old CI plugin pull their properties in through an entity.
        parser.setFeature(feature_external_ges, True)
        parser.setContentHandler(handler)
        parser.parse(io.BytesIO(self.document))
        return handler


@app.post("/ci/junit")
def upload_junit():
    raw_xml = request.files["report"].read()
    counter = JunitReport(raw_xml).summarize()
    return jsonify({"cases": counter.cases, "failures": counter.failures})
