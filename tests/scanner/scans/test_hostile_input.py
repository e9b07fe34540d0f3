"""Hostile requests to the scan endpoints: each answered 4xx with a reason, nothing created."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.core.scans.models import AllowedRange, ScanJob, ScanSchedule
from tests.scanner.scans.conftest import auth


@pytest.mark.parametrize(
    "body",
    [
        {"target": {"kind": "repository", "value": "/srv/repo\x00/etc"}},
        {"target": {"kind": "host", "value": "127.0.0.1\x00"}},
        {"target": {"kind": "url", "value": "https://example.com/\x00"}},
        {"target": {"kind": "repository", "value": "https://example.com/a.git"}, "commit": "\x00" * 40},
        {
            "target": {"kind": "repository", "value": "https://example.com/a.git"},
            "options": {"branch": "a\x00b"},
        },
        {"target": {"kind": "host", "value": "x" * 5000}},
        {"target": {"kind": "host", "value": "8.8.8.8"}, "asset": "not-a-number"},
        {"target": {"kind": "host", "value": "8.8.8.8"}, "engines": ["services"] * 50},
        {"target": {"kind": "host", "value": "8.8.8.8"}, "options": {"ports": {"deep": [[[[1]]]]}}},
        {"target": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]},
        {"target": {"kind": "host", "value": "8.8.8.8"}, "organization": "acme\x00"},
    ],
)
def test_a_hostile_scan_request_is_refused_without_a_5xx(
    api: TestClient, caller: dict[str, Any], body: dict[str, Any]
) -> None:
    response = api.post("/scanner/v1/scans", headers=auth(caller["key"]), json=body)
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["detail"]
    assert not ScanJob.objects.exists()


def test_an_oversized_or_deeply_nested_body_is_refused(api: TestClient, caller: dict[str, Any]) -> None:
    headers = {**auth(caller["key"]), "Content-Type": "application/json"}
    oversized = b'{"target": {"kind": "host", "value": "' + b"a" * 200_000 + b'"}}'
    nested = b"[" * 100_000 + b"]" * 100_000
    for body in (oversized, nested, b"\x00\xff\xfe", b'{"target": 1e999999}'):
        response = api.post("/scanner/v1/scans", headers=headers, content=body)
        assert 400 <= response.status_code < 500, response.text
    assert not ScanJob.objects.exists()


def test_hostile_allow_list_and_schedule_requests_are_refused(
    api: TestClient, caller: dict[str, Any]
) -> None:
    owner = auth(caller["owner_key"])
    for body in (
        {"value": "10.0.0.0/24", "note": "lab\x00"},
        {"value": "10.0.0.0/24\x00"},
        {"value": "a" * 300},
    ):
        response = api.post("/scanner/v1/scan-allow-list", headers=owner, json=body)
        assert 400 <= response.status_code < 500, response.text
    assert not AllowedRange.objects.exists()
    for path in ("/scanner/v1/scan-allow-list/abc", "/scanner/v1/scan-allow-list/99999999999999999999999"):
        assert 400 <= api.delete(path, headers=owner).status_code < 500
    schedule = {
        "asset": caller["asset"].pk,
        "target": {"kind": "host", "value": "8.8.8.8"},
        "cron": "0 2 * * *\x00",
    }
    response = api.post("/scanner/v1/scan-schedules", headers=owner, json=schedule)
    assert 400 <= response.status_code < 500, response.text
    schedule["cron"] = "daily"
    schedule["asset"] = 10**12
    assert api.post("/scanner/v1/scan-schedules", headers=owner, json=schedule).status_code == 404
    assert api.put("/scanner/v1/scan-schedules/abc", headers=owner, json=schedule).status_code == 422
    assert not ScanSchedule.objects.exists()
    # another organisation's scan list filter and ids reveal nothing
    stranger = auth(caller["stranger_key"])
    assert api.get(f"/scanner/v1/scans?asset={caller['asset'].pk}", headers=stranger).json() == []
    assert api.get("/scanner/v1/scans?asset=x", headers=stranger).status_code == 422
