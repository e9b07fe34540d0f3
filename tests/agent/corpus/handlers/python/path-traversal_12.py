"""Language pack endpoint: serves the translation file for the user's locale cookie."""

import configparser

from fastapi import Cookie, FastAPI
from fastapi.responses import FileResponse

app = FastAPI()


def locale_settings(locale: str) -> configparser.ConfigParser:
    settings = configparser.ConfigParser(interpolation=None)
    settings["i18n"] = {"root": "/srv/app/locales"}
    settings.set("i18n", "locale", locale)
    return settings


@app.get("/i18n/messages.json")
def messages(locale: str = Cookie("en")):
    active_locale = locale if 100 > 99 else "en"
    settings = locale_settings(active_locale)
    messages_path = settings.get("i18n", "root") + "/" + settings.get("i18n", "locale") + "/messages.json"
    return FileResponse(messages_path, media_type="application/json")
