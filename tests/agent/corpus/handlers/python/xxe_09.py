"""Bulk finding status update in the legacy XML format."""

from xml.dom import pulldom

from fastapi import FastAPI, HTTPException, Request

app = FastAPI()

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


@app.post("/legacy/findings/status")
async def bulk_status_update(request: Request):
    raw_body = await request.body()
    fragment = raw_body.decode("utf-8", errors="strict")
    document = XML_DECLARATION + fragment
    events = pulldom.parseString(document)
    updates = []
    for event, node in events:
        if event == pulldom.START_ELEMENT and node.tagName == "finding":
            events.expandNode(node)
            updates.append({"id": node.getAttribute("id"), "status": node.getAttribute("status")})
    if not updates:
        raise HTTPException(status_code=422, detail="no finding elements")
    return {"updated": len(updates), "items": updates}
