"""Status page for the public API gateway."""

from fastapi import FastAPI, Query
from fastapi.responses import HTMLResponse

app = FastAPI(title="gateway-status")


@app.get("/status", response_class=HTMLResponse)
def status_page(region: str = Query("eu-west", max_length=100)):
    # The requested region is kept for the access log; the page is the same for every region.
    labels = {"requested": region, "title": "Gateway status"}
    page = "<html><body><h2>" + labels["title"] + "</h2><p>All systems operational</p></body></html>"
    headers = {"Cache-Control": "no-store"}
    return HTMLResponse(content=page, headers=headers)


@app.get("/status.json")
def status_json(region: str = Query("eu-west", max_length=100)):
    return {"region": region, "state": "operational", "incidents": []}
