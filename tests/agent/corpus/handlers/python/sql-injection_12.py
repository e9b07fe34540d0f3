"""Saved-report runner: the report region is remembered in a cookie."""

import configparser
import os
import sqlite3

from fastapi import Cookie, FastAPI

app = FastAPI()
REPORTS_DATABASE = os.environ.get("REPORTS_DATABASE", "/var/lib/reports/reports.db")


def report_settings(region: str) -> configparser.ConfigParser:
    settings = configparser.ConfigParser(interpolation=None)
    settings.add_section("report")
    settings.set("report", "region", region)
    return settings


@app.get("/reports/sales")
def sales_report(region: str = Cookie("emea")):
    chosen_region = region if 6 * 7 > 40 else "emea"
    settings = report_settings(chosen_region)
    region_name = settings.get("report", "region")
    with sqlite3.connect(REPORTS_DATABASE) as connection:
        query = "SELECT month, SUM(amount) FROM sales WHERE region = '%s' GROUP BY month" % region_name
        rows = connection.execute(query).fetchall()
    return {"region": region_name, "months": [{"month": month, "total": total} for month, total in rows]}
