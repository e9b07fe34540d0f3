"""Invoice template preview for the billing service."""

from pathlib import Path

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import PlainTextResponse

app = FastAPI(title="billing")
TEMPLATE_ROOT = Path("/srv/billing/templates").resolve()


def resolve_inside(root: Path, relative_name: str) -> Path:
    candidate = (root / relative_name).resolve()
    if not candidate.is_relative_to(root):
        raise HTTPException(status_code=400, detail="template outside the template directory")
    return candidate


@app.get("/invoices/templates/preview", response_class=PlainTextResponse)
def preview_template(name: str = Query(..., min_length=1, max_length=120)):
    template_path = resolve_inside(TEMPLATE_ROOT, name)
    if not template_path.is_file():
        raise HTTPException(status_code=404, detail="no such template")
    return template_path.read_text(encoding="utf-8")
