"""The imports page: an upload goes through the intake, runs, and its counts show; roles and tenants."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.assets.models import Asset
from bastion.core.findings.models import Finding
from bastion.core.imports import tasks
from bastion.core.imports.models import ImportJob
from bastion.core.tenancy.models import Organization
from bastion.parsers import all_parsers
from tests import factories

pytestmark = pytest.mark.django_db
SCANS = Path(__file__).resolve().parents[1] / "fixtures" / "scans"
BANDIT = SCANS / "bandit" / "dd.json"  # 47 findings (tests/fixtures/scans/EXPECTED.tsv)
BANDIT_FINDINGS = 47


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def report(path: Path = BANDIT) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/json")


@pytest.fixture
def inline_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the import task in the request's process when its transaction commits (no worker)."""
    monkeypatch.setattr(tasks.run_import, "delay", lambda job_id: tasks.run_import(job_id))


@pytest.fixture
def org() -> Organization:
    return factories.organization("acme")


def test_an_analyst_uploads_a_bandit_report_for_a_new_asset_and_it_completes(
    org: Organization, inline_imports: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # given
    client = client_for(factories.member(org, Role.ANALYST))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/imports/",
            {
                "file": report(),
                "asset": "",
                "asset_identifier": "https://git.example.com/acme/dojo",
                "asset_kind": "repository",
                "organization": "acme",
                "format": "",
            },
        )

    # then
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{job.pk}/"
    assert (job.state, job.format, job.is_full, job.parsed, job.new) == (
        "completed",
        "bandit",
        False,
        BANDIT_FINDINGS,
        BANDIT_FINDINGS,
    )
    assert (
        Finding.objects.filter(asset__identifier="https://git.example.com/acme/dojo").count()
        == BANDIT_FINDINGS
    )
    progress = client.get(f"/imports/{job.pk}/progress")
    assert progress.status_code == 200
    assert b"hx-trigger" not in progress.content  # finished: the polling stops
    assert f'<td class="numeric">{BANDIT_FINDINGS}</td>'.encode() in progress.content
    history = client.get("/imports/")
    assert [j.pk for j in history.context["page"]] == [job.pk]


def test_a_queued_import_polls_its_progress_every_second(
    org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: no worker takes the job
    monkeypatch.setattr(tasks.run_import, "delay", lambda job_id: None)
    asset = factories.asset(org)
    client = client_for(factories.member(org, Role.ANALYST))
    client.post("/imports/", {"file": report(), "asset": str(asset.pk), "format": "bandit", "full": "on"})
    job = ImportJob.objects.get()

    # when
    page = client.get(f"/imports/{job.pk}/")

    # then
    assert (job.state, job.is_full, job.format) == ("queued", True, "bandit")
    assert f'hx-get="/imports/{job.pk}/progress" hx-trigger="every 1s"'.encode() in page.content


def test_an_unrecognised_report_is_refused_in_plain_words_and_nothing_is_kept(org: Organization) -> None:
    client = client_for(factories.member(org, Role.ANALYST))

    response = client.post(
        "/imports/",
        {
            "file": SimpleUploadedFile("notes.txt", b"just some notes"),
            "asset_identifier": "host-1",
            "asset_kind": "host",
            "organization": "acme",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "The report's format was not recognised; choose it in the Format list."
    ]
    assert (ImportJob.objects.count(), Asset.objects.count()) == (0, 0)


def test_an_upload_must_name_its_asset(org: Organization) -> None:
    client = client_for(factories.member(org, Role.ANALYST))

    response = client.post("/imports/", {"file": report(), "asset": ""})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Choose an asset, or give the new asset's identifier and kind."
    ]
    assert ImportJob.objects.count() == 0


def test_a_viewer_sees_the_history_but_no_upload_and_a_forged_post_is_refused(org: Organization) -> None:
    asset = factories.asset(org)
    client = client_for(factories.member(org, Role.VIEWER))

    page = client.get("/imports/")
    forged = client.post("/imports/", {"file": report(), "asset": str(asset.pk)})

    assert page.status_code == 200
    assert b'type="file"' not in page.content
    assert b"No report imported yet." in page.content
    assert forged.status_code == 403
    assert ImportJob.objects.count() == 0


def test_another_organisations_asset_and_import_are_out_of_reach(org: Organization) -> None:
    other = factories.organization("globex")
    secret_asset = factories.asset(other)
    secret_job = ImportJob.objects.create(
        organization=other, asset=secret_asset, storage_key="k", file_name="x.json"
    )
    client = client_for(factories.member(org, Role.ANALYST))

    forged = client.post("/imports/", {"file": report(), "asset": str(secret_asset.pk)})

    assert forged.status_code == 400  # not offered in the asset chooser
    assert client.get(f"/imports/{secret_job.pk}/").status_code == 404
    assert client.get(f"/imports/{secret_job.pk}/progress").status_code == 404
    assert b"x.json" not in client.get("/imports/").content
    assert ImportJob.objects.count() == 1


def test_the_format_chooser_lists_the_parser_registry(org: Organization) -> None:
    response = client_for(factories.member(org, Role.ANALYST)).get("/imports/")

    choices = [value for value, _ in response.context["form"].fields["format"].choices]
    assert choices == ["", *all_parsers()]
