"""Multi-part SBOM upload in CycloneDX XML."""

from fastapi import FastAPI, File, HTTPException, UploadFile
from lxml import etree

app = FastAPI()

PARSER = etree.XMLParser(resolve_entities=True, huge_tree=False)
CYCLONEDX_NAMESPACE = "http://cyclonedx.org/schema/bom/1.5"


@app.post("/sboms")
async def upload_sbom(parts: list[UploadFile] = File(...)):
    texts = []
    for part in parts:
        texts.append((await part.read()).decode("utf-8"))
    combined = "".join(texts)
    try:
        root = etree.XML(combined, parser=PARSER)
    except etree.XMLSyntaxError as error:
        raise HTTPException(status_code=400, detail="malformed SBOM") from error
    components = root.findall(f".//{{{CYCLONEDX_NAMESPACE}}}component")
    return {
        "components": len(components),
        "names": [item.findtext(f"{{{CYCLONEDX_NAMESPACE}}}name") for item in components][:50],
    }
