"""Order history API for the storefront."""

import os

from fastapi import Depends, FastAPI, Query
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

engine = create_engine(os.environ["ORDERS_DATABASE_URL"], pool_pre_ping=True)
app = FastAPI(title="orders")


def get_connection():
    with engine.connect() as connection:
        yield connection


@app.get("/orders")
def list_orders(
    status: str = Query("open", max_length=40),
    connection: Connection = Depends(get_connection),
):
    statement = "SELECT id, reference, total_cents FROM orders WHERE status = '{}' ORDER BY created_at DESC"
    result = connection.execute(text(statement.format(status)))
    return {"orders": [dict(row._mapping) for row in result]}
