"""Writes to findings: creation, edits, the status workflow, risk acceptance, bulk actions."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from bastion.contracts.principal import Principal, Role
from bastion.core.accounts.models import User
from bastion.core.assets.models import Tag
from bastion.core.audit import services as audit
from bastion.core.findings import figures, selectors
from bastion.core.findings.choices import SYSTEM_TRANSITIONS, Status, is_allowed
from bastion.core.findings.exceptions import (
    AssigneeNotMember,
    FindingsNotFound,
    RiskAcceptanceInvalid,
    TransitionNotAllowed,
)
from bastion.core.findings.models import (
    SEVERITY_RANKS,
    Comment,
    Finding,
    FindingAdvisory,
    FindingCwe,
    FindingTransition,
    SlaPolicy,
)
from bastion.core.tenancy.models import Membership

#: Only these roles may approve a risk acceptance.
RISK_APPROVER_ROLES = frozenset({Role.ADMIN.value, Role.OWNER.value})
#: The most findings one bulk action may touch.
BULK_LIMIT = 10_000


def sla_due_on(finding: Finding) -> date | None:
    """Return the date a finding must be fixed by, from its organisation's policy."""
    policy = selectors.sla_policy_for(organization_id=finding.organization_id)
    return policy.due_on(
        severity=finding.severity,
        asset_criticality=finding.asset.criticality,
        since=finding.first_seen.date(),
    )


def tags_named(*, organization_id: int, names: Iterable[str]) -> list[Tag]:
    """Return an organisation's tags by name, creating the missing ones."""
    tags = []
    for name in dict.fromkeys(names):
        _check("tags", Tag(organization_id=organization_id, name=name), exclude=["organization"])
        tags.append(Tag.objects.get_or_create(organization_id=organization_id, name=name)[0])
    return tags


def _check(argument: str, row: Model, *, exclude: list[str]) -> None:
    # The caller named a list (cwe_ids, ...), not the row's own field: say which list was wrong.
    try:
        row.clean_fields(exclude=exclude)
    except ValidationError as error:
        raise ValidationError({argument: error.messages}) from error


def _set_advisories(finding: Finding, identifiers: Iterable[str]) -> None:
    rows = [FindingAdvisory(finding=finding, identifier=value) for value in dict.fromkeys(identifiers)]
    for row in rows:
        _check("advisory_ids", row, exclude=["finding"])
    finding.advisories.all().delete()
    FindingAdvisory.objects.bulk_create(rows)


def _set_cwes(finding: Finding, cwe_ids: Iterable[int]) -> None:
    rows = [FindingCwe(finding=finding, cwe_id=cwe_id) for cwe_id in dict.fromkeys(cwe_ids)]
    for row in rows:
        _check("cwe_ids", row, exclude=["finding"])
    finding.cwes.all().delete()
    FindingCwe.objects.bulk_create(rows)


@transaction.atomic
def create_finding(
    *,
    actor: User | None,
    advisory_ids: Sequence[str] = (),
    cwe_ids: Sequence[int] = (),
    tags: Iterable[Tag] = (),
    tag_names: Sequence[str] = (),
    **fields: Any,
) -> Finding:
    """Create a finding with its ids and tags (rows, or names), its SLA due date, and an audit event."""
    finding = Finding(**fields)
    finding.severity_rank = SEVERITY_RANKS[finding.severity]
    finding.full_clean(
        exclude=["severity_rank", "fingerprint"] if not finding.fingerprint else ["severity_rank"]
    )
    finding.sla_due_on = sla_due_on(finding)
    finding.save()
    _set_advisories(finding, advisory_ids)
    _set_cwes(finding, cwe_ids)
    finding.tags.set([*tags, *tags_named(organization_id=finding.organization_id, names=tag_names)])
    audit.record_creation(actor=actor, organization=finding.organization, instance=finding)
    figures.forget(organization_ids=[finding.organization_id])
    return finding


@transaction.atomic
def update_finding(
    *,
    actor: User | None,
    finding: Finding,
    advisory_ids: Sequence[str] | None = None,
    cwe_ids: Sequence[int] | None = None,
    tag_names: Sequence[str] | None = None,
    **changes: Any,
) -> Finding:
    """Change a finding's fields, and its advisories, CWEs or tags when given (its status: ``transition``)."""
    if "status" in changes:
        raise TransitionNotAllowed("change the status with a transition, not an edit")
    before = audit.snapshot(finding)
    for name, value in changes.items():
        setattr(finding, name, value)
    finding.full_clean(exclude=["severity_rank"])
    if before["severity"] != finding.severity:
        finding.sla_due_on = sla_due_on(finding)
    finding.save()
    if tag_names is not None:
        finding.tags.set(tags_named(organization_id=finding.organization_id, names=tag_names))
    if advisory_ids is not None:
        _set_advisories(finding, advisory_ids)
    if cwe_ids is not None:
        _set_cwes(finding, cwe_ids)
    audit.record_update(actor=actor, organization=finding.organization, instance=finding, before=before)
    figures.forget(organization_ids=[finding.organization_id])
    return finding


@transaction.atomic
def delete_finding(*, actor: User | None, finding: Finding) -> None:
    """Delete a finding, recording its last state."""
    audit.record_deletion(actor=actor, organization=finding.organization, instance=finding)
    figures.forget(organization_ids=[finding.organization_id])
    finding.delete()


@dataclass(frozen=True)
class RiskAcceptance:
    """What accepting a risk needs: why, who approved, until when."""

    justification: str
    approver: User | None
    expires_on: date | None


def _check_risk_acceptance(finding: Finding, acceptance: RiskAcceptance | None) -> RiskAcceptance:
    if acceptance is None or not acceptance.justification.strip():
        raise RiskAcceptanceInvalid("accepting a risk needs a justification")
    if acceptance.approver is None:
        raise RiskAcceptanceInvalid("accepting a risk needs an approver")
    approver_role = (
        Membership.objects.filter(user=acceptance.approver, organization_id=finding.organization_id)
        .values_list("role", flat=True)
        .first()
    )
    if approver_role not in RISK_APPROVER_ROLES:
        raise RiskAcceptanceInvalid("the approver must be an admin or owner of the finding's organisation")
    if acceptance.expires_on is None or acceptance.expires_on <= timezone.now().date():
        raise RiskAcceptanceInvalid("a risk acceptance needs an expiry date in the future")
    return acceptance


def transition(
    *,
    actor: User | None,
    finding: Finding,
    to_status: Status,
    reason: str = "",
    acceptance: RiskAcceptance | None = None,
    by_system: bool = False,
) -> FindingTransition:
    """Move a finding to another status if the workflow allows it, and record the move."""
    with transaction.atomic():
        current = Status(finding.status)
        allowed = (
            to_status in SYSTEM_TRANSITIONS.get(current, frozenset())
            if by_system
            else is_allowed(current, to_status)
        )
        if not allowed:
            raise TransitionNotAllowed(f"a finding cannot go from {current.value} to {to_status.value}")
        before = audit.snapshot(finding)
        now = timezone.now()
        if to_status == Status.RISK_ACCEPTED:
            accepted = _check_risk_acceptance(finding, acceptance)
            finding.risk_justification = accepted.justification
            finding.risk_approved_by = accepted.approver
            finding.risk_accepted_until = accepted.expires_on
        elif current == Status.RISK_ACCEPTED:
            finding.risk_accepted_until = None
        if to_status == Status.RESOLVED:
            finding.resolved_at = now
        elif current == Status.RESOLVED:
            finding.resolved_at = None
        finding.status = to_status
        finding.save()
        move = FindingTransition.objects.create(
            finding=finding,
            actor=actor,
            at=now,
            from_status=current,
            to_status=to_status,
            reason=reason,
        )
        audit.record_update(actor=actor, organization=finding.organization, instance=finding, before=before)
        figures.forget(organization_ids=[finding.organization_id])
    return move


@transaction.atomic
def add_comment(*, actor: User, finding: Finding, body: str) -> Comment:
    """Add a comment to a finding."""
    comment: Comment = audit.create_audited(
        Comment,
        actor=actor,
        organization=finding.organization,
        fields={"finding": finding, "author": actor, "body": body},
    )
    return comment


@transaction.atomic
def edit_comment(*, actor: User, comment: Comment, body: str) -> Comment:
    """Change a comment's text."""
    result: Comment = audit.update_audited(
        comment, actor=actor, organization=comment.finding.organization, changes={"body": body}
    )
    return result


@transaction.atomic
def delete_comment(*, actor: User, comment: Comment) -> None:
    """Delete a comment."""
    audit.delete_audited(comment, actor=actor, organization=comment.finding.organization)


def manual_fingerprint(fields: Mapping[str, Any]) -> str:
    """Return the fingerprint of a finding entered by hand: what it is and where."""
    parts = [
        fields.get(name) or ""
        for name in (
            "tool",
            "rule_id",
            "title",
            "file_path",
            "url",
            "parameter",
            "host",
            "port",
            "package",
        )
    ]
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


@dataclass(frozen=True)
class BulkResult:
    """How many findings a bulk action changed."""

    changed: int


@transaction.atomic
def bulk_action(
    *,
    principal: Principal,
    actor: User,
    finding_ids: Sequence[int],
    to_status: Status | None = None,
    reason: str = "",
    acceptance: RiskAcceptance | None = None,
    assignee: User | None = None,
    unassign: bool = False,
    add_tags: Sequence[str] = (),
) -> BulkResult:
    """Change status, assignee or tags of up to BULK_LIMIT findings, all or none."""
    ids = list(dict.fromkeys(finding_ids))
    if len(ids) > BULK_LIMIT:
        raise FindingsNotFound(f"a bulk action takes at most {BULK_LIMIT} findings")
    findings = list(
        selectors.by_ids(selectors.findings_for(principal=principal, at_least=Role.ANALYST), ids)
        .select_related("organization", "asset")
        .select_for_update()
    )
    if len(findings) != len(ids):
        raise FindingsNotFound(f"{len(ids) - len(findings)} of the findings were not found")
    if assignee is not None:
        organizations = {finding.organization_id for finding in findings}
        members = set(
            Membership.objects.filter(user=assignee, organization_id__in=organizations).values_list(
                "organization_id", flat=True
            )
        )
        if members != organizations:
            raise AssigneeNotMember(f"{assignee.email} is not a member of every finding's organisation")
    for finding in findings:
        if to_status is not None:
            transition(
                actor=actor,
                finding=finding,
                to_status=to_status,
                reason=reason,
                acceptance=acceptance,
            )
        if assignee is not None or unassign:
            update_finding(actor=actor, finding=finding, assignee=assignee)
        if add_tags:
            finding.tags.add(*tags_named(organization_id=finding.organization_id, names=add_tags))
    return BulkResult(changed=len(findings))


def expire_risk_acceptances(*, today: date | None = None) -> int:
    """Reopen every finding whose risk acceptance has expired; return how many."""
    today = today or timezone.now().date()
    expired = Finding.objects.filter(status=Status.RISK_ACCEPTED, risk_accepted_until__lt=today)
    count = 0
    for finding in expired.select_related("organization").iterator():
        transition(
            actor=None,
            finding=finding,
            to_status=Status.OPEN,
            reason=f"risk acceptance expired on {finding.risk_accepted_until}",
        )
        count += 1
    return count


@transaction.atomic
def set_sla_policy(*, actor: User | None, organization: Any, **days: Any) -> SlaPolicy:
    """Create or change an organisation's SLA policy, recorded in the audit log."""
    policy = SlaPolicy.objects.filter(organization=organization).first()
    if policy is None:
        policy = audit.create_audited(
            SlaPolicy,
            actor=actor,
            organization=organization,
            fields={"organization": organization, **days},
        )
    else:
        policy = audit.update_audited(policy, actor=actor, organization=organization, changes=days)
    assert isinstance(policy, SlaPolicy)
    return policy
