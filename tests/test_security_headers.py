"""Item 13: every response of the scanner and the agent (docs pages and errors too) forbids framing and
sniffing; the production profile sends HSTS and redirects plain HTTP, except the health checks."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bastion.gateway import create_gateway

BIN = Path(sys.executable).parent
FORBID_FRAMING_AND_SNIFFING = {
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
}


@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        ("/scanner/healthz", 200, "application/json"),
        ("/agent/healthz", 200, "application/json"),
        ("/scanner/docs", 200, "text/html; charset=utf-8"),
        ("/agent/docs", 200, "text/html; charset=utf-8"),
        ("/scanner/redoc", 200, "text/html; charset=utf-8"),
        ("/agent/openapi.json", 200, "application/json"),
        ("/scanner/v1/me", 401, "application/json"),
        ("/agent/v1/nowhere", 404, "application/json"),
    ],
)
def test_item_13_scanner_and_agent_responses_forbid_framing_and_sniffing(
    gateway_client: TestClient, path: str, status: int, content_type: str
) -> None:
    response = gateway_client.get(path)

    assert (response.status_code, response.headers["content-type"]) == (status, content_type)
    assert {name: response.headers.get(name) for name in FORBID_FRAMING_AND_SNIFFING} == (
        FORBID_FRAMING_AND_SNIFFING
    )
    assert "strict-transport-security" not in response.headers  # plain HTTP


def test_item_13_a_body_refused_before_any_endpoint_has_the_headers_too(gateway_client: TestClient) -> None:
    response = gateway_client.post(
        "/agent/v1/analyze", content=b"x" * 8_000_000, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_item_13_over_https_the_services_send_hsts_as_the_core_does(
    transactional_db: None, fresh_settings: pytest.MonkeyPatch
) -> None:
    # given: the production profile (BASTION_HSTS_SECONDS has its default, a year)
    fresh_settings.setenv("BASTION_PROFILE", "production")
    fresh_settings.setenv("BASTION_SECRET_KEY", "k" * 50)
    # when
    with TestClient(create_gateway(), base_url="https://localhost") as client:
        scanner = client.get("/scanner/healthz")
        agent = client.get("/agent/docs")
    # then
    assert scanner.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert agent.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def _production(tmp_path: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("BASTION_")}
    environment.update(
        BASTION_PROFILE="production",
        BASTION_SECRET_KEY=secrets.token_urlsafe(50),
        BASTION_VAR_DIR=str(tmp_path),
        BASTION_ALLOWED_HOSTS="bastion.example.com,testserver",
    )
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return environment


def _bastion(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "bastion"), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_item_13_check_deploy_in_production_has_no_hsts_or_ssl_redirect_warning(tmp_path: Path) -> None:
    result = _bastion(_production(tmp_path), "manage", "check", "--deploy")

    assert result.returncode == 0, result.stderr
    # Only the HSTS preload list remains: submitting a domain to browsers' list is its owner's choice.
    assert re.findall(r"\((security\.W\d+)\)", result.stdout + result.stderr) == ["security.W021"]


PROBE = """
from django.test import Client
plain, proxied = Client(), Client(headers={"X-Forwarded-Proto": "https"})
for client, path in [(plain, "/healthz"), (plain, "/readyz"), (plain, "/api/v1/me"), (proxied, "/api/v1/me")]:
    response = client.get(path)
    print(path, response.status_code, response.get("Location"), response.get("Strict-Transport-Security"))
"""


def test_item_13_production_redirects_plain_http_except_the_health_checks(tmp_path: Path) -> None:
    # given
    environment = _production(tmp_path)
    # when
    result = _bastion(environment, "manage", "shell", "--no-imports", "-c", PROBE)
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "/healthz 200 None None",
        "/readyz 200 None None",
        "/api/v1/me 301 https://testserver/api/v1/me None",
        "/api/v1/me 401 None max-age=31536000; includeSubDomains",
    ]
