"""Tenant reset for managed service providers."""

import os

from fastapi import FastAPI, Query, Request
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
app.add_middleware(
    SessionMiddleware,
    secret_key=os.environ["SESSION_SECRET_KEY"],
    https_only=True,
    same_site="lax",
)


@app.post("/tenants/reset")
async def reset_tenant(request: Request, tenant: str = Query("", max_length=64)):
    choices = {"scope": "tenant:home", "requested": tenant}
    request.session["tenant_scope"] = choices["scope"]
    return {"scope": choices["scope"], "ignored": choices["requested"]}


@app.get("/tenants/current")
async def current_tenant(request: Request):
    return {"scope": request.session.get("tenant_scope")}
