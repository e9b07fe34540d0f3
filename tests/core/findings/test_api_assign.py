"""Assigning findings and naming risk approvers through the REST API: by id or e-mail, analysts too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from bastion.contracts.principal import Role
from bastion.core.audit.models import AuditEvent
from bastion.core.findings.models import Finding, FindingTransition
from bastion.core.tenancy import services as tenancy_services
from tests import factories

NOT_MEMBER = "No member of your organisations has the id or e-mail address {}."
EXPIRES = (timezone.now().date() + timedelta(days=30)).isoformat()


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    home, away = factories.organization("home"), factories.organization("away")
    people = {role: factories.member(home, role, email=f"{role.value}@home.test") for role in Role}
    stranger = factories.member(away, Role.OWNER, email="owner@away.test")
    asset = factories.asset(home)
    findings = [factories.finding(asset) for _ in range(2)]
    return {
        "home": home,
        "away": away,
        "people": people,
        "stranger": stranger,
        "findings": findings,
    }


def _client(world: dict[str, Any], role: Role) -> APIClient:
    client = APIClient()
    key = factories.token_key(world["people"][role], world["home"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _assignees(findings: list[Finding]) -> list[int | None]:
    return list(
        Finding.objects.filter(pk__in=[f.pk for f in findings])
        .order_by("pk")
        .values_list("assignee", flat=True)
    )


@pytest.mark.parametrize("given", ["id", "email", "EMAIL"])
def test_analyst_assigns_a_finding_by_id_or_email(world: dict[str, Any], given: str) -> None:
    # given
    finding, admin = world["findings"][0], world["people"][Role.ADMIN]
    value = {"id": admin.pk, "email": admin.email, "EMAIL": admin.email.upper()}[given]
    # when
    response = _client(world, Role.ANALYST).patch(
        f"/api/v1/findings/{finding.pk}", {"assignee": value}, format="json"
    )
    # then
    assert response.status_code == 200, response.content
    assert response.json()["assignee"] == admin.pk
    assert _assignees(world["findings"]) == [admin.pk, None]
    event = AuditEvent.objects.filter(object_type="findings.finding", object_id=str(finding.pk)).first()
    assert event is not None
    assert (event.action, event.actor, event.changes["assignee"]) == (
        "update",
        world["people"][Role.ANALYST],
        [None, admin.pk],
    )


def test_analyst_unassigns_a_finding(world: dict[str, Any]) -> None:
    finding = world["findings"][0]
    Finding.objects.filter(pk=finding.pk).update(assignee=world["people"][Role.ADMIN])

    response = _client(world, Role.ANALYST).patch(
        f"/api/v1/findings/{finding.pk}", {"assignee": None}, format="json"
    )

    assert response.status_code == 200
    assert _assignees(world["findings"]) == [None, None]


@pytest.mark.parametrize(
    "change",
    [{"title": "Renamed"}, {"assignee": "admin@home.test", "severity": "low"}],
    ids=["title", "both"],
)
def test_analyst_edit_of_anything_but_the_assignee_is_403_and_changes_nothing(
    world: dict[str, Any], change: dict[str, Any]
) -> None:
    # given
    finding = world["findings"][0]
    # when
    response = _client(world, Role.ANALYST).patch(f"/api/v1/findings/{finding.pk}", change, format="json")
    # then
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role in this organisation does not allow this action."}
    assert Finding.objects.filter(pk=finding.pk).values_list("title", "severity", "assignee").get() == (
        finding.title,
        "high",
        None,
    )


def test_viewer_may_not_assign(world: dict[str, Any]) -> None:
    finding = world["findings"][0]
    client = _client(world, Role.VIEWER)

    single = client.patch(f"/api/v1/findings/{finding.pk}", {"assignee": "viewer@home.test"}, format="json")
    bulk = client.post(
        "/api/v1/findings/bulk",
        {"ids": [finding.pk], "action": "assign", "assignee": "viewer@home.test"},
        format="json",
    )

    assert (single.status_code, bulk.status_code) == (403, 403)
    assert _assignees(world["findings"]) == [None, None]


@pytest.mark.parametrize("given", ["owner@away.test", "stranger_id", "nobody@home.test", "999999999"])
def test_assigning_a_non_member_is_400_naming_the_field(world: dict[str, Any], given: str) -> None:
    # given: someone of another organisation (by e-mail or id), or no one at all
    value: Any = world["stranger"].pk if given == "stranger_id" else given
    finding = world["findings"][0]
    client = _client(world, Role.ANALYST)
    events_before = AuditEvent.objects.count()
    # when
    single = client.patch(f"/api/v1/findings/{finding.pk}", {"assignee": value}, format="json")
    bulk = client.post(
        "/api/v1/findings/bulk",
        {"ids": [f.pk for f in world["findings"]], "action": "assign", "assignee": value},
        format="json",
    )
    # then
    assert (single.status_code, bulk.status_code) == (400, 400)
    assert single.json() == bulk.json() == {"assignee": [NOT_MEMBER.format(value)]}
    assert _assignees(world["findings"]) == [None, None]
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("value", [True, 1.5, "admin", ["admin@home.test"], {"id": 1}])
def test_an_assignee_neither_id_nor_email_is_400(world: dict[str, Any], value: Any) -> None:
    finding = world["findings"][0]

    response = _client(world, Role.ANALYST).patch(
        f"/api/v1/findings/{finding.pk}", {"assignee": value}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"assignee": ["Give a member's id (a number) or e-mail address."]}
    assert _assignees(world["findings"]) == [None, None]


def test_bulk_assign_by_email(world: dict[str, Any]) -> None:
    ids = [f.pk for f in world["findings"]]
    analyst = world["people"][Role.ANALYST]

    response = _client(world, Role.ANALYST).post(
        "/api/v1/findings/bulk", {"ids": ids, "action": "assign", "assignee": analyst.email}, format="json"
    )

    assert response.json() == {"changed": 2}
    assert _assignees(world["findings"]) == [analyst.pk, analyst.pk]


def test_member_of_another_of_my_organisations_is_refused_naming_the_field(world: dict[str, Any]) -> None:
    # given: a session (it reaches both organisations) of someone who belongs to both
    both = factories.member(world["home"], Role.ADMIN, email="both@home.test")
    factories.member(world["away"], Role.ANALYST, email="away-analyst@away.test")
    tenancy_services.set_membership(organization=world["away"], user=both, role=Role.ADMIN)
    client = APIClient()
    client.force_login(both)
    finding = world["findings"][0]
    # when: assigning a finding of home to a member of away only
    single = client.patch(
        f"/api/v1/findings/{finding.pk}", {"assignee": "away-analyst@away.test"}, format="json"
    )
    bulk = client.post(
        "/api/v1/findings/bulk",
        {"ids": [finding.pk], "action": "assign", "assignee": "away-analyst@away.test"},
        format="json",
    )
    # then
    assert (single.status_code, bulk.status_code) == (400, 400)
    assert single.json() == {"assignee": ["The assignee is not a member of the organisation."]}
    assert bulk.json() == {
        "assignee": ["away-analyst@away.test is not a member of every finding's organisation"]
    }
    assert _assignees(world["findings"]) == [None, None]


@pytest.mark.parametrize("given", ["id", "email"])
def test_risk_approver_by_id_or_email(world: dict[str, Any], given: str) -> None:
    # given
    finding, owner = world["findings"][0], world["people"][Role.OWNER]
    approver = owner.pk if given == "id" else owner.email
    # when
    response = _client(world, Role.ANALYST).post(
        f"/api/v1/findings/{finding.pk}/transition",
        {
            "status": "risk_accepted",
            "justification": "behind VPN",
            "expires_on": EXPIRES,
            "approver": approver,
        },
        format="json",
    )
    # then
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["risk_approved_by"]) == ("risk_accepted", owner.pk)


@pytest.mark.parametrize("path", ["single", "bulk"])
@pytest.mark.parametrize("given", ["owner@away.test", "stranger_id"])
def test_risk_approver_outside_my_organisations_is_400_naming_the_field(
    world: dict[str, Any], given: str, path: str
) -> None:
    # given
    value: Any = world["stranger"].pk if given == "stranger_id" else given
    finding = world["findings"][0]
    body = {"status": "risk_accepted", "justification": "x", "expires_on": EXPIRES, "approver": value}
    # when
    client = _client(world, Role.ANALYST)
    if path == "single":
        response = client.post(f"/api/v1/findings/{finding.pk}/transition", body, format="json")
    else:
        response = client.post(
            "/api/v1/findings/bulk", {"ids": [finding.pk], "action": "transition", **body}, format="json"
        )
    # then
    assert response.status_code == 400
    assert response.json() == {"approver": [NOT_MEMBER.format(value)]}
    assert Finding.objects.get(pk=finding.pk).status == "open"
    assert not FindingTransition.objects.filter(finding=finding).exists()
