"""Readiness names the dependency that does not answer, on every service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.config import get_settings
from bastion.contracts.principal import Role
from bastion.core.assistant.models import Conversation
from bastion.core.imports.models import ImportJob
from bastion.gateway import create_gateway
from tests import factories, services

SCANS = Path(__file__).parent / "fixtures" / "scans"

READY_PATHS = ["/readyz", "/scanner/readyz", "/agent/readyz"]


@pytest.mark.parametrize("path", READY_PATHS)
def test_ready_when_database_and_broker_answer(gateway_client: TestClient, path: str) -> None:
    response = gateway_client.get(path)

    assert response.status_code == 200
    assert response.json()["ready"] is True
    assert [(check["name"], check["ok"]) for check in response.json()["checks"]] == [
        ("database", True),
        ("broker", True),
    ]


@pytest.mark.parametrize("path", READY_PATHS)
def test_closed_broker_port_makes_every_service_unready(
    transactional_db: None, fresh_settings: pytest.MonkeyPatch, path: str
) -> None:
    # given: a broker URL whose port nothing listens on
    port = services.free_port()
    fresh_settings.setenv("BASTION_BROKER_URL", f"amqp://guest:secret-word@127.0.0.1:{port}//")
    # when
    with TestClient(create_gateway(), base_url="http://localhost") as client:
        response = client.get(path)
    # then
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False
    assert body["failing"] == ["broker"]
    assert body["checks"][0] == {"name": "database", "ok": True, "detail": ""}
    assert body["checks"][1]["name"] == "broker"
    assert "Connection refused" in body["checks"][1]["detail"]
    assert "secret-word" not in response.text


@pytest.mark.parametrize("path", ["/healthz", "/scanner/healthz", "/agent/healthz"])
def test_health_answers_without_touching_dependencies(
    transactional_db: None, fresh_settings: pytest.MonkeyPatch, path: str
) -> None:
    fresh_settings.setenv("BASTION_BROKER_URL", f"amqp://127.0.0.1:{services.free_port()}//")
    with TestClient(create_gateway(), base_url="http://localhost") as client:
        response = client.get(path)

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize("path", READY_PATHS)
def test_item_5_unreachable_redis_makes_every_service_unready(
    transactional_db: None, fresh_settings: pytest.MonkeyPatch, path: str
) -> None:
    # given: Redis configured on a port nothing listens on, with a password in its URL
    fresh_settings.setenv("BASTION_REDIS_URL", f"redis://:secret-word@127.0.0.1:{services.free_port()}/0")
    # when
    with TestClient(create_gateway(), base_url="http://localhost") as client:
        response = client.get(path)
    # then
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False
    assert body["failing"] == ["redis"]
    assert [(check["name"], check["ok"]) for check in body["checks"]] == [
        ("database", True),
        ("broker", True),
        ("redis", False),
    ]
    assert "Connection refused" in body["checks"][2]["detail"]
    assert "secret-word" not in response.text


@pytest.mark.parametrize("path", READY_PATHS)
def test_item_5_ready_when_redis_answers(
    transactional_db: None, fresh_settings: pytest.MonkeyPatch, path: str
) -> None:
    services.require("redis")
    fresh_settings.setenv("BASTION_REDIS_URL", services.REDIS_URL)

    with TestClient(create_gateway(), base_url="http://localhost") as client:
        response = client.get(path)

    assert response.status_code == 200
    assert response.json()["failing"] == []
    assert [(check["name"], check["ok"]) for check in response.json()["checks"]] == [
        ("database", True),
        ("broker", True),
        ("redis", True),
    ]


@pytest.fixture
def redis_down(transactional_db: None, fresh_settings: pytest.MonkeyPatch, settings: Any) -> str:
    """Redis configured (readiness, cache and rate limits) on a port nothing listens on."""
    url = f"redis://127.0.0.1:{services.free_port()}/0"
    fresh_settings.setenv("BASTION_REDIS_URL", url)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    return url


def test_item_5_redis_outage_answers_503_with_retry_after_for_rate_limited_writes(redis_down: str) -> None:
    # given: an analyst with a token and an asset
    org = factories.organization()
    analyst = factories.member(org, Role.ANALYST)
    target = factories.asset(org)
    headers = {"Authorization": f"Token {factories.token_key(analyst, org)}"}
    report = (SCANS / "bandit" / "one_vuln.json").read_bytes()
    stored = get_settings().resolved_var_dir / "reports"
    reports_before = sorted(stored.glob("**/*"))
    # when: an import, a chat message and an analysis
    with TestClient(create_gateway(), base_url="http://localhost", raise_server_exceptions=False) as client:
        responses = {
            "imports": client.post(
                "/scanner/v1/imports",
                headers=headers,
                files={"file": ("r.json", report)},
                data={"asset": str(target.pk)},
            ),
            "chat messages": client.post(
                "/agent/v1/chat/stream", headers=headers, json={"message": "how many findings are open?"}
            ),
            "analyses": client.post(
                "/agent/v1/analyze", headers=headers, json={"code": "print(1)\n", "language": "python"}
            ),
        }
    # then: each is refused with 503 and Retry-After, and nothing was done
    for scope, response in responses.items():
        assert response.status_code == 503, response.text
        assert response.headers["Retry-After"] == "30"
        assert response.json() == {
            "detail": f"{scope} are paused: the rate-limit store (Redis) does not answer; retry in 30 s"
        }
    assert ImportJob.objects.count() == 0
    assert Conversation.objects.count() == 0
    assert sorted(stored.glob("**/*")) == reports_before
