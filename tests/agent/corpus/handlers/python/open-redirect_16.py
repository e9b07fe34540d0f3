"""Logout endpoint of the account service."""

from urllib.parse import urlparse

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import RedirectResponse

app = FastAPI(title="accounts")
TRUSTED_HOSTS = {"www.example.com", "shop.example.com", "help.example.com"}


def checked_return_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in {"https"} or parsed.netloc not in TRUSTED_HOSTS:
        raise HTTPException(status_code=400, detail="return URL is not on a trusted host")
    return url


@app.get("/logout")
def logout(return_url: str = Query("https://www.example.com/")):
    destination = checked_return_url(return_url)
    response = RedirectResponse(destination, status_code=303)
    response.delete_cookie("session_id", secure=True, httponly=True, samesite="lax")
    return response
