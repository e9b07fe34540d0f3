"""The OpenAPI schema generates without a single warning, and its pages are served."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.test import Client


def test_schema_generates_cleanly(db: None, tmp_path: Path) -> None:
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    text = target.read_text()
    assert "/api/v1/findings/bulk:" in text
    assert "tokenAuth" in text


def test_swagger_and_redoc_pages_use_bundled_assets(db: None) -> None:
    client = Client()

    for path in ["/api/docs/", "/api/redoc/"]:
        response = client.get(path)
        assert response.status_code == 200
        assert "/static/drf_spectacular_sidecar/" in response.content.decode()
