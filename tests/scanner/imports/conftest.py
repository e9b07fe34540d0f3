"""Fixtures for import tests: a caller with a token, and a helper that imports like CI does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.contracts.principal import Role
from bastion.core.imports.models import ImportJob
from bastion.scanner.imports.tasks import run_import
from tests import factories

SCANS = Path(__file__).parents[2] / "fixtures" / "scans"

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
