"""The status workflow: every allowed move works and is recorded, every other is refused."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest
from django.utils import timezone

from bastion.contracts.principal import Role
from bastion.core.audit.models import AuditEvent
from bastion.core.findings import services
from bastion.core.findings.choices import TRANSITIONS, Status
from bastion.core.findings.exceptions import RiskAcceptanceInvalid, TransitionNotAllowed
from bastion.core.findings.models import Finding, FindingTransition
from tests import factories

ALLOWED = sorted((current, target) for current, targets in TRANSITIONS.items() for target in targets)
FORBIDDEN = sorted(
    (current, target) for current, target in product(Status, Status) if target not in TRANSITIONS[current]
)
TOMORROW = timezone.now().date() + timedelta(days=1)


@pytest.fixture
def world(db: None) -> dict[str, object]:
    org = factories.organization()
    return {
        "org": org,
        "asset": factories.asset(org),
        "analyst": factories.member(org, Role.ANALYST),
        "admin": factories.member(org, Role.ADMIN),
    }


def _acceptance(world: dict[str, object]) -> services.RiskAcceptance:
    return services.RiskAcceptance(
        justification="compensating control: WAF rule 42",
        approver=world["admin"],  # type: ignore[arg-type]
        expires_on=TOMORROW,
    )


@pytest.mark.parametrize(("current", "target"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_allowed_transition_is_made_and_recorded(
    world: dict[str, object], current: Status, target: Status
) -> None:
    # given
    finding = factories.finding(world["asset"], status=current)  # type: ignore[arg-type]
    events_before = AuditEvent.objects.filter(
        object_type="findings.finding", object_id=str(finding.pk)
    ).count()
    # when
    move = services.transition(
        actor=world["analyst"],  # type: ignore[arg-type]
        finding=finding,
        to_status=target,
        reason="checked by hand",
        acceptance=_acceptance(world),
    )
    # then
    finding.refresh_from_db()
    assert finding.status == target
    assert (move.from_status, move.to_status, move.reason, move.actor) == (
        current,
        target,
        "checked by hand",
        world["analyst"],
    )
    event = AuditEvent.objects.filter(object_type="findings.finding", object_id=str(finding.pk)).first()
    assert (
        AuditEvent.objects.filter(object_type="findings.finding", object_id=str(finding.pk)).count()
        == events_before + 1
    )
    assert event is not None
    assert event.changes["status"] == [current.value, target.value]
    assert (finding.resolved_at is not None) == (target == Status.RESOLVED)


@pytest.mark.parametrize(("current", "target"), FORBIDDEN, ids=[f"{a}->{b}" for a, b in FORBIDDEN])
def test_forbidden_transition_is_refused_and_changes_nothing(
    world: dict[str, object], current: Status, target: Status
) -> None:
    # given
    finding = factories.finding(world["asset"], status=current)  # type: ignore[arg-type]
    # when
    with pytest.raises(TransitionNotAllowed, match=f"cannot go from {current.value} to {target.value}"):
        services.transition(
            actor=world["analyst"],  # type: ignore[arg-type]
            finding=finding,
            to_status=target,
            acceptance=_acceptance(world),
        )
    # then
    assert Finding.objects.get(pk=finding.pk).status == current
    assert FindingTransition.objects.filter(finding=finding).count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"justification": "  "}, "needs a justification"),
        ({"approver": None}, "needs an approver"),
        ({"approver": "analyst"}, "must be an admin or owner"),
        ({"approver": "outsider"}, "must be an admin or owner"),
        ({"expires_on": None}, "expiry date in the future"),
        ({"expires_on": "today"}, "expiry date in the future"),
    ],
)
def test_risk_acceptance_needs_justification_qualified_approver_and_future_expiry(
    world: dict[str, object], change: dict[str, object], message: str
) -> None:
    # given
    finding = factories.finding(world["asset"])  # type: ignore[arg-type]
    outsider = factories.member(factories.organization(), Role.OWNER)
    people = {"analyst": world["analyst"], "outsider": outsider}
    fields: dict[str, object] = {
        "justification": "compensating control",
        "approver": world["admin"],
        "expires_on": TOMORROW,
    }
    for key, value in change.items():
        fields[key] = people.get(value, value) if isinstance(value, str) and key == "approver" else value
    if fields["expires_on"] == "today":
        fields["expires_on"] = timezone.now().date()
    # when
    with pytest.raises(RiskAcceptanceInvalid, match=message):
        services.transition(
            actor=world["analyst"],  # type: ignore[arg-type]
            finding=finding,
            to_status=Status.RISK_ACCEPTED,
            acceptance=services.RiskAcceptance(**fields),  # type: ignore[arg-type]
        )
    # then
    assert Finding.objects.get(pk=finding.pk).status == Status.OPEN


def test_expired_risk_acceptance_reopens_with_a_recorded_transition(
    world: dict[str, object],
) -> None:
    # given
    finding = factories.finding(world["asset"])  # type: ignore[arg-type]
    services.transition(
        actor=world["analyst"],  # type: ignore[arg-type]
        finding=finding,
        to_status=Status.RISK_ACCEPTED,
        acceptance=_acceptance(world),
    )
    still_valid = factories.finding(world["asset"])  # type: ignore[arg-type]
    services.transition(
        actor=world["analyst"],  # type: ignore[arg-type]
        finding=still_valid,
        to_status=Status.RISK_ACCEPTED,
        acceptance=services.RiskAcceptance("later", world["admin"], TOMORROW + timedelta(days=30)),  # type: ignore[arg-type]
    )
    # when: the day after the acceptance's last day
    reopened = services.expire_risk_acceptances(today=TOMORROW + timedelta(days=1))
    # then
    assert reopened == 1
    finding.refresh_from_db()
    assert finding.status == Status.OPEN
    assert finding.risk_accepted_until is None
    last = FindingTransition.objects.filter(finding=finding).last()
    assert last is not None
    assert (last.from_status, last.to_status, last.actor) == (
        Status.RISK_ACCEPTED,
        Status.OPEN,
        None,
    )
    assert last.reason == f"risk acceptance expired on {TOMORROW}"
    assert Finding.objects.get(pk=still_valid.pk).status == Status.RISK_ACCEPTED


def test_acceptance_is_still_valid_on_its_last_day(world: dict[str, object]) -> None:
    finding = factories.finding(world["asset"])  # type: ignore[arg-type]
    services.transition(
        actor=world["analyst"],
        finding=finding,
        to_status=Status.RISK_ACCEPTED,
        acceptance=_acceptance(world),  # type: ignore[arg-type]
    )

    assert services.expire_risk_acceptances(today=TOMORROW) == 0
    assert Finding.objects.get(pk=finding.pk).status == Status.RISK_ACCEPTED


@pytest.mark.parametrize("current", [Status.OPEN, Status.TRIAGED, Status.IN_PROGRESS, Status.REOPENED])
def test_system_may_resolve_any_active_finding(world: dict[str, object], current: Status) -> None:
    finding = factories.finding(world["asset"], status=current)  # type: ignore[arg-type]

    services.transition(
        actor=None, finding=finding, to_status=Status.RESOLVED, reason="full rescan", by_system=True
    )

    assert Finding.objects.get(pk=finding.pk).status == Status.RESOLVED


@pytest.mark.parametrize("current", [Status.FALSE_POSITIVE, Status.RISK_ACCEPTED])
def test_system_never_resolves_set_aside_findings(world: dict[str, object], current: Status) -> None:
    finding = factories.finding(world["asset"], status=current)  # type: ignore[arg-type]

    with pytest.raises(TransitionNotAllowed):
        services.transition(actor=None, finding=finding, to_status=Status.RESOLVED, by_system=True)


def test_sla_due_date_follows_policy_and_tightens_for_critical_assets(
    world: dict[str, object],
) -> None:
    # given
    org = world["org"]
    services.set_sla_policy(
        actor=None,
        organization=org,
        critical_days=10,
        high_days=30,
        medium_days=90,
        low_days=180,
        info_days=None,
        critical_asset_percent=50,
    )
    ordinary = factories.asset(org, criticality=3)  # type: ignore[arg-type]
    crown_jewel = factories.asset(org, criticality=5)  # type: ignore[arg-type]
    seen = timezone.now()
    # when
    findings = [
        factories.finding(ordinary, severity="high", first_seen=seen),
        factories.finding(crown_jewel, severity="high", first_seen=seen),
        factories.finding(crown_jewel, severity="critical", first_seen=seen),
        factories.finding(ordinary, severity="info", first_seen=seen),
    ]
    # then
    today: date = seen.date()
    assert [f.sla_due_on for f in findings] == [
        today + timedelta(days=30),
        today + timedelta(days=15),
        today + timedelta(days=5),
        None,
    ]


def test_cvss_vectors_are_parsed_and_scored(world: dict[str, object]) -> None:
    finding = factories.finding(
        world["asset"],  # type: ignore[arg-type]
        cvss_v3_vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        cvss_v4_vector="CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    )

    assert (str(finding.cvss_v3_score), str(finding.cvss_v4_score)) == ("9.8", "9.3")


def test_invalid_cvss_vector_is_refused(world: dict[str, object]) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Not a valid CVSS v3 vector"):
        factories.finding(world["asset"], cvss_v3_vector="CVSS:3.1/AV:X")  # type: ignore[arg-type]
    assert Finding.objects.count() == 0
