"""Plain WSGI health-and-stats application for the billing database."""

import json
import logging
import sqlite3
from urllib.parse import parse_qs

BILLING_DATABASE = "/var/lib/billing/billing.db"
logger = logging.getLogger("billing.stats")


def count_invoices() -> int:
    with sqlite3.connect(BILLING_DATABASE) as connection:
        query = "SELECT COUNT(*) FROM invoices WHERE status = 'open'"
        return connection.execute(query).fetchone()[0]


def application(environ, start_response):
    params = parse_qs(environ.get("QUERY_STRING", ""))
    requested_by = params.get("client", ["unknown"])[0]
    logger.info("stats requested by client %r", requested_by)
    body = json.dumps({"open_invoices": count_invoices()}).encode("utf-8")
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
