"""Signed webhooks from CI, and DefectDojo's import API."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.core.assets.models import Asset
from bastion.core.engagements.models import Engagement
from bastion.core.findings.models import Finding
from bastion.core.imports.models import ImportJob, WebhookDelivery
from bastion.core.imports.tasks import run_import
from bastion.scanner.webhooks.signature import sign
from tests.scanner.imports.conftest import SCANS, WEBHOOK_SECRET

REPORT = (SCANS / "bandit" / "one_vuln.json").read_bytes()


def _deliver(
    client: TestClient,
    *,
    body: bytes = REPORT,
    timestamp: int | None = None,
    delivery: str = "d-1",
    signature: str | None = None,
    source: str = "bandit",
) -> Any:
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    return client.post(
        f"/scanner/v1/webhooks/{source}?asset_identifier=https://git.test/app&asset_kind=repository",
        headers={
            "X-Bastion-Organization": "acme",
            "X-Bastion-Timestamp": stamp,
            "X-Bastion-Delivery": delivery,
            "X-Bastion-Signature": signature or sign(WEBHOOK_SECRET, stamp, body),
            "Content-Type": "application/json",
        },
        content=body,
    )


def test_signed_delivery_is_imported(gateway_client: TestClient, webhook: dict[str, Any]) -> None:
    response = _deliver(gateway_client)
    run_import(response.json()["id"])

    assert response.status_code == 202
    job = ImportJob.objects.get()
    assert (job.state, job.source, job.new, job.asset.identifier) == (
        "completed",
        "webhook",
        1,
        "https://git.test/app",
    )


@pytest.mark.parametrize(
    ("change", "status", "detail"),
    [
        ({"signature": "sha256=" + "0" * 64}, 401, "invalid signature"),
        ({"timestamp": int(time.time()) - 301}, 401, "timestamp outside the 5-minute window"),
        ({"source": "nonsense"}, 404, "unknown source 'nonsense'"),
    ],
)
def test_bad_deliveries_are_refused_and_keep_nothing(
    gateway_client: TestClient,
    webhook: dict[str, Any],
    change: dict[str, Any],
    status: int,
    detail: str,
) -> None:
    response = _deliver(gateway_client, **change)

    assert response.status_code == status
    assert response.json() == {"detail": detail}
    assert ImportJob.objects.count() == 0
    assert not Asset.objects.filter(identifier="https://git.test/app").exists()


def test_body_changed_after_signing_is_refused(gateway_client: TestClient, webhook: dict[str, Any]) -> None:
    stamp = str(int(time.time()))
    signature = sign(WEBHOOK_SECRET, stamp, REPORT)

    response = _deliver(
        gateway_client,
        body=REPORT.replace(b"assert", b"exec"),
        timestamp=int(stamp),
        signature=signature,
    )

    assert response.status_code == 401
    assert ImportJob.objects.count() == 0


def test_repeated_delivery_id_is_refused(gateway_client: TestClient, webhook: dict[str, Any]) -> None:
    first = _deliver(gateway_client, delivery="same")
    second = _deliver(gateway_client, delivery="same")

    assert (first.status_code, second.status_code) == (202, 409)
    assert second.json() == {"detail": "this delivery was already received"}
    assert (ImportJob.objects.count(), WebhookDelivery.objects.count()) == (1, 1)


def _dojo(client: TestClient, key: str, path: str, **fields: str) -> Any:
    return client.post(
        f"/api/v2/{path}/",
        headers={"Authorization": f"Token {key}"},
        files={"file": ("bandit.json", (SCANS / "bandit" / "dd.json").read_bytes())},
        data=fields,
    )


def test_defectdojo_import_scan_creates_context_and_imports(
    gateway_client: TestClient, caller: dict[str, Any]
) -> None:
    response = _dojo(
        gateway_client, caller["key"], "import-scan",
        scan_type="Bandit Scan", product_name="payments-api", engagement_name="CI",
        auto_create_context="true",
        minimum_severity="Medium",
    )  # fmt: skip
    run_import(response.json()["import_id"])

    assert response.status_code == 201, response.text
    assert (response.json()["format"], response.json()["close_old_findings"]) == ("bandit", False)
    job = ImportJob.objects.get()
    assert (job.state, job.new, job.asset.name, job.engagement.name) == (
        "completed",
        36,
        "payments-api",
        "CI",
    )  # type: ignore[union-attr]
    assert Finding.objects.filter(engagement=job.engagement).count() == 36


def test_defectdojo_reimport_closes_old_findings_by_default(
    gateway_client: TestClient, caller: dict[str, Any]
) -> None:
    first = _dojo(
        gateway_client,
        caller["key"],
        "import-scan",
        scan_type="Bandit Scan",
        product_name="p",
        auto_create_context="true",
    )
    run_import(first.json()["import_id"])
    again = _dojo(gateway_client, caller["key"], "reimport-scan", scan_type="Bandit Scan", product_name="p")
    run_import(again.json()["import_id"])

    assert again.json()["close_old_findings"] is True
    assert ImportJob.objects.get(pk=again.json()["import_id"]).unchanged == 47
    assert Engagement.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "status", "detail"),
    [
        (
            {"scan_type": "Nonexistent Scan", "product_name": "p"},
            400,
            "scan_type 'Nonexistent Scan' is not supported",
        ),
        ({"scan_type": "Bandit Scan"}, 400, "product_name is required"),
        ({"scan_type": "Bandit Scan", "product_name": "unknown"}, 404, "no product 'unknown'"),
    ],
)
def test_defectdojo_import_refuses_what_it_cannot_map(
    gateway_client: TestClient, caller: dict[str, Any], fields: dict[str, str], status: int, detail: str
) -> None:
    response = _dojo(gateway_client, caller["key"], "import-scan", **fields)

    assert response.status_code == status
    assert detail in response.json()["detail"]
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(("scan_type", "findings"), [("Checkmarx Scan", 2), ("Checkmarx Scan detailed", 3)])
def test_defectdojo_import_takes_checkmarx_in_both_of_its_modes(
    gateway_client: TestClient, caller: dict[str, Any], scan_type: str, findings: int
) -> None:
    # when: the report a newcomer's pipeline posted, under each of DefectDojo's names for it
    response = gateway_client.post(
        "/api/v2/import-scan/",
        headers={"Authorization": f"Token {caller['key']}"},
        files={"file": ("cx.xml", (SCANS / "checkmarx" / "multiple_findings.xml").read_bytes())},
        data={"scan_type": scan_type, "product_name": "webgoat", "auto_create_context": "true"},
    )
    run_import(response.json()["import_id"])

    # then: aggregated per query and sink file, or one finding per result
    assert response.status_code == 201, response.text
    assert ImportJob.objects.get().new == findings
