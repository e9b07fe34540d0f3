"""Search results page for the public documentation site."""

from flask import Flask, request
from markupsafe import escape

from docs_index import search_pages

app = Flask(__name__)


def render_heading(term: str, hits: int) -> str:
    return f"<h1>Results for {escape(term)}</h1><p>{hits} pages found</p>"


@app.route("/search")
def search():
    term = request.args.get("q", "")
    pages = search_pages(term)
    heading = render_heading(term, len(pages))
    return heading + "<ul>" + "".join("<li>page</li>" for _ in pages) + "</ul>"
