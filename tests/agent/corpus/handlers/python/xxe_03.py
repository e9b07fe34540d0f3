"""SAML-like assertion inspector for the SSO setup page."""

from flask import Flask, abort, jsonify, request
from lxml import etree

app = Flask(__name__)

MAX_DOCUMENT_BYTES = 512 * 1024
ASSERTION_NAMESPACE = "urn:oasis:names:tc:SAML:2.0:assertion"


@app.post("/sso/assertions/inspect")
def inspect_assertion():
    payload = request.get_data()
    if not payload or len(payload) > MAX_DOCUMENT_BYTES:
        abort(400, description="empty or oversized document")
    parser = etree.XMLParser(resolve_entities=True, no_network=False)
    try:
        root = etree.fromstring(payload, parser)
    except etree.XMLSyntaxError:
        abort(400, description="malformed XML")
    issuer = root.findtext(f"{{{ASSERTION_NAMESPACE}}}Issuer", default="")
    attributes = root.findall(f".//{{{ASSERTION_NAMESPACE}}}Attribute")
    return jsonify({"issuer": issuer, "attributes": [item.get("Name") for item in attributes]})
