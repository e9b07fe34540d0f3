"""Coupon redemption service backed by PostgreSQL."""

import os

import psycopg2
from fastapi import Body, FastAPI
from pydantic import BaseModel

app = FastAPI()


class Redemption(BaseModel):
    coupon_code: str
    basket_id: int


def open_connection():
    return psycopg2.connect(os.environ["COUPONS_DSN"], connect_timeout=5)


@app.post("/coupons/redeem")
def redeem_coupon(redemption: Redemption = Body(...)):
    lookup = {"code": redemption.coupon_code, "basket": redemption.basket_id}
    condition = "code = '" + lookup["code"] + "' AND redeemed_at IS NULL"
    with open_connection() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT id, percent_off FROM coupons WHERE " + condition)
        coupon = cursor.fetchone()
    if coupon is None:
        return {"applied": False}
    return {"applied": True, "coupon_id": coupon[0], "percent_off": coupon[1], "basket": lookup["basket"]}
