"""SAML-like assertion inspector (hardened parser)."""

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from flask import Flask, abort, jsonify, request

app = Flask(__name__)

MAX_DOCUMENT_BYTES = 512 * 1024
ASSERTION_NAMESPACE = "urn:oasis:names:tc:SAML:2.0:assertion"


@app.post("/sso/assertions/inspect")
def inspect_assertion():
    payload = request.get_data()
    if not payload or len(payload) > MAX_DOCUMENT_BYTES:
        abort(400, description="empty or oversized document")
    try:
        root = ElementTree.fromstring(payload)
    except (ElementTree.ParseError, DefusedXmlException):
        abort(400, description="rejected XML")
    issuer = root.findtext(f"{{{ASSERTION_NAMESPACE}}}Issuer", default="")
    attributes = root.findall(f".//{{{ASSERTION_NAMESPACE}}}Attribute")
    return jsonify({"issuer": issuer, "attributes": [item.get("Name") for item in attributes]})
