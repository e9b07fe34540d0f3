"""Fixtures for import tests: a caller with a token, and a helper that imports like CI does."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.contracts.principal import Role
from bastion.core.imports.models import ImportJob, WebhookSecret
from bastion.core.imports.tasks import run_import
from bastion.core.sealed import seal
from bastion.scanner.webhooks.signature import sign
from tests import factories

SCANS = Path(__file__).parents[2] / "fixtures" / "scans"
WEBHOOK_SECRET = "s3cret-webhook-key-for-tests"

Importer = Callable[..., ImportJob]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Start every test with no imports counted against anyone."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def caller(transactional_db: None) -> dict[str, Any]:
    org = factories.organization("acme")
    user = factories.member(org, Role.ANALYST, email="ci@acme.test")
    asset = factories.asset(org, name="web")
    return {"org": org, "user": user, "asset": asset, "key": factories.token_key(user, org)}


@pytest.fixture
def webhook(caller: dict[str, Any]) -> dict[str, Any]:
    """The caller, whose organisation has a webhook secret (WEBHOOK_SECRET)."""
    WebhookSecret.objects.create(organization=caller["org"], secret=seal(WEBHOOK_SECRET))
    return caller


@pytest.fixture
def import_report(gateway_client: TestClient, caller: dict[str, Any]) -> Importer:
    """Upload a report through the scanner's API, then run the worker's task on it."""

    def run(content: bytes | Path, *, expect: int = 202, **fields: Any) -> ImportJob:
        data = content.read_bytes() if isinstance(content, Path) else content
        fields.setdefault("asset", caller["asset"].pk)
        response = gateway_client.post(
            "/scanner/v1/imports",
            headers={"Authorization": f"Token {caller['key']}"},
            files={"file": ("report", data)},
            data={
                key: str(value).lower() if isinstance(value, bool) else str(value)
                for key, value in fields.items()
            },
        )
        assert response.status_code == expect, response.text
        if expect != 202:
            return None  # type: ignore[return-value]
        run_import(response.json()["id"])
        return ImportJob.objects.get(pk=response.json()["id"])

    return run


def post_webhook(
    client: TestClient,
    body: bytes,
    *,
    source: str = "bandit",
    organization: str = "acme",
    delivery: str = "d-1",
    secret: str = WEBHOOK_SECRET,
    **params: str,
) -> Any:
    """Deliver a report as CI does: signed with the organisation's webhook secret, just now."""
    stamp = str(int(time.time()))
    return client.post(
        f"/scanner/v1/webhooks/{source}",
        params=params,
        headers={
            "X-Bastion-Organization": organization,
            "X-Bastion-Timestamp": stamp,
            "X-Bastion-Delivery": delivery,
            "X-Bastion-Signature": sign(secret, stamp, body),
            "Content-Type": "application/json",
        },
        content=body,
    )


def post_defectdojo(
    client: TestClient, key: str, body: bytes, *, path: str = "import-scan", **fields: str
) -> Any:
    """Import a report through DefectDojo's API, as a pipeline moved from DefectDojo does."""
    return client.post(
        f"/api/v2/{path}/",
        headers={"Authorization": f"Token {key}"},
        files={"file": ("report.json", body)},
        data=fields,
    )


def post_upload(client: TestClient, key: str, body: bytes, **fields: str) -> Any:
    """Upload a report to the scanner's import endpoint (multipart)."""
    return client.post(
        "/scanner/v1/imports",
        headers={"Authorization": f"Token {key}"},
        files={"file": ("report.json", body)},
        data=fields,
    )
