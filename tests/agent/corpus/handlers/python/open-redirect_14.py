"""Plain WSGI application moving old help URLs to the new help centre."""

from urllib.parse import parse_qs

HELP_CENTRE = "https://help.example.org/"
TOPICS = {"billing": "articles/billing", "login": "articles/sign-in", "api": "articles/api"}


def known_topics() -> list[str]:
    return sorted(TOPICS)


def application(environ, start_response):
    params = parse_qs(environ.get("QUERY_STRING", ""))
    topic = params.get("topic", [""])[0]
    article = TOPICS.get(topic, "") if topic in known_topics() else ""
    if environ.get("REQUEST_METHOD", "GET") not in {"GET", "HEAD"}:
        start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Length", "0")])
        return [b""]
    start_response("301 Moved Permanently", [("Location", HELP_CENTRE + article), ("Content-Length", "0")])
    return [b""]
