"""Issue 10: the upload, DefectDojo and webhook endpoints are thin adapters over one core intake.

The same request makes the same job whichever way it comes in, through ``core.imports.intake.take_in``;
the same refusal has the same status on every endpoint (chosen by its class, in ``scanner.exceptions``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.contracts.principal import Role
from bastion.core.imports import exceptions, intake
from bastion.core.imports.models import ImportJob, WebhookDelivery
from bastion.scanner.exceptions import CompressedBodyRefused, ReportTooLarge, UploadRefused, status_for
from tests import factories
from tests.scanner.imports.conftest import (
    SCANS,
    post_defectdojo,
    post_upload,
    post_webhook,
)

REPORT = (SCANS / "bandit" / "one_vuln.json").read_bytes()
IDENTIFIER = "https://git.test/shop"
# What the job says of the request, whichever way it came in (its id, time, source and actor aside).
SAME_FIELDS = (
    "organization_id", "engagement_id", "has_created_asset", "format", "is_format_forced",
    "is_full", "tags", "minimum_severity", "size_bytes", "sha256", "state",
)  # fmt: skip

Post = Callable[..., Any]


def _upload(client: TestClient, caller: dict[str, Any], **fields: str) -> Any:
    return post_upload(client, caller["key"], REPORT, format="bandit", **fields)


def _webhook(client: TestClient, caller: dict[str, Any], **fields: str) -> Any:
    return post_webhook(client, REPORT, **fields)


def _defectdojo(client: TestClient, caller: dict[str, Any], **fields: str) -> Any:
    return post_defectdojo(client, caller["key"], REPORT, scan_type="Bandit Scan", **fields)


def _assert_nothing_kept() -> None:
    assert (ImportJob.objects.count(), WebhookDelivery.objects.count()) == (0, 0)


@pytest.mark.usefixtures("webhook")
@pytest.mark.parametrize(
    ("post", "fields", "source", "is_by_the_caller"),
    [
        (
            _upload,
            {"asset_identifier": IDENTIFIER, "asset_kind": "repository", "full": "true"},
            "upload",
            True,
        ),
        (
            _webhook,
            {"asset_identifier": IDENTIFIER, "asset_kind": "repository", "full": "true"},
            "webhook",
            False,
        ),
        (
            _defectdojo,
            {"product_name": IDENTIFIER, "close_old_findings": "true", "auto_create_context": "true"},
            "defectdojo",
            True,
        ),
    ],
    ids=["upload", "webhook", "defectdojo"],
)
def test_each_endpoint_makes_the_same_job_through_the_one_intake(
    gateway_client: TestClient,
    caller: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    post: Post,
    fields: dict[str, str],
    source: str,
    is_by_the_caller: bool,
) -> None:
    # given: the one intake, watched
    sources: list[str] = []
    take_in = intake.take_in

    def watched(**arguments: Any) -> ImportJob:
        job = take_in(**arguments)
        sources.append(job.source)
        return job

    monkeypatch.setattr(intake, "take_in", watched)
    # when: the same report, new asset and options, one way in
    response = post(gateway_client, caller, tags="ci,nightly", minimum_severity="low", **fields)
    # then
    assert response.status_code in {201, 202}, response.text
    assert sources == [source]
    job = ImportJob.objects.select_related("asset").get()
    assert {name: getattr(job, name) for name in SAME_FIELDS} == {
        "organization_id": caller["org"].pk, "engagement_id": None, "has_created_asset": True,
        "format": "bandit", "is_format_forced": True, "is_full": True, "tags": ["ci", "nightly"],
        "minimum_severity": "low", "size_bytes": len(REPORT), "sha256": hashlib.sha256(REPORT).hexdigest(),
        "state": "queued",
    }  # fmt: skip
    assert (job.asset.identifier, job.asset.kind, job.asset.name) == (IDENTIFIER, "repository", IDENTIFIER)
    assert (job.source, job.created_by_id) == (source, caller["user"].pk if is_by_the_caller else None)


@pytest.mark.usefixtures("webhook")
@pytest.mark.parametrize(
    ("post", "fields", "detail"),
    [
        (_upload, {"asset": "999999"}, "no asset 999999"),
        (_webhook, {"asset": "999999"}, "no asset 999999"),
        (
            _defectdojo,
            {"product_name": "unknown"},
            "no product 'unknown'; send auto_create_context=true to create it",
        ),
    ],
    ids=["upload", "webhook", "defectdojo"],
)
def test_a_missing_asset_is_404_on_every_endpoint(
    gateway_client: TestClient, caller: dict[str, Any], post: Post, fields: dict[str, str], detail: str
) -> None:
    response = post(gateway_client, caller, **fields)

    assert (response.status_code, response.json()) == (404, {"detail": detail})
    _assert_nothing_kept()


@pytest.mark.usefixtures("webhook")
@pytest.mark.parametrize("post", [_upload, _webhook], ids=["upload", "webhook"])
def test_another_organisations_asset_is_404_as_a_missing_one(
    gateway_client: TestClient, caller: dict[str, Any], post: Post
) -> None:
    foreign = factories.asset(factories.organization("globex"))

    response = post(gateway_client, caller, asset=str(foreign.pk))

    assert (response.status_code, response.json()) == (404, {"detail": f"no asset {foreign.pk}"})
    _assert_nothing_kept()


@pytest.mark.usefixtures("webhook")
@pytest.mark.parametrize(
    ("post", "fields", "detail"),
    [
        (_upload, {"asset": "{asset}", "engagement": "999999"}, "no engagement 999999 on asset {asset}"),
        (_webhook, {"asset": "{asset}", "engagement": "999999"}, "no engagement 999999 on asset {asset}"),
        (
            _defectdojo,
            {"product_name": "{identifier}", "engagement_name": "Nightly"},
            "no engagement 'Nightly'; send auto_create_context=true",
        ),
    ],
    ids=["upload", "webhook", "defectdojo"],
)
def test_a_missing_engagement_is_404_on_every_endpoint(
    gateway_client: TestClient, caller: dict[str, Any], post: Post, fields: dict[str, str], detail: str
) -> None:
    names = {"asset": caller["asset"].pk, "identifier": caller["asset"].identifier}

    response = post(gateway_client, caller, **{name: value.format(**names) for name, value in fields.items()})

    assert (response.status_code, response.json()) == (404, {"detail": detail.format(**names)})
    _assert_nothing_kept()


@pytest.mark.parametrize(
    ("post", "fields"),
    [(_upload, {"asset": "{asset}"}), (_defectdojo, {"product_name": "{identifier}"})],
    ids=["upload", "defectdojo"],
)
def test_a_viewer_is_refused_with_403_on_every_endpoint(
    gateway_client: TestClient, caller: dict[str, Any], post: Post, fields: dict[str, str]
) -> None:
    # given: a viewer's token in the caller's organisation
    viewer = factories.member(caller["org"], Role.VIEWER)
    as_viewer = caller | {"key": factories.token_key(viewer, caller["org"])}
    names = {"asset": caller["asset"].pk, "identifier": caller["asset"].identifier}
    # when
    response = post(
        gateway_client, as_viewer, **{name: value.format(**names) for name, value in fields.items()}
    )
    # then
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "importing needs the analyst role or higher"},
    )
    _assert_nothing_kept()


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (exceptions.AssetNotFound("x"), 404),
        (exceptions.EngagementNotFound("x"), 404),
        (exceptions.OrganizationNotFound("x"), 404),
        (exceptions.ImportNotFound("x"), 404),
        (exceptions.ImportForbidden("x"), 403),
        (exceptions.InvalidImportOptions("x"), 400),
        (exceptions.OrganizationNotChosen("x"), 400),
        (exceptions.InvalidReport("x"), 400),
        (exceptions.UnknownReportFormat("x"), 400),
        (exceptions.DuplicateDelivery("x"), 409),
        (UploadRefused("x"), 400),
        (ReportTooLarge("x"), 413),
        (CompressedBodyRefused("x"), 415),
    ],
)
def test_a_refusals_status_comes_from_its_class(error: Exception, status: int) -> None:
    assert status_for(error) == status
