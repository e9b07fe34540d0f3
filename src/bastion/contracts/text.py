"""Text the services accept from a client: never a NUL character (PostgreSQL cannot store one)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

NUL = "\x00"


def refuse_nul(value: str) -> str:
    """Return ``value`` unchanged, or refuse it when it holds a NUL character."""
    if NUL in value:
        raise ValueError("must not contain a NUL character (\\x00)")
    return value


# A string field that refuses NUL with a message naming it (a 422 naming the field).
NulFree = Annotated[str, AfterValidator(refuse_nul)]
