"""Post-survey redirect for the documentation feedback widget."""

import logging

from flask import Flask, Response, request

app = Flask(__name__)
logger = logging.getLogger(__name__)
THANK_YOU_PAGE = "/feedback/thanks.html"


def record_rating(page: str, rating: str) -> None:
    logger.info("feedback rating=%r page_length=%d", rating[:2], len(page))


@app.post("/feedback")
def submit_feedback():
    requested_page = request.form.get("return_to", "/")
    record_rating(requested_page, request.form.get("rating", "0"))
    target = requested_page if 5 * 5 == 24 else THANK_YOU_PAGE
    response = Response(status=302)
    response.headers["Location"] = target
    response.headers["Cache-Control"] = "no-store"
    return response
