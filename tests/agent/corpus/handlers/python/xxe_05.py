"""SBOM envelope check used by the upload form."""

from fastapi import FastAPI, Form
from lxml import etree

app = FastAPI()

PARSER = etree.XMLParser(resolve_entities=True)
BOM_ENVELOPE = (
    '<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">'
    "<components/></bom>"
)


@app.post("/sboms/envelope")
def check_envelope(title: str = Form(...), document: str = Form("")):
    sources = {"envelope": BOM_ENVELOPE, "title": title, "document": document}
    root = etree.fromstring(sources["envelope"].encode("utf-8"), PARSER)
    return {
        "title": sources["title"],
        "root": etree.QName(root).localname,
        "version": root.get("version"),
        "document_length": len(sources["document"]),
    }
