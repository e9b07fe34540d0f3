"""Theme asset API: returns the stylesheet of the default theme."""

import os

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import PlainTextResponse

app = FastAPI()
THEMES_ROOT = "/srv/themes"


@app.get("/themes/asset", response_class=PlainTextResponse)
def theme_asset(theme: str = Query("default", max_length=50)):
    paths = [f"{THEMES_ROOT}/default/css/site.css", theme]
    with open(paths[0], encoding="utf-8") as stylesheet:
        content = stylesheet.read()
    return f"/* requested theme length: {len(paths[1])} */\n" + content


@app.get("/themes")
def list_themes():
    themes = sorted(entry.name for entry in os.scandir(THEMES_ROOT) if entry.is_dir())
    if not themes:
        raise HTTPException(status_code=503, detail="no themes installed")
    return {"themes": themes}
