"""Issue 9, item 9: NUL bytes anywhere in an intake are refused with 400, and nothing is kept.

PostgreSQL cannot store NUL in text: each field is refused by name before anything is
stored, and no spooled upload, stored report, import job or asset is left behind, on
every intake (upload, raw-body upload, DefectDojo's import-scan and reimport-scan, signed
webhooks). Start-up removes the spool files a crashed process left behind.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.contracts.principal import MembershipGrant, Principal, Role
from bastion.core.assets.models import Asset
from bastion.core.engagements.models import Engagement
from bastion.core.imports import intake, services
from bastion.core.imports.models import ImportJob, WebhookDelivery, WebhookSecret
from bastion.core.imports.options import options_from
from bastion.core.imports.upload import Upload, remove_stale, spool_dir
from bastion.core.sealed import seal
from bastion.gateway import create_gateway
from bastion.scanner.webhooks.signature import sign
from tests.scanner.imports.conftest import SCANS

REPORT = (SCANS / "bandit" / "one_vuln.json").read_bytes()
BOUNDARY = "bastion-test-boundary"
SECRET = "s3cret-webhook-key-for-tests"
HOUR = 3600


@pytest.fixture
def var_dir(tmp_path: Path, fresh_settings: pytest.MonkeyPatch, settings: Any) -> Path:
    """A state directory of the test's own: its var/reports and var/uploads hold only what it left."""
    var = tmp_path / "var"
    fresh_settings.setenv("BASTION_VAR_DIR", str(var))
    reports = settings.STORAGES["reports"]
    settings.STORAGES = {
        **settings.STORAGES,
        "reports": {**reports, "OPTIONS": {**reports["OPTIONS"], "location": str(var / "reports")}},
    }
    assert spool_dir() == var / "uploads"
    return var


def _kept_files(var: Path) -> list[Path]:
    """Every file under var/reports and var/uploads."""
    found = [*(var / "reports").rglob("*"), *(var / "uploads").rglob("*")]
    return sorted(path for path in found if path.is_file())


@pytest.fixture
def nothing_kept(var_dir: Path, caller: dict[str, Any]) -> Iterator[None]:
    """Check, after the test, that no file, import job, asset, engagement or delivery was left."""
    yield
    assert _kept_files(var_dir) == []
    assert ImportJob.objects.count() == 0
    assert list(Asset.objects.values_list("pk", flat=True)) == [caller["asset"].pk]
    assert Engagement.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0


def _multipart(fields: dict[str, str], file_name: str = "report.json") -> dict[str, Any]:
    """A multipart body written out byte for byte (an HTTP library would escape a NUL in a name)."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/json\r\n\r\n".encode()
        + REPORT
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
    return {"content": body, "headers": {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}}


def _post(client: TestClient, path: str, key: str, body: dict[str, Any], **params: str) -> Any:
    headers = {"Authorization": f"Token {key}", **body["headers"]}
    return client.post(path, params=params, headers=headers, content=body["content"])


UPLOAD_FIELDS = {
    "asset_identifier": "https://git.test/shop",
    "asset_kind": "repository",
    "asset_name": "shop",
    "tags": "ci,main",
    "full": "true",
    "format": "bandit",
    "minimum_severity": "low",
}


@pytest.mark.parametrize("field", [*UPLOAD_FIELDS, "organization", "engagement"])
@pytest.mark.usefixtures("nothing_kept")
def test_item_9_nul_in_an_upload_field_is_refused(
    gateway_client: TestClient, caller: dict[str, Any], field: str
) -> None:
    fields = {**UPLOAD_FIELDS, field: UPLOAD_FIELDS.get(field, "acme") + "\x00x"}

    response = _post(gateway_client, "/scanner/v1/imports", caller["key"], _multipart(fields))

    assert response.status_code == 400
    assert response.json() == {"detail": f"{field} must not contain NUL bytes"}


@pytest.mark.parametrize(
    ("fields", "file_name", "detail"),
    [
        (UPLOAD_FIELDS, "report\x00.json", "the file name must not contain NUL bytes"),
        ({**UPLOAD_FIELDS, "as\x00set": "1"}, "report.json", "a form field name must not contain NUL bytes"),
    ],
    ids=["file-name", "field-name"],
)
@pytest.mark.usefixtures("nothing_kept")
def test_item_9_nul_in_an_upload_name_is_refused(
    gateway_client: TestClient, caller: dict[str, Any], fields: dict[str, str], file_name: str, detail: str
) -> None:
    response = _post(gateway_client, "/scanner/v1/imports", caller["key"], _multipart(fields, file_name))

    assert response.status_code == 400
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"file_name": "report\x00.json"}, "file_name must not contain NUL bytes"),
        ({"asset_identifier": "https://git.test/\x00"}, "asset_identifier must not contain NUL bytes"),
        ({"tags": "ci,\x00"}, "tags must not contain NUL bytes"),
        ({"anything": "\x00"}, "anything must not contain NUL bytes"),
        ({"any\x00thing": "x"}, "a query parameter name must not contain NUL bytes"),
    ],
    ids=["file_name", "asset_identifier", "tags", "unknown-parameter", "parameter-name"],
)
@pytest.mark.usefixtures("nothing_kept")
def test_item_9_nul_in_a_raw_upload_parameter_is_refused(
    gateway_client: TestClient, caller: dict[str, Any], params: dict[str, str], detail: str
) -> None:
    body = {"content": REPORT, "headers": {"Content-Type": "application/octet-stream"}}
    defaults = {"asset_identifier": "https://git.test/shop", "asset_kind": "repository"}

    response = _post(gateway_client, "/scanner/v1/imports", caller["key"], body, **{**defaults, **params})

    assert response.status_code == 400
    assert response.json() == {"detail": detail}


@pytest.mark.usefixtures("nothing_kept")
def test_item_9_nul_in_a_query_parameter_of_a_multipart_upload_is_refused(
    gateway_client: TestClient, caller: dict[str, Any]
) -> None:
    response = _post(
        gateway_client, "/scanner/v1/imports", caller["key"], _multipart(UPLOAD_FIELDS), debug="\x00"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "debug must not contain NUL bytes"}


DOJO_FIELDS = {
    "scan_type": "Bandit Scan",
    "product_name": "payments-api",
    "engagement_name": "CI",
    "auto_create_context": "true",
    "close_old_findings": "true",
    "minimum_severity": "Low",
    "tags": "ci",
    "bastion_asset_kind": "repository",
}


@pytest.mark.parametrize("path", ["import-scan", "reimport-scan"])
@pytest.mark.parametrize("field", [*DOJO_FIELDS, "organization", "file-name"])
@pytest.mark.usefixtures("nothing_kept")
def test_item_9_nul_in_a_defectdojo_field_is_refused(
    gateway_client: TestClient, caller: dict[str, Any], path: str, field: str
) -> None:
    if field == "file-name":
        body, detail = _multipart(DOJO_FIELDS, "bandit\x00.json"), "the file name must not contain NUL bytes"
    else:
        fields = {**DOJO_FIELDS, field: DOJO_FIELDS.get(field, "acme") + "\x00"}
        body, detail = _multipart(fields), f"{field} must not contain NUL bytes"

    response = _post(gateway_client, f"/api/v2/{path}/", caller["key"], body)

    assert response.status_code == 400
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize(
    "params",
    [
        {"asset_identifier": "https://git.test/\x00app"},
        {"asset_kind": "repository\x00"},
        {"tags": "ci\x00"},
        {"full": "true\x00"},
        {"file_name": "r\x00.json"},
        {"anything": "\x00"},
    ],
    ids=["asset_identifier", "asset_kind", "tags", "full", "file_name", "unknown-parameter"],
)
@pytest.mark.usefixtures("nothing_kept")
def test_item_9_nul_in_a_webhook_parameter_is_refused(
    gateway_client: TestClient, caller: dict[str, Any], params: dict[str, str]
) -> None:
    WebhookSecret.objects.create(organization=caller["org"], secret=seal(SECRET))
    stamp = str(int(time.time()))
    query = {"asset_identifier": "https://git.test/app", "asset_kind": "repository", **params}

    response = gateway_client.post(
        "/scanner/v1/webhooks/bandit",
        params=query,
        headers={
            "X-Bastion-Organization": "acme",
            "X-Bastion-Timestamp": stamp,
            "X-Bastion-Delivery": "d-1",
            "X-Bastion-Signature": sign(SECRET, stamp, REPORT),
            "Content-Type": "application/json",
        },
        content=REPORT,
    )

    assert response.status_code == 400
    (name,) = params
    assert response.json() == {"detail": f"{name} must not contain NUL bytes"}


@pytest.mark.parametrize(
    ("header", "value"), [("X-Bastion-Organization", "ac\x00me"), ("X-Bastion-Delivery", "d\x00-1")]
)
@pytest.mark.usefixtures("nothing_kept")
def test_item_9_nul_in_a_webhook_header_is_refused(
    gateway_client: TestClient, caller: dict[str, Any], header: str, value: str
) -> None:
    WebhookSecret.objects.create(organization=caller["org"], secret=seal(SECRET))
    stamp = str(int(time.time()))
    headers = {
        "X-Bastion-Organization": "acme",
        "X-Bastion-Timestamp": stamp,
        "X-Bastion-Delivery": "d-1",
        "X-Bastion-Signature": sign(SECRET, stamp, REPORT),
        header: value,
    }

    response = gateway_client.post(
        "/scanner/v1/webhooks/bandit?asset_identifier=https://git.test/app&asset_kind=repository",
        headers=headers,
        content=REPORT,
    )

    assert response.status_code == 400
    assert response.json() == {"detail": f"{header} must not contain NUL bytes"}


@pytest.mark.usefixtures("nothing_kept")
def test_item_9_an_intake_that_fails_after_storing_the_report_keeps_nothing(
    caller: dict[str, Any], var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a received upload naming a new asset, its caller, and a database that fails once
    # the report is stored
    spooled = var_dir / "uploads" / "upload-test"
    spooled.parent.mkdir(parents=True)
    spooled.write_bytes(REPORT)
    received = Upload(spooled, len(REPORT), hashlib.sha256(REPORT).hexdigest(), "report.json")
    grant = MembershipGrant(organization_id=caller["org"].pk, organization_slug="acme", role=Role.ANALYST)
    principal = Principal(
        user_id=caller["user"].pk,
        email=caller["user"].email,
        is_superuser=False,
        auth_method="token",
        memberships=(grant,),
    )
    options = options_from({"asset_identifier": "https://git.test/new", "asset_kind": "repository"})
    stored: list[Path] = []

    def fail_once_stored(**_: Any) -> None:
        stored.extend((var_dir / "reports").rglob("*/*"))
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "create_job", fail_once_stored)
    # when: the intake fails once the report is stored
    with pytest.raises(RuntimeError, match="the database went away"):
        intake.take_in(principal=principal, upload=received, options=options)
    # then: the report had been stored, and is gone with the spool file and the asset (see nothing_kept)
    assert len(stored) == 1
    assert not stored[0].exists()


def _aged(path: Path, seconds: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"part of a report")
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_item_9_remove_stale_deletes_only_files_untouched_for_an_hour(tmp_path: Path) -> None:
    # given
    stale = _aged(tmp_path / "upload-stale", HOUR + 60)
    fresh = _aged(tmp_path / "upload-fresh", HOUR - 60)
    (tmp_path / "folder").mkdir()
    # when
    removed = remove_stale(tmp_path)
    # then
    assert removed == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["folder", fresh.name]
    assert not stale.exists()


def test_item_9_remove_stale_of_a_missing_directory_removes_nothing(tmp_path: Path) -> None:
    assert remove_stale(tmp_path / "never-made") == 0


def test_item_9_scanner_start_up_removes_stale_uploads(transactional_db: None, var_dir: Path) -> None:
    # given: a spool file a crashed process left an hour ago, and one being written now
    stale = _aged(spool_dir() / "upload-left-by-a-crash", HOUR + 60)
    fresh = _aged(spool_dir() / "upload-in-progress", 0)
    # when: the service starts
    with TestClient(create_gateway(), base_url="http://localhost") as client:
        assert client.get("/scanner/healthz").status_code == 200
    # then
    assert (stale.exists(), fresh.exists()) == (False, True)
    fresh.unlink()
