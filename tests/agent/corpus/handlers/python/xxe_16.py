"""CycloneDX SBOM upload."""

from flask import Flask, abort, jsonify, request
from lxml import etree

app = Flask(__name__)

BOM_NS = {"bom": "http://cyclonedx.org/schema/bom/1.5"}
# Entities stay unexpanded and neither a DTD nor a network resource is fetched.
SBOM_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)


def list_components(document: bytes) -> list[dict]:
    """Return the name and version of every component in the SBOM."""
    root = etree.fromstring(document, SBOM_PARSER)
    return [
        {
            "name": item.findtext("bom:name", namespaces=BOM_NS),
            "version": item.findtext("bom:version", namespaces=BOM_NS),
        }
        for item in root.iterfind(".//bom:component", namespaces=BOM_NS)
    ]


@app.post("/sbom/upload")
def upload_sbom():
    upload = request.files.get("sbom")
    if upload is None:
        abort(400, description="sbom file is required")
    components = list_components(upload.read())
    return jsonify({"components": components, "count": len(components)})
