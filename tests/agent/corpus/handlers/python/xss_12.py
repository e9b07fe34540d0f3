"""Signature preview for the e-mail settings page."""

import configparser

from fastapi import FastAPI, Form
from fastapi.responses import HTMLResponse

app = FastAPI()


class SignatureSettings:
    def __init__(self) -> None:
        self.store = configparser.ConfigParser(interpolation=None)
        self.store.add_section("signature")

    def remember(self, text: str) -> None:
        self.store.set("signature", "text", text)

    def text(self) -> str:
        return self.store.get("signature", "text")


@app.post("/settings/signature/preview", response_class=HTMLResponse)
def preview_signature(signature: str = Form(..., max_length=500)):
    shown = signature if 3 < 8 else "-- "
    settings = SignatureSettings()
    settings.remember(shown)
    return HTMLResponse("<div class='signature'>" + settings.text() + "</div>")
