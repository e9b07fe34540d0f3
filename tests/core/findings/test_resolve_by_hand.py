"""Closing a finding by hand: one step from any active status, and the next import still checks it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from fastapi.testclient import TestClient
from rest_framework.test import APIClient

from bastion.contracts.principal import Role
from bastion.core.findings.choices import ACTIVE_STATUSES, TRANSITIONS, Status
from bastion.core.findings.models import Finding, FindingTransition
from bastion.core.imports.models import ImportJob
from bastion.core.imports.tasks import run_import
from tests import factories

BANDIT = Path(__file__).parents[2] / "fixtures" / "scans" / "bandit" / "dd.json"
ACTIVE = sorted(ACTIVE_STATUSES)


def test_every_active_status_may_be_resolved_by_hand() -> None:
    assert sorted(status for status in Status if Status.RESOLVED in TRANSITIONS[status]) == ACTIVE


@pytest.mark.parametrize("current", ACTIVE, ids=lambda status: status.value)
def test_analyst_resolves_an_active_finding_in_one_step_with_a_reason(db: None, current: Status) -> None:
    # given
    org = factories.organization()
    analyst = factories.member(org, Role.ANALYST)
    finding = factories.finding(factories.asset(org), status=current)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token_key(analyst, org)}")
    # when
    response = client.post(
        f"/api/v1/findings/{finding.pk}/transition",
        {"status": "resolved", "reason": "patched in release 2.4"},
        format="json",
    )
    # then
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "resolved"
    assert response.json()["resolved_at"] is not None
    history = client.get(f"/api/v1/findings/{finding.pk}/transitions").json()
    assert [(h["from_status"], h["to_status"], h["reason"], h["actor"]) for h in history] == [
        (current.value, "resolved", "patched in release 2.4", analyst.pk)
    ]


@pytest.mark.parametrize("current", [Status.FALSE_POSITIVE, Status.RISK_ACCEPTED], ids=lambda s: s.value)
def test_a_set_aside_finding_is_not_resolved_by_hand(db: None, current: Status) -> None:
    # given
    org = factories.organization()
    analyst = factories.member(org, Role.ANALYST)
    finding = factories.finding(factories.asset(org), status=current)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token_key(analyst, org)}")
    # when
    response = client.post(
        f"/api/v1/findings/{finding.pk}/transition", {"status": "resolved", "reason": "x"}, format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json() == {"detail": f"a finding cannot go from {current.value} to resolved"}
    assert Finding.objects.get(pk=finding.pk).status == current
    assert not FindingTransition.objects.filter(finding=finding).exists()


def test_bulk_resolves_open_findings_in_one_step(db: None) -> None:
    org = factories.organization()
    analyst = factories.member(org, Role.ANALYST)
    asset = factories.asset(org)
    ids = [factories.finding(asset).pk for _ in range(3)]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token_key(analyst, org)}")

    response = client.post(
        "/api/v1/findings/bulk",
        {"ids": ids, "action": "transition", "status": "resolved", "reason": "host decommissioned"},
        format="json",
    )

    assert response.json() == {"changed": 3}
    assert list(Finding.objects.filter(pk__in=ids).values_list("status", flat=True)) == ["resolved"] * 3


@pytest.fixture
def caller(transactional_db: None) -> dict[str, Any]:
    cache.clear()  # no imports counted against anyone by an earlier test
    org = factories.organization("acme")
    user = factories.member(org, Role.ANALYST, email="ci@acme.test")
    return {"org": org, "user": user, "asset": factories.asset(org), "key": factories.token_key(user, org)}


def _import(client: TestClient, caller: dict[str, Any]) -> ImportJob:
    response = client.post(
        "/scanner/v1/imports",
        headers={"Authorization": f"Token {caller['key']}"},
        files={"file": ("report", BANDIT.read_bytes())},
        data={"asset": str(caller["asset"].pk)},
    )
    assert response.status_code == 202, response.text
    run_import(response.json()["id"])
    return ImportJob.objects.get(pk=response.json()["id"])


def test_finding_resolved_by_hand_but_still_reported_is_reopened_by_the_next_import(
    gateway_client: TestClient, caller: dict[str, Any]
) -> None:
    # given: an import, then an analyst closes two of its findings by hand, straight from open
    _import(gateway_client, caller)
    closed = list(Finding.objects.order_by("pk").values_list("pk", flat=True)[:2])
    for finding_id in closed:
        response = gateway_client.post(
            f"/api/v1/findings/{finding_id}/transition",
            headers={"Authorization": f"Token {caller['key']}"},
            json={"status": "resolved", "reason": "fixed, I think"},
        )
        assert response.json()["status"] == "resolved"
    # when: the scanner still reports them
    again = _import(gateway_client, caller)
    # then
    assert (again.reopened, again.unchanged) == (2, 45)
    assert list(Finding.objects.filter(pk__in=closed).values_list("status", flat=True)) == ["reopened"] * 2
    moves = FindingTransition.objects.filter(finding_id=closed[0]).order_by("pk")
    assert [(m.from_status, m.to_status, m.reason) for m in moves] == [
        ("open", "resolved", "fixed, I think"),
        ("resolved", "reopened", f"seen again by import {again.pk}"),
    ]
