"""The scan API: what is refused before anything is queued, who may do what, cancelling, the allow-list."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.core.assets.models import Asset
from bastion.core.scans.models import AllowedRange, ScanJob
from tests.scanner.scans.conftest import auth


def _post(api: TestClient, key: str, body: dict[str, Any]) -> Any:
    return api.post("/scanner/v1/scans", headers=auth(key), json=body)


def _host(value: str, **extra: Any) -> dict[str, Any]:
    return {"target": {"kind": "host", "value": value}, **extra}


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ({"kind": "host", "value": "127.0.0.1"}, "not in the organisation's allow-list"),
        ({"kind": "host", "value": "169.254.169.254"}, "not in the organisation's allow-list"),
        ({"kind": "host", "value": "10.0.0.0/8"}, "larger than a /16"),
        ({"kind": "host", "value": "2130706433"}, "ambiguous numeric address"),
        ({"kind": "url", "value": "file:///etc/passwd"}, "scheme 'file' is not allowed"),
        ({"kind": "url", "value": "http://user:pw@127.0.0.1/"}, "credentials in the URL"),
        ({"kind": "repository", "value": "file:///srv/repo"}, "transport 'file' is not allowed"),
        ({"kind": "repository", "value": "ext::sh -c touch% /tmp/x"}, "whitespace"),
        ({"kind": "repository", "value": "ext::sh"}, "transport helpers"),
        ({"kind": "repository", "value": "--upload-pack=touch /tmp/x"}, "whitespace"),
        ({"kind": "repository", "value": "-uhttps://example.com/x.git"}, "starts with '-'"),
        ({"kind": "repository", "value": "https://127.0.0.1/x.git"}, "loopback address; allow-list it"),
        ({"kind": "repository", "value": "/etc"}, "local paths are not scanned on this server"),
    ],
)
def test_an_unsafe_target_is_refused_at_once_with_the_reason(
    api: TestClient, caller: dict[str, Any], target: dict[str, str], reason: str
) -> None:
    # when
    response = _post(api, caller["key"], {"target": target, "asset": caller["asset"].pk})

    # then: refused before anything is queued
    assert response.status_code == 422, response.text
    assert reason in response.json()["detail"]
    assert not ScanJob.objects.exists()


def test_a_metadata_address_stays_refused_even_inside_a_broad_allow_listed_range(
    api: TestClient, caller: dict[str, Any]
) -> None:
    # given
    owner = auth(caller["owner_key"])
    assert (
        api.post("/scanner/v1/scan-allow-list", headers=owner, json={"value": "0.0.0.0/0"}).status_code == 201
    )

    # when
    response = _post(api, caller["key"], _host("169.254.169.254", asset=caller["asset"].pk))

    # then
    assert response.status_code == 422
    assert "cloud metadata address" in response.json()["detail"]


def test_an_allow_listed_loopback_host_is_accepted_and_queued_with_its_resolved_address(
    api: TestClient, caller: dict[str, Any]
) -> None:
    # given
    owner = auth(caller["owner_key"])
    api.post("/scanner/v1/scan-allow-list", headers=owner, json={"value": "127.0.0.1/32", "note": "lab"})

    # when: no asset named: one is found or created from the target
    response = _post(api, caller["key"], _host("127.0.0.1", options={"ports": "22,80,8000-8010"}))

    # then
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["state"] == "queued"
    assert accepted["events_url"] == f"/scanner/v1/scans/{accepted['id']}/events"
    status = api.get(accepted["status_url"], headers=auth(caller["key"])).json()
    assert status["addresses"] == ["127.0.0.1"]
    assert status["engines"] == ["services"]
    assert status["options"] == {"ports": "22,80,8000-8010"}
    assert [line["step"] for line in status["log"]] == ["queued"]
    asset = Asset.objects.get(pk=status["asset"])
    assert (asset.kind, asset.identifier) == ("host", "127.0.0.1")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (_host("8.8.8.8", engines=["sast"]), "engine 'sast' does not scan a host"),
        (_host("8.8.8.8", options={"branch": "main"}), "option 'branch' does not apply"),
        (_host("8.8.8.8", options={"ports": "0-10"}), "option 'ports' must list ports"),
        (_host("8.8.8.8", options={"ports": "22;rm"}), "option 'ports' must list ports"),
        ({"target": {"kind": "printer", "value": "x"}}, "target.kind"),
        ({"target": {"kind": "host", "value": "8.8.8.8"}, "unknown": 1}, "unknown"),
    ],
)
def test_a_malformed_request_is_refused_with_the_problem_named(
    api: TestClient, caller: dict[str, Any], body: dict[str, Any], reason: str
) -> None:
    response = _post(api, caller["key"], {"asset": caller["asset"].pk, **body})
    assert response.status_code == 400, response.text
    assert reason in response.json()["detail"]
    assert not ScanJob.objects.exists()


def test_a_request_that_is_not_json_is_a_clear_400(api: TestClient, caller: dict[str, Any]) -> None:
    response = api.post(
        "/scanner/v1/scans", headers={**auth(caller["key"]), "Content-Type": "application/json"}, content=b"{"
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_roles_and_tenancy(api: TestClient, caller: dict[str, Any]) -> None:
    # given: a queued scan of acme
    owner = auth(caller["owner_key"])
    api.post("/scanner/v1/scan-allow-list", headers=owner, json={"value": "127.0.0.1/32"})
    scan_id = _post(api, caller["key"], _host("127.0.0.1", asset=caller["asset"].pk)).json()["id"]

    # then: a viewer may read but not start or cancel; a stranger sees nothing
    viewer = auth(caller["viewer_key"])
    assert api.get(f"/scanner/v1/scans/{scan_id}", headers=viewer).status_code == 200
    assert _post(api, caller["viewer_key"], _host("127.0.0.1", asset=caller["asset"].pk)).status_code == 403
    assert api.post(f"/scanner/v1/scans/{scan_id}/cancel", headers=viewer).status_code == 403
    stranger = auth(caller["stranger_key"])
    assert api.get(f"/scanner/v1/scans/{scan_id}", headers=stranger).status_code == 404
    assert api.post(f"/scanner/v1/scans/{scan_id}/cancel", headers=stranger).status_code == 404
    assert api.get("/scanner/v1/scans", headers=stranger).json() == []
    assert _post(api, caller["stranger_key"], _host("127.0.0.1", asset=caller["asset"].pk)).status_code == 404
    assert api.get("/scanner/v1/scans/not-a-uuid", headers=viewer).status_code == 404
    # and only the owner keeps the allow-list
    analyst = auth(caller["key"])
    refused = api.post("/scanner/v1/scan-allow-list", headers=analyst, json={"value": "10.0.0.0/24"})
    assert refused.status_code == 403
    entry = AllowedRange.objects.get(value="127.0.0.1/32")
    assert api.delete(f"/scanner/v1/scan-allow-list/{entry.pk}", headers=analyst).status_code == 403
    assert api.delete(f"/scanner/v1/scan-allow-list/{entry.pk}", headers=stranger).status_code == 404
    assert api.get("/scanner/v1/scan-allow-list", headers=stranger).json() == []


def test_the_allow_list_stores_canonical_entries_and_refuses_bad_ones(
    api: TestClient, caller: dict[str, Any]
) -> None:
    owner = auth(caller["owner_key"])
    added = api.post("/scanner/v1/scan-allow-list", headers=owner, json={"value": "Lab.Example.COM."})
    assert added.status_code == 201
    assert added.json()["value"] == "lab.example.com"
    bad = api.post("/scanner/v1/scan-allow-list", headers=owner, json={"value": "10.0.0.1/8"})
    assert bad.status_code == 422
    assert "host bits" in bad.json()["detail"]
    listed = api.get("/scanner/v1/scan-allow-list", headers=owner).json()
    assert [entry["value"] for entry in listed] == ["lab.example.com"]
    assert api.delete(f"/scanner/v1/scan-allow-list/{listed[0]['id']}", headers=owner).status_code == 204
    assert api.get("/scanner/v1/scan-allow-list", headers=owner).json() == []


def test_a_queued_scan_is_cancelled_at_once_and_stays_cancelled(
    api: TestClient, caller: dict[str, Any]
) -> None:
    # given
    api.post("/scanner/v1/scan-allow-list", headers=auth(caller["owner_key"]), json={"value": "127.0.0.1/32"})
    scan_id = _post(api, caller["key"], _host("127.0.0.1", asset=caller["asset"].pk)).json()["id"]

    # when
    response = api.post(f"/scanner/v1/scans/{scan_id}/cancel", headers=auth(caller["key"]))

    # then: a worker handed it later leaves it
    assert response.status_code == 202
    assert response.json()["state"] == "cancelled"
    from bastion.scanner.scans.tasks import run_scan

    assert run_scan(scan_id) == "skipped"
    assert ScanJob.objects.get(pk=scan_id).state == "cancelled"
    events = api.get(f"/scanner/v1/scans/{scan_id}/events", headers=auth(caller["key"])).text
    assert "event: queued" in events
    assert events.rstrip().split("\n\n")[-1].startswith("event: cancelled")
