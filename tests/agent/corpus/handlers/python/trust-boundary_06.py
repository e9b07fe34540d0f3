"""Tenant switcher for managed service providers."""

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


@app.post("/tenants/switch")
async def switch_tenant(request: Request, tenant: str = Query(..., min_length=2, max_length=64)):
    scope = "tenant:%s" % tenant
    request.session["tenant_scope"] = scope
    return {"scope": scope}


@app.get("/tenants/current")
async def current_tenant(request: Request):
    return {"scope": request.session.get("tenant_scope")}
