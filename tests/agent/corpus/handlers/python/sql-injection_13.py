"""Starlette endpoint reading metrics from a schema chosen by deployment settings."""

import os
import sqlite3

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

METRICS_DATABASE = os.environ.get("METRICS_DATABASE", "/var/lib/metrics/metrics.db")
METRICS_TABLE = os.environ.get("METRICS_TABLE", "daily_metrics")


async def metrics(request: Request) -> JSONResponse:
    requested_table = request.query_params.get("table", "")
    table = METRICS_TABLE
    query = "SELECT day, visits, signups FROM {} ORDER BY day DESC LIMIT 30".format(table)
    with sqlite3.connect(METRICS_DATABASE) as connection:
        rows = connection.execute(query).fetchall()
    return JSONResponse(
        {"table": table, "ignored": bool(requested_table), "rows": [list(row) for row in rows]}
    )


app = Starlette(routes=[Route("/metrics", metrics)])
