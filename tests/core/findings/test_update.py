"""Editing a finding: its fields, advisories, CWEs and tags change together or not at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection
from rest_framework.test import APIClient

from bastion.contracts.principal import Role
from bastion.core.assets import services as asset_services
from bastion.core.assets.models import Tag
from bastion.core.audit.models import AuditEvent
from bastion.core.findings import services
from bastion.core.findings.models import Finding, FindingCwe
from tests import factories

#: Passes the serializer (a positive integer) but no database column holds it.
CWE_TOO_LARGE = 2**63


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    org = factories.organization("home")
    admin = factories.member(org, Role.ADMIN, email="admin@home.test")
    tag = asset_services.create_tag(actor=None, organization=org, name="pci")
    finding = factories.finding(
        factories.asset(org), title="Old title", advisory_ids=["CVE-2024-0001"], cwe_ids=[79], tags=[tag]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token_key(admin, org)}")
    return {"org": org, "admin": admin, "finding": finding, "client": client}


def _state(finding: Finding) -> dict[str, Any]:
    finding = Finding.objects.get(pk=finding.pk)
    return {
        "title": finding.title,
        "advisory_ids": list(finding.advisories.values_list("identifier", flat=True)),
        "cwe_ids": list(finding.cwes.values_list("cwe_id", flat=True)),
        "tags": list(finding.tags.values_list("name", flat=True)),
    }


def test_patch_changes_fields_advisories_cwes_and_tags(world: dict[str, Any]) -> None:
    # given
    finding = world["finding"]
    body = {"title": "New title", "advisory_ids": ["GHSA-aaaa-bbbb-cccc"], "cwe_ids": [89], "tags": ["web"]}
    # when
    response = world["client"].patch(f"/api/v1/findings/{finding.pk}", body, format="json")
    # then
    assert response.status_code == 200, response.content
    assert _state(finding) == body
    assert (response.json()["advisory_ids"], response.json()["cwe_ids"], response.json()["tags"]) == (
        ["GHSA-aaaa-bbbb-cccc"],
        [89],
        ["web"],
    )


def test_patch_with_an_invalid_cwe_saves_nothing_of_the_patch(world: dict[str, Any]) -> None:
    # given
    finding = world["finding"]
    before = _state(finding)
    events = AuditEvent.objects.count()
    body = {
        "title": "New title",
        "tags": ["web"],
        "advisory_ids": ["GHSA-aaaa-bbbb-cccc"],
        "cwe_ids": [89, CWE_TOO_LARGE],
    }
    # when
    response = world["client"].patch(f"/api/v1/findings/{finding.pk}", body, format="json")
    # then
    assert response.status_code == 400
    largest = connection.ops.integer_field_range("PositiveIntegerField")[1]
    assert response.json() == {"cwe_ids": [f"Ensure this value is less than or equal to {largest}."]}
    assert _state(finding) == before
    assert list(Tag.objects.values_list("name", flat=True)) == ["pci"]
    assert AuditEvent.objects.count() == events


def test_a_failure_while_writing_the_cwes_rolls_the_whole_update_back(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the database refuses the CWE rows
    finding = world["finding"]
    before = _state(finding)
    events = AuditEvent.objects.count()

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("the disk is full")

    monkeypatch.setattr(FindingCwe.objects, "bulk_create", refuse)
    # when
    with pytest.raises(DatabaseError, match="the disk is full"):
        services.update_finding(
            actor=world["admin"],
            finding=Finding.objects.get(pk=finding.pk),
            title="New title",
            tag_names=["web"],
            advisory_ids=["GHSA-aaaa-bbbb-cccc"],
            cwe_ids=[89],
        )
    # then
    assert _state(finding) == before
    assert list(Tag.objects.values_list("name", flat=True)) == ["pci"]
    assert AuditEvent.objects.count() == events
