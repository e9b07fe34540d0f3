"""The admin edits a finding's descriptive fields and moves its status only through the workflow service;
every change it makes is in the audit log, and what the workflow or the SLA computes cannot be set there."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.assets.models import Tag
from bastion.core.audit.models import AuditEvent
from bastion.core.findings.admin import COMPUTED_FIELDS
from bastion.core.findings.choices import Status
from bastion.core.findings.models import Finding, FindingTransition
from tests import factories

TOMORROW = timezone.now().date() + timedelta(days=1)


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    org = factories.organization("acme")
    target = factories.asset(org, criticality=3)
    staff = factories.member(org, Role.ADMIN, email="staff@acme.test")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(staff)
    return {
        "org": org,
        "asset": target,
        "staff": staff,
        "analyst": factories.member(org, Role.ANALYST, email="ana@acme.test"),
        "client": client,
        "finding": factories.finding(target, severity="high", title="SQL injection"),
    }


def _events(finding: Finding) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="findings.finding", object_id=str(finding.pk)).order_by("id")
    )


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def _change_form(client: Client, finding: Finding) -> tuple[dict[str, Any], list[str]]:
    """Return what the change page would post back unchanged, and the finding form's field names."""
    response = client.get(f"/admin/findings/finding/{finding.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {name: _plain(form[name].value()) for name in form.fields}
    data.update(  # what a browser posts back for a field whose default is computed (``references``)
        {
            form[name].html_initial_name: _plain(form[name].value())
            for name, field in form.fields.items()
            if field.show_hidden_initial
        }
    )
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        for row in formset.forms:
            data.update({row.add_prefix(name): _plain(row[name].value()) for name in row.fields})
    return data, list(form.fields)


def _save(client: Client, finding: Finding, data: dict[str, Any]) -> Any:
    return client.post(f"/admin/findings/finding/{finding.pk}/change/", data)


EDITS: dict[str, Any] = {
    "engagement": "engagement",
    "title": "SQL injection in /login",
    "description": "The login form concatenates the user name.",
    "severity": "critical",
    "cvss_v3_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "cvss_v4_vector": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "tool": "zap",
    "rule_id": "40018",
    "file_path": "app/login.py",
    "line_start": "10",
    "line_end": "12",
    "url": "https://shop.example.com/login",
    "parameter": "user",
    "host": "shop.example.com",
    "port": "443",
    "protocol": "tcp",
    "package": "flask",
    "package_version": "2.0.0",
    "fixed_version": "2.3.3",
    "component": "login",
    "evidence": "' OR 1=1 --",
    "remediation": "Use bound parameters.",
    "references": '["https://owasp.org/Top10/A03_2021-Injection/"]',
    "assignee": "assignee",
    "tags": "tags",
}


def test_item_7_every_editable_field_has_an_audited_edit(world: dict[str, Any]) -> None:
    _data, fields = _change_form(world["client"], world["finding"])

    assert sorted(fields) == sorted(EDITS)
    assert not set(fields) & set(COMPUTED_FIELDS)


@pytest.mark.parametrize("field", sorted(EDITS))
def test_item_7_change_form_save_of_each_field_is_audited(world: dict[str, Any], field: str) -> None:
    # given
    finding = world["finding"]
    data, _fields = _change_form(world["client"], finding)
    value = EDITS[field]
    if field == "engagement":
        value = str(factories.engagement(world["asset"]).pk)
    elif field == "assignee":
        value = str(world["analyst"].pk)
    elif field == "tags":
        value = [str(Tag.objects.create(organization=world["org"], name="pci").pk)]
    data[field] = value
    before = len(_events(finding))
    # when
    response = _save(world["client"], finding, data)
    # then
    assert response.status_code == 302, response.context["adminform"].form.errors
    events = _events(finding)[before:]
    assert len(events) == 1
    assert events[0].action == "update"
    assert events[0].actor_id == world["staff"].pk
    expected = {"engagement": "engagement", "assignee": "assignee"}.get(field, field)
    assert expected in events[0].changes


def test_item_7_severity_change_recomputes_the_sla_date(world: dict[str, Any]) -> None:
    finding = world["finding"]
    data, _fields = _change_form(world["client"], finding)
    data["severity"] = "critical"

    _save(world["client"], finding, data)

    finding.refresh_from_db()
    assert finding.sla_due_on == finding.first_seen.date() + timedelta(days=7)
    assert finding.severity_rank == 5


def test_item_7_advisory_and_cwe_rows_are_audited(world: dict[str, Any]) -> None:
    # given
    finding = world["finding"]
    data, _fields = _change_form(world["client"], finding)
    data.update(
        {
            "advisories-TOTAL_FORMS": "1",
            "advisories-0-identifier": "CVE-2024-1234",
            "advisories-0-finding": str(finding.pk),
            "cwes-TOTAL_FORMS": "1",
            "cwes-0-cwe_id": "89",
            "cwes-0-finding": str(finding.pk),
        }
    )
    before = len(_events(finding))
    # when
    response = _save(world["client"], finding, data)
    # then
    assert response.status_code == 302
    changes = {name: value for event in _events(finding)[before:] for name, value in event.changes.items()}
    assert changes["advisory_ids"] == [[], ["CVE-2024-1234"]]
    assert changes["cwe_ids"] == [[], [89]]


def test_item_7_a_post_cannot_set_a_read_only_field(world: dict[str, Any]) -> None:
    # given: a POST that also carries every computed field with another value
    finding = world["finding"]
    stored = Finding.objects.values().get(pk=finding.pk)
    data, _fields = _change_form(world["client"], finding)
    data.update(
        {
            "title": "Renamed",
            "organization": str(factories.organization("elsewhere").pk),
            "asset": str(factories.asset(world["org"]).pk),
            "status": "resolved",
            "fingerprint": "forged",
            "severity_rank": "1",
            "cvss_v3_score": "0.1",
            "first_seen": "2001-01-01 00:00:00",
            "last_seen": "2001-01-01 00:00:00",
            "resolved_at": "2001-01-01 00:00:00",
            "sla_due_on": "2099-01-01",
            "risk_accepted_until": "2099-01-01",
            "risk_justification": "forged",
            "risk_approved_by": str(world["staff"].pk),
            "content_hash": "forged",
            "created_at": "2001-01-01 00:00:00",
        }
    )
    # when
    response = _save(world["client"], finding, data)
    # then: only the title changed, and the audit event says so
    assert response.status_code == 302
    after = Finding.objects.values().get(pk=finding.pk)
    assert {name for name in stored if stored[name] != after[name]} == {"title", "updated_at"}
    assert set(_events(finding)[-1].changes) == {"title", "updated_at"}
    assert FindingTransition.objects.filter(finding=finding).count() == 0


def _run_action(client: Client, findings: list[Finding], **form: Any) -> Any:
    data: dict[str, Any] = {
        "action": "change_status",
        "_selected_action": [str(finding.pk) for finding in findings],
        "apply": "Change status",
        "reason": "",
        "justification": "",
        "approver": "",
        "expires_on": "",
    }
    data.update(form)
    return client.post("/admin/findings/finding/", data)


def test_item_7_the_action_asks_first_then_changes_nothing_without_apply(world: dict[str, Any]) -> None:
    finding = world["finding"]

    response = world["client"].post(
        "/admin/findings/finding/", {"action": "change_status", "_selected_action": [str(finding.pk)]}
    )

    assert response.status_code == 200
    assert response.templates[0].name == "admin/findings/finding/change_status.html"
    assert response.context["form"]["approver"].value() == world["staff"].pk
    finding.refresh_from_db()
    assert finding.status == Status.OPEN


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.OPEN, Status.TRIAGED),
        (Status.TRIAGED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.RESOLVED),
        (Status.RESOLVED, Status.REOPENED),
        (Status.OPEN, Status.FALSE_POSITIVE),
        (Status.FALSE_POSITIVE, Status.OPEN),
        (Status.OPEN, Status.RISK_ACCEPTED),
    ],
)
def test_item_7_each_transition_goes_through_the_workflow_and_the_audit_log(
    world: dict[str, Any], start: Status, target: Status
) -> None:
    # given
    finding = factories.finding(world["asset"], status=start)
    before = len(_events(finding))
    risk = (
        {
            "justification": "WAF rule 42",
            "approver": str(world["staff"].pk),
            "expires_on": TOMORROW.isoformat(),
        }
        if target == Status.RISK_ACCEPTED
        else {}
    )
    # when
    response = _run_action(world["client"], [finding], to_status=target.value, **risk)
    # then
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [f"1 finding(s) moved to {target.label}."]
    finding.refresh_from_db()
    assert finding.status == target
    assert (finding.resolved_at is not None) == (target == Status.RESOLVED)
    move = FindingTransition.objects.get(finding=finding)
    assert (move.actor_id, move.from_status, move.to_status) == (world["staff"].pk, start, target)
    assert move.reason == "changed in the admin by staff@acme.test"
    events = _events(finding)[before:]
    assert len(events) == 1
    assert events[0].changes["status"] == [start.value, target.value]
    if target == Status.RISK_ACCEPTED:
        assert (finding.risk_justification, finding.risk_approved_by_id, finding.risk_accepted_until) == (
            "WAF rule 42",
            world["staff"].pk,
            TOMORROW,
        )


def test_item_7_a_move_the_workflow_refuses_changes_none_of_the_selection(world: dict[str, Any]) -> None:
    # given: an open finding and a resolved one, both asked to go to triaged
    opened = world["finding"]
    resolved = factories.finding(world["asset"], status=Status.RESOLVED)
    before = AuditEvent.objects.count()
    # when
    response = _run_action(world["client"], [opened, resolved], to_status="triaged", reason="looked at it")
    # then
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Nothing was changed: {resolved} (#{resolved.pk}): a finding cannot go from resolved to triaged"
    ]
    assert list(
        Finding.objects.filter(pk__in=[opened.pk, resolved.pk])
        .order_by("pk")
        .values_list("status", flat=True)
    ) == [
        "open",
        "resolved",
    ]
    assert FindingTransition.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_item_7_accepting_a_risk_without_a_justification_is_refused(world: dict[str, Any]) -> None:
    finding = world["finding"]

    response = _run_action(
        world["client"],
        [finding],
        to_status="risk_accepted",
        approver=str(world["staff"].pk),
        expires_on=TOMORROW,
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Nothing was changed: {finding} (#{finding.pk}): accepting a risk needs a justification"
    ]
    finding.refresh_from_db()
    assert finding.status == Status.OPEN


def test_item_7_staff_cannot_move_findings_where_they_are_only_a_viewer(world: dict[str, Any]) -> None:
    # given: the staff member is a viewer of another organisation
    other = factories.organization("other")
    from bastion.core.tenancy import services as tenancy

    tenancy.set_membership(organization=other, user=world["staff"], role=Role.VIEWER)
    theirs = factories.finding(factories.asset(other))
    # when
    response = _run_action(world["client"], [theirs], to_status="triaged")
    # then
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You may change only your own organisations' findings."
    ]
    theirs.refresh_from_db()
    assert theirs.status == Status.OPEN
    assert FindingTransition.objects.count() == 0


def test_item_7_deletion_is_audited(world: dict[str, Any]) -> None:
    single, first, second = (
        world["finding"],
        factories.finding(world["asset"]),
        factories.finding(world["asset"]),
    )

    one = world["client"].post(f"/admin/findings/finding/{single.pk}/delete/", {"post": "yes"})
    bulk = world["client"].post(
        "/admin/findings/finding/",
        {"action": "delete_selected", "_selected_action": [str(first.pk), str(second.pk)], "post": "yes"},
    )

    assert one.status_code == bulk.status_code == 302
    assert Finding.objects.count() == 0
    deleted = AuditEvent.objects.filter(object_type="findings.finding", action="delete")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(
        str(f.pk) for f in (single, first, second)
    )
    assert set(deleted.values_list("actor_id", flat=True)) == {world["staff"].pk}


def test_item_7_a_finding_added_in_the_admin_goes_through_the_service(world: dict[str, Any]) -> None:
    # given
    client = world["client"]
    data = {
        "asset": str(world["asset"].pk),
        "title": "Open redirect",
        "severity": "medium",
        "references": "[]",
        "tool": "manual",
        "advisories-TOTAL_FORMS": "0",
        "advisories-INITIAL_FORMS": "0",
        "cwes-TOTAL_FORMS": "0",
        "cwes-INITIAL_FORMS": "0",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }
    # when
    response = client.post("/admin/findings/finding/add/", data)
    # then
    assert response.status_code == 302
    finding = Finding.objects.get(title="Open redirect")
    assert finding.organization_id == world["org"].pk
    assert finding.status == Status.OPEN
    assert len(finding.fingerprint) == 64
    assert finding.sla_due_on == finding.first_seen.date() + timedelta(days=90)
    assert [event.action for event in _events(finding)] == ["create"]
    assert _events(finding)[0].actor_id == world["staff"].pk


def test_item_7_assignees_offered_are_members_of_the_staffs_organisations(world: dict[str, Any]) -> None:
    User.objects.create_user("stranger@elsewhere.test", "a long test password")

    response = world["client"].get(f"/admin/findings/finding/{world['finding'].pk}/change/")

    choices = response.context["adminform"].form.fields["assignee"].queryset
    assert sorted(choices.values_list("email", flat=True)) == ["ana@acme.test", "staff@acme.test"]
