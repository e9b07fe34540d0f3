"""Theme asset API: returns a stylesheet from a theme folder."""

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

app = FastAPI()
THEMES_ROOT = "/srv/themes"


class AssetRequest(BaseModel):
    theme: str
    asset: str


@app.post("/themes/asset", response_class=PlainTextResponse)
def theme_asset(asset_request: AssetRequest):
    asset_path = "/".join([THEMES_ROOT, asset_request.theme, "css", asset_request.asset])
    with open(asset_path, encoding="utf-8") as stylesheet:
        return stylesheet.read()
