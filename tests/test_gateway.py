"""The gateway: routing by prefix, lifespan events reaching the services, and request body limits."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from django.core.cache import cache
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bastion.agent.main import ANALYSIS_BODY_BYTES
from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.api.nesting import MAX_JSON_DEPTH
from bastion.core.assets.models import Asset
from bastion.core.assistant.models import Conversation
from bastion.core.imports.models import ImportJob
from bastion.gateway import create_gateway
from bastion.servicekit.app import DEFAULT_MAX_BODY_BYTES, Lifespan
from bastion.servicekit.errors import MAX_ECHOED_CHARS
from tests import factories

SCANS = Path(__file__).parent / "fixtures" / "scans"


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/scanner/healthz", "scanner"),
        ("/agent/healthz", "agent"),
        ("/healthz", "core"),
        ("/scannerx/healthz", "core"),
    ],
)
def test_routes_by_first_path_segment(path: str, service: str) -> None:
    gateway = create_gateway()

    chosen = gateway.route(path)

    expected = gateway.services.get(service, gateway.core)
    assert chosen is expected


def _noting(name: str, events: list[str], lifespan: Lifespan) -> Lifespan:
    """Wrap a service's lifespan so that its start and its end are noted in ``events``."""

    @asynccontextmanager
    async def noted(app: FastAPI) -> AsyncIterator[None]:
        async with lifespan(app):
            events.append(f"{name} started")
            yield
            events.append(f"{name} stopped")

    return noted


def test_lifespan_reaches_every_service(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # given: a gateway whose services note their lifespan
    gateway = create_gateway()
    events: list[str] = []
    for name, service in gateway.services.items():
        monkeypatch.setattr(
            service.router, "lifespan_context", _noting(name, events, service.router.lifespan_context)
        )
    # when
    with TestClient(gateway, base_url="http://localhost") as client:
        assert client.get("/scanner/healthz").status_code == 200
        started = list(events)
    # then: every service started before the first request, and stopped in reverse order
    assert started == ["scanner started", "agent started"]
    assert events == ["scanner started", "agent started", "agent stopped", "scanner stopped"]


def test_unknown_core_path_is_django_404(transactional_db: None) -> None:
    with TestClient(create_gateway(), base_url="http://localhost") as client:
        response = client.get("/no/such/page")

    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]


# Item 11: request bodies are limited on every service, and a refusal never echoes the body back.


@pytest.fixture
def owner(transactional_db: None) -> User:
    return factories.member(factories.organization(), Role.OWNER)


@pytest.fixture
def owner_key(owner: User) -> str:
    return factories.token_key(owner, owner.memberships.get().organization)


def _json_headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Token {key}", "Content-Type": "application/json"}


def test_item_11_a_50_mb_body_to_the_agent_is_refused_with_413_before_it_is_read(
    gateway_client: TestClient, owner: User, owner_key: str
) -> None:
    # given
    body = b'{"code": "' + b"a" * 50_000_000 + b'"}'
    # when
    response = gateway_client.post("/agent/v1/analyze", content=body, headers=_json_headers(owner_key))
    # then: a short answer, and no analysis counted against the caller
    assert response.status_code == 413
    assert response.content == b"Content Too Large"
    assert _analyses_counted(owner) == 0


def test_item_11_a_streamed_body_is_counted_and_refused_past_the_limit(
    gateway_client: TestClient, owner: User, owner_key: str
) -> None:
    # given: no Content-Length, 60 MB in chunks
    chunks = (b'{"code": "' if index == 0 else b"a" * 1_000_000 for index in range(60))
    # when
    response = gateway_client.post("/agent/v1/analyze", content=chunks, headers=_json_headers(owner_key))
    # then
    assert response.status_code == 413
    assert response.json() == {
        "detail": f"the request body is larger than the limit of {ANALYSIS_BODY_BYTES} bytes"
    }
    assert _analyses_counted(owner) == 0


def test_item_11_other_json_bodies_get_the_small_default_limit(
    gateway_client: TestClient, owner_key: str
) -> None:
    body = b'{"message": "' + b"a" * DEFAULT_MAX_BODY_BYTES + b'"}'

    response = gateway_client.post("/agent/v1/chat/stream", content=body, headers=_json_headers(owner_key))

    assert response.status_code == 413
    assert Conversation.objects.count() == 0


def test_item_11_the_core_refuses_a_body_over_djangos_limit_with_413(
    gateway_client: TestClient, owner_key: str
) -> None:
    body = b'{"name": "' + b"a" * 3_000_000 + b'"}'

    declared = gateway_client.post("/api/v1/assets", content=body, headers=_json_headers(owner_key))
    streamed = gateway_client.post("/api/v1/assets", content=iter([body]), headers=_json_headers(owner_key))

    assert (declared.status_code, streamed.status_code) == (413, 413)
    assert Asset.objects.count() == 0


def test_item_11_a_validation_error_shows_only_a_short_excerpt_of_the_input(
    gateway_client: TestClient, owner_key: str
) -> None:
    # given: code longer than the analysis accepts, well within the body limit
    body = json.dumps({"code": "a" * 600_000, "language": "z" * 1_000}).encode()
    # when
    response = gateway_client.post("/agent/v1/analyze", content=body, headers=_json_headers(owner_key))
    # then
    assert response.status_code == 422
    assert len(response.content) < 1_000
    assert [(error["loc"], error["input"]) for error in response.json()["detail"]] == [
        (["body", "code"], "a" * MAX_ECHOED_CHARS + "…"),
        (["body", "language"], "z" * MAX_ECHOED_CHARS + "…"),
    ]


@pytest.mark.parametrize("path", ["/api/v1/assets", "/agent/v1/analyze", "/agent/v1/chat/stream"])
def test_item_11_json_nested_100000_deep_is_refused_naming_the_limit(
    gateway_client: TestClient, owner: User, owner_key: str, path: str
) -> None:
    body = b"[" * 100_000 + b"]" * 100_000

    response = gateway_client.post(path, content=body, headers=_json_headers(owner_key))

    assert response.status_code == 400
    assert response.json() == {"detail": f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels"}
    assert (Asset.objects.count(), Conversation.objects.count(), _analyses_counted(owner)) == (0, 0, 0)


def test_item_11_json_within_the_nesting_limit_reaches_the_endpoint(
    gateway_client: TestClient, owner_key: str
) -> None:
    # given: 64 levels, strings full of brackets and escaped quotes that do not count
    nested: object = '[[[\\"{{{'
    for _ in range(MAX_JSON_DEPTH - 1):
        nested = [nested]
    body = json.dumps({"code": "print(1)", "filename": nested}).encode()
    # when
    response = gateway_client.post("/agent/v1/analyze", content=body, headers=_json_headers(owner_key))
    # then: decoded and validated (filename must be a string), not refused for its depth
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "filename"]


def test_item_11_a_json_report_is_not_held_to_the_api_nesting_limit(
    gateway_client: TestClient, owner_key: str
) -> None:
    # given: a real SARIF report carrying a property nested deeper than an API body may be
    report = json.loads((SCANS / "sarif" / "njsscan.sarif").read_bytes())
    deep: object = "deep"
    for _ in range(MAX_JSON_DEPTH + 10):
        deep = [deep]
    report["runs"][0]["properties"] = {"deep": deep}
    # when: uploaded as a raw JSON body
    response = gateway_client.post(
        "/scanner/v1/imports?asset_identifier=https://git.example.com/shop&asset_kind=repository",
        content=json.dumps(report).encode(),
        headers=_json_headers(owner_key),
    )
    # then
    assert response.status_code == 202, response.text
    assert ImportJob.objects.count() == 1


def _analyses_counted(user: User) -> int:
    """How many analyses the rate limit counted for a user (this minute and the one before)."""
    window = int(time.time()) // 60
    return sum(cache.get(f"ratelimit:analyses:user:{user.pk}:{w}", 0) for w in (window - 1, window))
