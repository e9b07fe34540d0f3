"""Repository scans of an uploaded archive and of a directory on the server."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.contracts.scans import ScanState
from bastion.core.advisories.services import import_osv
from bastion.core.findings.models import Finding
from bastion.core.scans.models import ScanJob
from bastion.scanner.scans.tasks import run_scan
from tests.scanner.scans.conftest import auth

OSV_FIXTURES = Path(__file__).parents[2] / "core" / "advisories" / "fixtures" / "osv"
DJANGO_ADVISORY = "GHSA-p64x-8rxx-wf6q"


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _upload(api: TestClient, caller: dict[str, Any], archive: bytes, **fields: str) -> Any:
    return api.post(
        "/scanner/v1/scans",
        headers=auth(caller["key"]),
        files={"file": ("shop.zip", archive)},
        data={"asset": str(caller["asset"].pk), "engines": "dependencies", **fields},
    )


@pytest.fixture
def advisories(caller: dict[str, Any]) -> None:
    import_osv(OSV_FIXTURES)


@pytest.mark.usefixtures("advisories")
def test_an_uploaded_archive_is_unpacked_audited_and_removed(
    api: TestClient, caller: dict[str, Any], tmp_path: Path
) -> None:
    # when
    response = _upload(api, caller, _zip({"shop/requirements.txt": "Django==3.2.0\n"}))

    # then
    assert response.status_code == 202, response.text
    scan_id = response.json()["id"]
    stored = ScanJob.objects.get(pk=scan_id).archive_key
    assert stored
    run_scan(scan_id)
    scan = ScanJob.objects.get(pk=scan_id)
    assert scan.state == ScanState.COMPLETED, (scan.error, scan.log)
    finding = Finding.objects.get(asset=caller["asset"], rule_id=DJANGO_ADVISORY)
    assert finding.file_path == "shop/requirements.txt"
    from django.core.files.storage import storages

    assert not storages["reports"].exists(stored)  # the archive is not kept after its scan


def test_an_archive_that_escapes_its_directory_fails_the_scan_and_imports_nothing(
    api: TestClient, caller: dict[str, Any], tmp_path: Path
) -> None:
    # when
    response = _upload(api, caller, _zip({"../../escaped.txt": "x", "ok.txt": "y"}))
    run_scan(response.json()["id"])

    # then
    scan = ScanJob.objects.get(pk=response.json()["id"])
    assert scan.state == ScanState.FAILED
    assert "the archive was refused" in scan.error
    assert scan.imports == []


def test_an_archive_for_a_host_target_or_an_unknown_engine_is_refused(
    api: TestClient, caller: dict[str, Any]
) -> None:
    response = _upload(api, caller, _zip({"a.txt": "x"}), engines="services")
    assert response.status_code == 400
    assert "engine 'services' does not scan a repository" in response.json()["detail"]
    assert not ScanJob.objects.exists()


@pytest.mark.usefixtures("advisories")
def test_a_local_directory_is_scanned_only_inside_the_root_the_administrator_set(
    api: TestClient, caller: dict[str, Any], tmp_path: Path, fresh_settings: pytest.MonkeyPatch
) -> None:
    # given
    root = tmp_path / "repositories"
    (root / "shop").mkdir(parents=True)
    (root / "shop" / "requirements.txt").write_text("Django==3.2.0\n")
    (tmp_path / "secret").mkdir()
    fresh_settings.setenv("BASTION_SCAN_LOCAL_ROOT", str(root))
    body = {"target": {"kind": "repository", "value": str(root / "shop")}, "engines": ["dependencies"]}

    # when
    response = api.post("/scanner/v1/scans", headers=auth(caller["key"]), json=body)

    # then
    assert response.status_code == 202, response.text
    run_scan(response.json()["id"])
    scan = ScanJob.objects.get(pk=response.json()["id"])
    assert scan.state == ScanState.COMPLETED, (scan.error, scan.log)
    assert Finding.objects.filter(rule_id=DJANGO_ADVISORY).count() == 1
    # and a path outside the root (directly, or through ..) is refused
    for outside in (str(tmp_path / "secret"), str(root / "shop" / ".." / ".." / "secret")):
        body["target"]["value"] = outside  # type: ignore[index]
        refused = api.post("/scanner/v1/scans", headers=auth(caller["key"]), json=body)
        assert refused.status_code == 422
        assert "outside the directory local scans may read" in refused.json()["detail"]
