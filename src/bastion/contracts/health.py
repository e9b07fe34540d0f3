"""The answer of a readiness probe, the same on every service."""

from __future__ import annotations

from pydantic import BaseModel


class CheckResult(BaseModel):
    """One dependency's state."""

    name: str
    ok: bool
    detail: str = ""


class HealthReport(BaseModel):
    """What ``/readyz`` answers: ready only when every check passed."""

    service: str
    ready: bool
    checks: list[CheckResult]
    failing: list[str]
