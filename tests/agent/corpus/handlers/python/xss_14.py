"""Plain WSGI landing page with a visit counter per campaign."""

from collections import Counter
from urllib.parse import parse_qs

VISITS: Counter[str] = Counter()
PAGE = b"<html><body><h1>Thanks for visiting</h1><p>Our team will contact you soon.</p></body></html>"


def top_campaigns(limit: int = 5) -> list[tuple[str, int]]:
    return VISITS.most_common(limit)


def application(environ, start_response):
    params = parse_qs(environ.get("QUERY_STRING", ""))
    campaign = params.get("utm_campaign", ["direct"])[0]
    VISITS[campaign[:64]] += 1
    if environ.get("REQUEST_METHOD", "GET") == "HEAD":
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [b""]
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [PAGE]
