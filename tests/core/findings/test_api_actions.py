"""Triage through the REST API: transitions, risk acceptance, bulk actions, SLA policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from bastion.contracts.principal import Role
from bastion.core.audit.models import AuditEvent
from bastion.core.findings.models import Finding, FindingTransition, SlaPolicy
from tests import factories


@pytest.fixture
def world(db: None) -> dict[str, object]:
    org = factories.organization("home")
    people = {role: factories.member(org, role, email=f"{role.value}@home.test") for role in Role}
    asset = factories.asset(org, criticality=3)
    findings = [factories.finding(asset, severity="high") for _ in range(3)]
    return {"org": org, "people": people, "asset": asset, "findings": findings}


def _client(world: dict[str, object], role: Role) -> APIClient:
    client = APIClient()
    user = world["people"][role]  # type: ignore[index]
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token_key(user, world['org'])}")  # type: ignore[arg-type]
    return client


def test_analyst_moves_a_finding_along_the_workflow(world: dict[str, object]) -> None:
    client = _client(world, Role.ANALYST)
    finding = world["findings"][0]  # type: ignore[index]

    statuses = [
        client.post(
            f"/api/v1/findings/{finding.pk}/transition",
            {"status": status, "reason": "checked"},
            format="json",
        ).json()["status"]
        for status in ["triaged", "in_progress", "resolved"]
    ]

    assert statuses == ["triaged", "in_progress", "resolved"]
    history = client.get(f"/api/v1/findings/{finding.pk}/transitions").json()
    assert [(h["from_status"], h["to_status"], h["reason"]) for h in history] == [
        ("open", "triaged", "checked"),
        ("triaged", "in_progress", "checked"),
        ("in_progress", "resolved", "checked"),
    ]
    assert {h["actor"] for h in history} == {world["people"][Role.ANALYST].pk}  # type: ignore[index]


def test_forbidden_transition_answers_400_and_changes_nothing(world: dict[str, object]) -> None:
    finding = world["findings"][0]  # type: ignore[index]

    response = _client(world, Role.ANALYST).post(
        f"/api/v1/findings/{finding.pk}/transition", {"status": "reopened"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "a finding cannot go from open to reopened"}
    assert Finding.objects.get(pk=finding.pk).status == "open"
    assert not FindingTransition.objects.filter(finding=finding).exists()


def test_analyst_risk_acceptance_needs_an_admin_approver(world: dict[str, object]) -> None:
    client = _client(world, Role.ANALYST)
    finding = world["findings"][0]  # type: ignore[index]
    expires = (timezone.now().date() + timedelta(days=30)).isoformat()

    refused = client.post(
        f"/api/v1/findings/{finding.pk}/transition",
        {"status": "risk_accepted", "justification": "behind VPN", "expires_on": expires},
        format="json",
    )
    accepted = client.post(
        f"/api/v1/findings/{finding.pk}/transition",
        {
            "status": "risk_accepted",
            "justification": "behind VPN",
            "expires_on": expires,
            "approver": world["people"][Role.ADMIN].pk,  # type: ignore[index]
        },
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "the approver must be an admin or owner of the finding's organisation"
    }
    assert accepted.status_code == 200
    assert (
        accepted.json()["status"],
        accepted.json()["risk_accepted_until"],
        accepted.json()["risk_justification"],
    ) == (
        "risk_accepted",
        expires,
        "behind VPN",
    )


def test_bulk_transition_changes_all_or_none(world: dict[str, object]) -> None:
    client = _client(world, Role.ANALYST)
    ids = [f.pk for f in world["findings"]]  # type: ignore[attr-defined]
    Finding.objects.filter(pk=ids[2]).update(status="false_positive")

    refused = client.post(
        "/api/v1/findings/bulk",
        {"ids": ids, "action": "transition", "status": "triaged"},
        format="json",
    )
    statuses_after_refusal = list(
        Finding.objects.filter(pk__in=ids).order_by("pk").values_list("status", flat=True)
    )
    accepted = client.post(
        "/api/v1/findings/bulk",
        {"ids": ids[:2], "action": "transition", "status": "triaged"},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json() == {"detail": "a finding cannot go from false_positive to triaged"}
    assert statuses_after_refusal == ["open", "open", "false_positive"]
    assert accepted.json() == {"changed": 2}
    assert list(Finding.objects.filter(pk__in=ids).order_by("pk").values_list("status", flat=True)) == [
        "triaged",
        "triaged",
        "false_positive",
    ]


def test_bulk_assign_and_tag(world: dict[str, object]) -> None:
    client = _client(world, Role.ANALYST)
    ids = [f.pk for f in world["findings"]]  # type: ignore[attr-defined]
    admin = world["people"][Role.ADMIN]  # type: ignore[index]

    assigned = client.post(
        "/api/v1/findings/bulk",
        {"ids": ids, "action": "assign", "assignee": admin.pk},
        format="json",
    )
    tagged = client.post(
        "/api/v1/findings/bulk",
        {"ids": ids, "action": "tag", "tags": ["sprint-12", "pci"]},
        format="json",
    )

    assert (assigned.json(), tagged.json()) == ({"changed": 3}, {"changed": 3})
    assert set(Finding.objects.filter(pk__in=ids).values_list("assignee", flat=True)) == {admin.pk}
    assert sorted(client.get(f"/api/v1/findings/{ids[0]}").json()["tags"]) == ["pci", "sprint-12"]


def test_bulk_refuses_more_than_ten_thousand_ids(world: dict[str, object]) -> None:
    response = _client(world, Role.ANALYST).post(
        "/api/v1/findings/bulk",
        {"ids": list(range(1, 10_002)), "action": "tag", "tags": ["x"]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"ids": ["Ensure this field has no more than 10000 elements."]}


def test_viewer_cannot_triage(world: dict[str, object]) -> None:
    finding = world["findings"][0]  # type: ignore[index]

    response = _client(world, Role.VIEWER).post(
        f"/api/v1/findings/{finding.pk}/transition", {"status": "triaged"}, format="json"
    )

    assert response.status_code == 403
    assert Finding.objects.get(pk=finding.pk).status == "open"


def test_admin_sets_the_sla_policy_and_it_is_audited(world: dict[str, object]) -> None:
    org = world["org"]
    policy = {
        "critical_days": 3,
        "high_days": 14,
        "medium_days": 60,
        "low_days": 120,
        "info_days": None,
        "critical_asset_percent": 50,
    }

    viewer_put = _client(world, Role.VIEWER).put(f"/api/v1/organizations/{org.pk}/sla", policy, format="json")  # type: ignore[attr-defined]
    admin_put = _client(world, Role.ADMIN).put(f"/api/v1/organizations/{org.pk}/sla", policy, format="json")  # type: ignore[attr-defined]
    read = _client(world, Role.VIEWER).get(f"/api/v1/organizations/{org.pk}/sla")  # type: ignore[attr-defined]

    assert viewer_put.status_code == 403
    assert admin_put.status_code == 200
    assert {key: read.json()[key] for key in policy} == policy
    event = AuditEvent.objects.get(object_type="findings.slapolicy")
    assert (event.action, event.changes["high_days"]) == ("create", [None, 14])


def test_new_finding_gets_its_sla_from_the_policy(world: dict[str, object]) -> None:
    client = _client(world, Role.ADMIN)
    asset = world["asset"]

    response = client.post(
        "/api/v1/findings",
        {
            "asset": asset.pk,
            "title": "Open redirect",
            "severity": "medium",
            "advisory_ids": ["CVE-2025-0002"],
            "cwe_ids": [601],
        },  # type: ignore[attr-defined]
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["sla_due_on"], body["advisory_ids"], body["cwe_ids"], body["status"]) == (
        (timezone.now().date() + timedelta(days=90)).isoformat(),
        ["CVE-2025-0002"],
        [601],
        "open",
    )
    again = client.post(
        "/api/v1/findings",
        {"asset": asset.pk, "title": "Open redirect", "severity": "medium"},
        format="json",
    )  # type: ignore[attr-defined]
    assert again.status_code == 400
    assert again.json() == {"fingerprint": ["The asset already has a finding with it."]}


def test_only_owners_grant_the_owner_role(world: dict[str, object]) -> None:
    newcomer = factories.member(factories.organization(), Role.VIEWER, email="new@home.test")
    body = {"organization": "home", "user": newcomer.email, "role": "owner"}

    by_admin = _client(world, Role.ADMIN).post("/api/v1/memberships", body, format="json")
    by_owner = _client(world, Role.OWNER).post("/api/v1/memberships", body, format="json")

    assert by_admin.status_code == 403
    assert by_owner.status_code == 201
    assert by_owner.json()["role"] == "owner"


def test_only_superusers_create_organisations(world: dict[str, object]) -> None:
    owner = _client(world, Role.OWNER)

    response = owner.post("/api/v1/organizations", {"slug": "newco", "name": "NewCo"}, format="json")

    assert response.status_code == 403


@pytest.mark.parametrize("field", ["critical_days", "high_days", "medium_days", "low_days", "info_days"])
def test_sla_days_past_ten_years_are_refused_and_nothing_changes(
    world: dict[str, object], field: str
) -> None:
    # given: found by schemathesis: 2147483646 days made every later finding and import fail
    org = world["org"]
    policy = {"critical_days": 3, "high_days": 14, "medium_days": 60, "low_days": 120, "info_days": None}

    # when
    response = _client(world, Role.ADMIN).put(  # type: ignore[attr-defined]
        f"/api/v1/organizations/{org.pk}/sla", {**policy, field: 2_147_483_646}, format="json"
    )

    # then
    assert response.status_code == 400
    assert response.json()[field] == ["Ensure this value is less than or equal to 3650."]
    assert not SlaPolicy.objects.filter(organization=org).exists()
