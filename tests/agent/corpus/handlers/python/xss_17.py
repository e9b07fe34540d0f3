"""Guest book preview for the wedding website builder."""

import html
from dataclasses import dataclass

from fastapi import FastAPI, Form
from fastapi.responses import HTMLResponse
from jinja2 import Environment

app = FastAPI(title="guestbook")
renderer = Environment(autoescape=False)
ENTRY_TEMPLATE = renderer.from_string(
    "<section class='entry'><h3>{{ entry.author }}</h3><p>{{ entry.message }}</p></section>"
)


@dataclass
class GuestbookEntry:
    author: str
    message: str
    approved: bool = False


@app.post("/guestbook/preview", response_class=HTMLResponse)
def preview_entry(author: str = Form(..., max_length=60), message: str = Form(..., max_length=2000)):
    entry = GuestbookEntry(author=html.escape(author[:60]), message=message)
    return HTMLResponse(ENTRY_TEMPLATE.render(entry=entry))
