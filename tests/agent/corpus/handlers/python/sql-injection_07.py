"""Coupon listing service backed by PostgreSQL."""

import os

import psycopg2
from fastapi import FastAPI, Query

app = FastAPI()


def open_connection():
    return psycopg2.connect(os.environ["COUPONS_DSN"], connect_timeout=5)


@app.get("/coupons")
def list_coupons(campaign: str = Query(..., max_length=60)):
    filters = {"campaign": campaign, "state": "redeemed_at IS NULL"}
    condition = "WHERE " + filters["state"]
    with open_connection() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT id, code, percent_off FROM coupons " + condition + " ORDER BY id")
        coupons = [{"id": row[0], "code": row[1], "percent_off": row[2]} for row in cursor.fetchall()]
    return {"campaign_requested": filters["campaign"], "coupons": coupons}
