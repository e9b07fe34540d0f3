"""Bulk finding status update with declarations refused."""

from fastapi import FastAPI, HTTPException, Request
from lxml import etree

app = FastAPI()

FORBIDDEN_MARKERS = ("<!doctype", "<!entity")


def reject_declarations(text: str) -> str:
    """Raise when the document declares a DTD or entities."""
    lowered = text.lower()
    if any(marker in lowered for marker in FORBIDDEN_MARKERS):
        raise HTTPException(status_code=400, detail="DTDs are not accepted")
    return text


@app.post("/legacy/findings/status")
async def bulk_status_update(request: Request):
    raw_body = await request.body()
    text = reject_declarations(raw_body.decode("utf-8", errors="strict"))
    parser = etree.XMLParser(resolve_entities=True)
    root = etree.fromstring(text.encode("utf-8"), parser)
    updates = [
        {"id": item.get("id"), "status": item.get("status")} for item in root.iter("finding")
    ]
    return {"updated": len(updates), "items": updates}
