"""Issue 9, item 15: an import that fails keeps nothing, its new asset included; DefectDojo's
``minimum_severity`` is checked; the format error names what the API takes.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.core.assets.models import Asset
from bastion.core.audit.models import AuditEvent
from bastion.core.engagements.models import Engagement
from bastion.core.findings.models import Finding
from bastion.core.imports.models import ImportJob, WebhookDelivery, WebhookSecret
from bastion.core.imports.tasks import run_import
from bastion.core.sealed import seal
from bastion.parsers import UnknownFormat, detect_format
from tests.scanner.imports.conftest import SCANS, WEBHOOK_SECRET, post_defectdojo, post_upload, post_webhook

REPORT = (SCANS / "bandit" / "one_vuln.json").read_bytes()
TRUNCATED = REPORT[: len(REPORT) // 2]
NOT_A_REPORT = b"just some text, not a report"
IDENTIFIER = "https://git.test/new-app"


def _upload(client: TestClient, caller: dict[str, Any], content: bytes, **fields: str) -> Any:
    return post_upload(client, caller["key"], content, **fields)


def _upload_new_asset(client: TestClient, caller: dict[str, Any], content: bytes, **fields: str) -> Any:
    return _upload(client, caller, content, asset_identifier=IDENTIFIER, asset_kind="repository", **fields)


def _dojo(client: TestClient, caller: dict[str, Any], path: str, content: bytes, **fields: str) -> Any:
    dojo = {"scan_type": "Bandit Scan", "product_name": IDENTIFIER, "auto_create_context": "true"} | fields
    return post_defectdojo(client, caller["key"], content, path=path, **dojo)


def _webhook(client: TestClient, caller: dict[str, Any], source: str, content: bytes) -> Any:
    WebhookSecret.objects.get_or_create(organization=caller["org"], defaults={"secret": seal(WEBHOOK_SECRET)})
    return post_webhook(client, content, source=source, asset_identifier=IDENTIFIER, asset_kind="repository")


def _new_asset_exists() -> bool:
    return Asset.objects.filter(identifier=IDENTIFIER).exists()


# --- DefectDojo's minimum_severity ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["import-scan", "reimport-scan"])
def test_item_15_defectdojo_refuses_an_unknown_minimum_severity(
    gateway_client: TestClient, caller: dict[str, Any], path: str
) -> None:
    response = _dojo(gateway_client, caller, path, REPORT, minimum_severity="bogus")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "minimum_severity must be one of Info, Low, Medium, High, Critical (in any case), "
        "not 'bogus'"
    }
    assert ImportJob.objects.count() == 0
    assert not _new_asset_exists()


@pytest.mark.parametrize(
    ("given", "kept"),
    [("Info", "info"), ("Low", "low"), ("Medium", "medium"), ("High", "high"), ("CRITICAL", "critical")],
)
def test_item_15_defectdojo_takes_its_capitalised_severities(
    gateway_client: TestClient, caller: dict[str, Any], given: str, kept: str
) -> None:
    response = _dojo(gateway_client, caller, "import-scan", REPORT, minimum_severity=given)

    assert response.status_code == 201, response.text
    assert ImportJob.objects.get().minimum_severity == kept


# --- an unrecognised report is refused before anything exists -------------------------------------


def test_item_15_unrecognised_upload_is_refused_before_its_asset_exists(
    gateway_client: TestClient, caller: dict[str, Any]
) -> None:
    response = _upload_new_asset(gateway_client, caller, NOT_A_REPORT)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "the report's format was not recognised; name it with the `format` field "
        "(GET /scanner/v1/formats lists them)"
    }
    assert (ImportJob.objects.count(), _new_asset_exists()) == (0, False)


def test_item_15_unrecognised_webhook_report_is_refused_before_its_asset_exists(
    gateway_client: TestClient, caller: dict[str, Any]
) -> None:
    response = _webhook(gateway_client, caller, "auto", NOT_A_REPORT)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "the report's format was not recognised; name it in the URL: "
        "/scanner/v1/webhooks/<format> (GET /scanner/v1/formats lists them)"
    }
    assert (ImportJob.objects.count(), WebhookDelivery.objects.count(), _new_asset_exists()) == (0, 0, False)


def test_item_15_detection_error_names_the_format_field_and_the_flag() -> None:
    with pytest.raises(UnknownFormat) as raised:
        detect_format(NOT_A_REPORT)

    assert str(raised.value) == (
        "the report's format was not recognised; name it with the `format` field (API) or --format (CLI)"
    )


# --- a report that fails in the worker takes its new asset with it --------------------------------


def _assert_failed_without_asset(job_id: str, client: TestClient, caller: dict[str, Any]) -> None:
    job = ImportJob.objects.get(pk=job_id)
    assert (job.state, job.asset_id, job.has_created_asset) == ("failed", None, True)
    assert "invalid JSON" in job.error
    assert not _new_asset_exists()
    assert (Engagement.objects.count(), Finding.objects.count()) == (0, 0)
    status = client.get(f"/scanner/v1/imports/{job_id}", headers={"Authorization": f"Token {caller['key']}"})
    assert (status.status_code, status.json()["state"], status.json()["asset"]) == (200, "failed", None)


def test_item_15_failed_upload_removes_the_asset_it_created(
    gateway_client: TestClient, caller: dict[str, Any]
) -> None:
    # given
    response = _upload_new_asset(gateway_client, caller, TRUNCATED, format="bandit")
    assert response.status_code == 202, response.text
    asset_id = ImportJob.objects.get().asset_id
    # when
    run_import(response.json()["id"])
    # then
    _assert_failed_without_asset(response.json()["id"], gateway_client, caller)
    trail = AuditEvent.objects.filter(object_type="assets.asset", object_id=str(asset_id)).order_by("id")
    assert list(trail.values_list("action", flat=True)) == ["create", "delete"]


@pytest.mark.parametrize("path", ["import-scan", "reimport-scan"])
def test_item_15_failed_defectdojo_import_removes_the_product_and_engagement_it_created(
    gateway_client: TestClient, caller: dict[str, Any], path: str
) -> None:
    response = _dojo(gateway_client, caller, path, TRUNCATED, engagement_name="CI")
    assert response.status_code == 201, response.text
    assert Engagement.objects.count() == 1

    run_import(response.json()["import_id"])

    _assert_failed_without_asset(response.json()["import_id"], gateway_client, caller)


def test_item_15_failed_webhook_import_removes_the_asset_it_created(
    gateway_client: TestClient, caller: dict[str, Any]
) -> None:
    response = _webhook(gateway_client, caller, "bandit", TRUNCATED)
    assert response.status_code == 202, response.text

    run_import(response.json()["id"])

    _assert_failed_without_asset(response.json()["id"], gateway_client, caller)


def test_item_15_failed_import_keeps_an_asset_it_did_not_create(
    gateway_client: TestClient, caller: dict[str, Any]
) -> None:
    response = _upload(gateway_client, caller, TRUNCATED, asset=str(caller["asset"].pk), format="bandit")

    run_import(response.json()["id"])

    job = ImportJob.objects.get()
    assert (job.state, job.asset_id, job.has_created_asset) == ("failed", caller["asset"].pk, False)
    assert Asset.objects.filter(pk=caller["asset"].pk).exists()


def test_item_15_failed_import_keeps_an_asset_an_earlier_import_filled(
    gateway_client: TestClient, caller: dict[str, Any]
) -> None:
    # given: the asset was created by an import that succeeded
    first = _upload_new_asset(gateway_client, caller, REPORT)
    run_import(first.json()["id"])
    # when
    second = _upload_new_asset(gateway_client, caller, TRUNCATED, format="bandit")
    run_import(second.json()["id"])
    # then
    states = dict(ImportJob.objects.values_list("has_created_asset", "state"))
    assert states == {True: "completed", False: "failed"}
    asset = Asset.objects.get(identifier=IDENTIFIER)
    assert (Finding.objects.filter(asset=asset).count(), asset.import_jobs.count()) == (1, 2)


def test_item_15_asset_stays_while_another_import_of_it_is_queued(
    gateway_client: TestClient, caller: dict[str, Any]
) -> None:
    # given: two imports name the same new asset; the first, which created it, is broken
    broken = _upload_new_asset(gateway_client, caller, TRUNCATED, format="bandit").json()["id"]
    good = _upload_new_asset(gateway_client, caller, REPORT).json()["id"]
    # when the broken one fails, the queued one still needs the asset
    run_import(broken)
    assert _new_asset_exists()
    # then the queued one completes on it
    run_import(good)
    asset = Asset.objects.get(identifier=IDENTIFIER)
    assert ImportJob.objects.get(pk=good).state == "completed"
    assert Finding.objects.filter(asset=asset).count() == 1


def test_item_15_asset_goes_when_every_import_that_named_it_failed(
    gateway_client: TestClient, caller: dict[str, Any]
) -> None:
    first = _upload_new_asset(gateway_client, caller, TRUNCATED, format="bandit").json()["id"]
    second = _upload_new_asset(gateway_client, caller, TRUNCATED, format="bandit").json()["id"]

    run_import(first)
    kept_while_second_was_queued = _new_asset_exists()
    run_import(second)

    assert kept_while_second_was_queued is True
    assert not _new_asset_exists()
    assert list(ImportJob.objects.order_by("created_at").values_list("state", "asset_id")) == [
        ("failed", None),
        ("failed", None),
    ]
