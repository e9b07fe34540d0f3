"""Fixtures for the agent's tests: two organisations with data, and the provider switch."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from bastion.contracts.principal import Role
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    """Start every test with no rate-limit counts (the provider follows the settings by itself)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def drop_box() -> Iterator[Path]:
    """A directory anyone may write to (``nobody`` too): code that ran would leave its mark here."""
    directory = Path(tempfile.mkdtemp(prefix="bastion-drop-box-"))
    directory.chmod(0o1777)
    yield directory
    shutil.rmtree(directory)


@pytest.fixture
def tenants(transactional_db: None) -> dict[str, Any]:
    """Acme (the caller's organisation) and Globex (another tenant), each with findings."""
    acme = factories.organization("acme")
    analyst = factories.member(acme, Role.ANALYST, email="ana@acme.test")
    viewer = factories.member(acme, Role.VIEWER, email="vic@acme.test")
    web = factories.asset(acme, name="payments-api")
    critical = factories.finding(web, severity="critical", title="SQL injection in login form", tool="zap")
    high = factories.finding(web, severity="high", title="Outdated OpenSSL", tool="trivy")
    low = factories.finding(web, severity="low", title="Missing security header", tool="zap")
    globex = factories.organization("globex")
    outsider = factories.member(globex, Role.OWNER, email="owner@globex.test")
    secret_asset = factories.asset(globex, name="globex-secret-vault")
    foreign = factories.finding(secret_asset, severity="critical", title="GLOBEX-CONFIDENTIAL root shell")
    return {
        "acme": acme,
        "analyst": analyst,
        "viewer": viewer,
        "asset": web,
        "critical": critical,
        "high": high,
        "low": low,
        "globex": globex,
        "outsider": outsider,
        "foreign": foreign,
        "key": factories.token_key(analyst, acme),
        "viewer_key": factories.token_key(viewer, acme),
        "outsider_key": factories.token_key(outsider, globex),
    }


def parse_sse(body: str) -> list[dict[str, Any]]:
    """Split a text/event-stream body into its events' JSON payloads."""
    events = []
    for block in body.split("\n\n"):
        if block.startswith("data: "):
            events.append(orjson.loads(block[len("data: ") :]))
    return events


@pytest.fixture
def chat(gateway_client: TestClient, tenants: dict[str, Any]) -> Callable[..., list[dict[str, Any]]]:
    """Send a chat message over SSE as Acme's analyst (or another key); return the events."""

    def send(
        message: str, *, key: str | None = None, expect: int = 200, **fields: Any
    ) -> list[dict[str, Any]]:
        response = gateway_client.post(
            "/agent/v1/chat/stream",
            json={"message": message, **fields},
            headers={"Authorization": f"Token {key or tenants['key']}"},
        )
        assert response.status_code == expect, response.text
        if expect != 200:
            return [response.json()]
        assert response.headers["content-type"].startswith("text/event-stream")
        return parse_sse(response.text)

    return send
