"""Readiness names the dependency that does not answer, on every service."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bastion.gateway import create_gateway
from tests import services

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
