"""Public event page for the meetup organiser."""

from fastapi import FastAPI, Query
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

app = FastAPI(title="meetups")
templates = Environment(
    loader=PackageLoader("meetups", "templates"),
    autoescape=select_autoescape(["html", "xml"]),
)


def event_context(event_slug: str, guest: str) -> dict:
    return {
        "event_title": event_slug.replace("-", " ").title(),
        "guest_name": guest,
        "seats_left": 12,
    }


@app.get("/events/{event_slug}/invite", response_class=HTMLResponse)
def invitation(event_slug: str, guest: str = Query("guest", max_length=80)):
    template = templates.get_template("invitation.html")
    page = template.render(**event_context(event_slug, guest))
    return HTMLResponse(page)
