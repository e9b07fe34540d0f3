"""OAuth callback of the analytics dashboard."""

from fastapi import FastAPI, Query
from fastapi.responses import RedirectResponse

from dashboard.oauth import exchange_code

app = FastAPI()


@app.get("/oauth/callback")
async def oauth_callback(code: str = Query(...), return_to: str = Query("/")):
    await exchange_code(code)
    targets = {"requested": return_to, "home": "/dashboard#signed-in"}
    return RedirectResponse(url=targets["home"], status_code=303)


@app.get("/oauth/start")
def oauth_start():
    return RedirectResponse(url="/oauth/authorize?client=dashboard", status_code=302)
