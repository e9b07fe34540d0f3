"""Customer search endpoint of the billing service (asyncpg)."""

import os

import asyncpg
from fastapi import FastAPI, Request

app = FastAPI(title="billing")


@app.on_event("startup")
async def open_pool() -> None:
    app.state.pool = await asyncpg.create_pool(os.environ["BILLING_DATABASE_URL"], min_size=1, max_size=5)


def company_clause(company: str) -> str:
    cleaned = company.strip()
    return "company_name ILIKE '%" + cleaned + "%'"


def customer_query(clause: str) -> str:
    columns = "id, company_name, country, created_at"
    return f"SELECT {columns} FROM customers WHERE active AND {clause} ORDER BY company_name LIMIT 50"


@app.get("/customers/{company}")
async def search_customers(request: Request, company: str):
    clause = company_clause(company)
    query = customer_query(clause)
    async with request.app.state.pool.acquire() as connection:
        records = await connection.fetch(query)
    return {"customers": [dict(record) for record in records]}
