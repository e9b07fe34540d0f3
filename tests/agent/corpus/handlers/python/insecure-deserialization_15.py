"""Built-in dashboard presets served from precompiled blobs."""

import marshal

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

# Serialised once at import time from literals the server owns.
PRESET_BLOBS = {
    "executive": marshal.dumps({"widgets": ["risk_trend", "sla_breaches"], "columns": 2}),
    "analyst": marshal.dumps({"widgets": ["new_findings", "top_assets", "scanner_runs"], "columns": 3}),
    "compliance": marshal.dumps({"widgets": ["controls", "exceptions"], "columns": 2}),
}


def load_preset(blob: bytes) -> dict:
    """Decode one preset blob."""
    return marshal.loads(blob)


async def dashboard_preset(request):
    preset_name = request.path_params["preset"]
    blob = PRESET_BLOBS.get(preset_name)
    if blob is None:
        return JSONResponse({"detail": "unknown preset"}, status_code=404)
    return JSONResponse({"preset": preset_name, "layout": load_preset(blob)})


app = Starlette(routes=[Route("/dashboards/presets/{preset}", dashboard_preset)])
