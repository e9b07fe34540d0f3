"""How the FastAPI services answer a request they refuse before any endpoint runs.

A validation error names what is wrong, and shows at most ``MAX_ECHOED_CHARS`` of what was
sent: the client has the rest, and a large invalid body must not come back as a larger answer.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.middleware import body_limit

MAX_ECHOED_CHARS = 100


def excerpt(value: Any) -> Any:
    """Return a value as sent when it is short, else its first ``MAX_ECHOED_CHARS`` characters (as text)."""
    if isinstance(value, str):
        text = value
    elif value is None or isinstance(value, bool | int | float):
        return value
    else:
        text = json.dumps(jsonable_encoder(value), ensure_ascii=False, separators=(",", ":"))
        if len(text) <= MAX_ECHOED_CHARS:
            return jsonable_encoder(value)
    return text if len(text) <= MAX_ECHOED_CHARS else text[:MAX_ECHOED_CHARS] + "…"


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, str | bool | int | float) else str(value)


async def validation_failed(request: Request, error: Exception) -> JSONResponse:
    """FastAPI's 422, with every ``input`` (and ``ctx`` value) cut to a short excerpt."""
    assert isinstance(error, RequestValidationError)
    errors = []
    for item in error.errors():
        shown = dict(item)
        if "input" in shown:
            shown["input"] = excerpt(shown["input"])
        if isinstance(shown.get("ctx"), dict):
            shown["ctx"] = {key: excerpt(_plain(value)) for key, value in shown["ctx"].items()}
        errors.append(shown)
    return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


async def body_too_large(request: Request, error: Exception) -> Response:
    """413 naming the limit the request broke; any other 413 (an upload's own) as it is."""
    assert isinstance(error, HTTPException)
    if type(error).__module__ != body_limit.__name__:  # not the limiter's: an endpoint's own answer
        return await http_exception_handler(request, error)
    limit = request.scope.get(body_limit.MAX_BODY_SIZE_SCOPE_KEY)
    detail = (
        f"the request body is larger than the limit of {limit} bytes"
        if isinstance(limit, int)
        else "the request body is larger than this endpoint accepts"
    )
    return JSONResponse({"detail": detail}, status_code=413)
