"""The finding page: everything a finding holds, its timeline, and its triage (through the services)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_POST

from bastion.contracts.chat import MAX_MESSAGE
from bastion.contracts.principal import Principal, Role
from bastion.core.accounts.models import User
from bastion.core.findings import selectors, services
from bastion.core.findings.choices import TRANSITIONS, Status
from bastion.core.findings.exceptions import FindingError
from bastion.core.findings.models import Comment, Finding, FindingAdvisory, FindingCwe
from bastion.core.imports import selectors as import_selectors
from bastion.core.tenancy.models import Membership
from bastion.core.web import links
from bastion.core.web.finding.forms import AssigneeForm, CommentForm, TransitionForm
from bastion.core.web.markdown import render_markdown
from bastion.core.web.scope import principal_of

ADVISORY_PAGES = (
    (re.compile(r"^CVE-\d{4}-\d{4,}$", re.IGNORECASE), "https://nvd.nist.gov/vuln/detail/{}"),
    (re.compile(r"^GHSA(-[0-9a-z]{4}){3}$", re.IGNORECASE), "https://github.com/advisories/{}"),
)
SAFE_LINK = re.compile(r"^https?://", re.IGNORECASE)
#: The assistant panel streams from the agent (same origin, through the gateway); the core never imports it.
CHAT_URL = "/agent/v1/chat/stream"


def _render(request: HttpRequest, name: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, name, context, status=status)


@dataclass(frozen=True)
class Event:
    """One line of the finding's timeline."""

    at: datetime
    kind: str
    text: str
    actor: str = ""
    detail: str = ""


@dataclass(frozen=True)
class TimelineRow:
    """A timeline event as the page shows it: a comment's text rendered from Markdown."""

    event: Event
    body: SafeString | None


@dataclass(frozen=True)
class CommentRow:
    """A comment with its text rendered from Markdown."""

    comment: Comment
    body: SafeString


@require_GET
@login_required
def finding_page(request: HttpRequest, finding_id: int) -> HttpResponse:
    """Show a finding: what, where, how bad, its SLA, its timeline, and (for analysts) its triage."""
    principal = principal_of(request)
    finding = _finding(principal, finding_id)
    return _render(request, "web/finding/page.html", _context(request, principal, finding))


@require_POST
@login_required
def add_comment(request: HttpRequest, finding_id: int) -> HttpResponse:
    """Add a comment (analysts and above)."""
    principal, finding = _writable(request, finding_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _invalid(request, principal, finding, comment_form=form)
    services.add_comment(actor=_user(request), finding=finding, body=form.cleaned_data["body"])
    messages.success(request, "Comment added.")
    return _back(finding, "comments")


@require_POST
@login_required
def change_status(request: HttpRequest, finding_id: int) -> HttpResponse:
    """Move the finding to another status; accepting a risk records justification, approver and expiry."""
    principal, finding = _writable(request, finding_id)
    form = _transition_form(principal, finding, request.POST)
    if not form.is_valid():
        return _invalid(request, principal, finding, transition_form=form)
    data = form.cleaned_data
    to_status = Status(data["to_status"])
    acceptance = None
    if to_status == Status.RISK_ACCEPTED:
        acceptance = services.RiskAcceptance(
            justification=data["justification"], approver=data["approver"], expires_on=data["expires_on"]
        )
    try:
        services.transition(
            actor=_user(request),
            finding=finding,
            to_status=to_status,
            reason=data["reason"],
            acceptance=acceptance,
        )
    except FindingError as error:
        form.add_error(None, str(error))
        return _invalid(request, principal, finding, transition_form=form)
    messages.success(request, f"Status changed to {to_status.label}.")
    return _back(finding, "triage")


@require_POST
@login_required
def change_assignee(request: HttpRequest, finding_id: int) -> HttpResponse:
    """Assign the finding to a member of its organisation, or to nobody."""
    principal, finding = _writable(request, finding_id)
    form = AssigneeForm(request.POST, members=_members(principal, finding))
    if not form.is_valid():
        return _invalid(request, principal, finding, assignee_form=form)
    assignee = form.cleaned_data["assignee"]
    try:
        services.update_finding(actor=_user(request), finding=finding, assignee=assignee)
    except ValidationError as error:
        form.add_error(None, error)
        return _invalid(request, principal, finding, assignee_form=form)
    messages.success(request, f"Assigned to {assignee.email}." if assignee else "Unassigned.")
    return _back(finding, "triage")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _finding(principal: Principal, finding_id: int) -> Finding:
    findings = selectors.findings_for(principal=principal).select_related(
        "organization", "asset", "engagement", "assignee", "risk_approved_by"
    )
    return get_object_or_404(
        findings.prefetch_related(
            Prefetch("advisories", queryset=FindingAdvisory.objects.order_by("identifier"))
        )
        .prefetch_related(Prefetch("cwes", queryset=FindingCwe.objects.order_by("cwe_id")))
        .prefetch_related("tags"),
        pk=finding_id,
    )


def _writable(request: HttpRequest, finding_id: int) -> tuple[Principal, Finding]:
    """Return the finding if the caller may triage it: 404 when not theirs to see, 403 for a viewer."""
    principal = principal_of(request)
    finding = _finding(principal, finding_id)
    if not _can_triage(principal, finding):
        raise PermissionDenied("Viewers cannot change findings.")
    return principal, finding


def _can_triage(principal: Principal, finding: Finding) -> bool:
    role = principal.role_in(finding.organization_id)
    return role is not None and role.allows(Role.ANALYST)


def _back(finding: Finding, anchor: str) -> HttpResponse:
    return HttpResponseRedirect(reverse("web:finding", args=[finding.pk]) + f"#{anchor}")


def _invalid(request: HttpRequest, principal: Principal, finding: Finding, **forms: Any) -> HttpResponse:
    return _render(
        request, "web/finding/page.html", _context(request, principal, finding, **forms), status=400
    )


def _members(principal: Principal, finding: Finding, roles: frozenset[str] | None = None) -> QuerySet[User]:
    memberships = Membership.objects.for_principal(principal).in_organization(finding.organization_id)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return User.objects.filter(memberships__in=memberships).order_by("email").distinct()


def _allowed(finding: Finding) -> list[Status]:
    targets = TRANSITIONS[Status(finding.status)]
    return [status for status in Status if status in targets]


def _transition_form(principal: Principal, finding: Finding, data: Any = None) -> TransitionForm:
    approvers = _members(principal, finding, roles=services.RISK_APPROVER_ROLES)
    return TransitionForm(data, allowed=_allowed(finding), approvers=approvers)


def advisory_url(identifier: str) -> str | None:
    """Return an advisory's public page (NVD for a CVE, GitHub for a GHSA), None for others."""
    for pattern, page in ADVISORY_PAGES:
        if pattern.match(identifier):
            return page.format(identifier.upper() if identifier.upper().startswith("CVE") else identifier)
    return None


def _references(finding: Finding) -> list[dict[str, str | None]]:
    """Return the finding's references, each a link only when it is an http(s) address."""
    rows = []
    for reference in finding.references if isinstance(finding.references, list) else []:
        text = reference if isinstance(reference, str) else str(reference.get("url", reference))
        rows.append({"text": text, "url": text if SAFE_LINK.match(text) else None})
    return rows


# A finding a daily scan has seen for years has thousands of imports: the page lists the newest.
TIMELINE_IMPORTS = 200


def _timeline(principal: Principal, finding: Finding) -> list[Event]:
    events = [Event(at=finding.first_seen, kind="seen", text="First seen")]
    if finding.last_seen != finding.first_seen:
        events.append(Event(at=finding.last_seen, kind="seen", text="Last seen"))
    jobs = import_selectors.imports_that_saw(principal=principal, finding=finding)
    shown = list(jobs[:TIMELINE_IMPORTS])
    if len(shown) == TIMELINE_IMPORTS:
        earlier = jobs[TIMELINE_IMPORTS:].aggregate(
            count=Count("pk"), since=Min(Coalesce("finished_at", "created_at"))
        )
        if earlier["count"]:
            plural = "" if earlier["count"] == 1 else "s"
            events.append(
                Event(
                    at=earlier["since"],
                    kind="import",
                    text=f"… and {earlier['count']} earlier import{plural}",
                    detail=f"Only the {TIMELINE_IMPORTS} newest imports are listed.",
                )
            )
    for job in shown:
        events.append(
            Event(
                at=job.finished_at or job.created_at,
                kind="import",
                text=f"Reported by the import of {job.file_name or job.format or 'a report'}",
                actor=job.created_by.email if job.created_by else "",
                detail=f"{job.get_state_display()}: {job.new} new, {job.updated} updated, "
                f"{job.reopened} reopened, {job.resolved} resolved, {job.unchanged} unchanged",
            )
        )
    for move in finding.transitions.select_related("actor"):
        events.append(
            Event(
                at=move.at,
                kind="transition",
                text=f"{Status(move.from_status).label} → {Status(move.to_status).label}",
                actor=move.actor.email if move.actor else "the import pipeline",
                detail=move.reason,
            )
        )
    for comment in finding.comments.select_related("author"):
        events.append(
            Event(
                at=comment.created_at,
                kind="comment",
                text="Comment",
                actor=comment.author.email if comment.author else "a removed user",
                detail=comment.body,
            )
        )
    return sorted(events, key=lambda event: event.at)


def _timeline_rows(events: list[Event], markdown: Callable[[str], SafeString]) -> list[TimelineRow]:
    return [
        TimelineRow(event=event, body=markdown(event.detail) if event.kind == "comment" else None)
        for event in events
    ]


def _context(request: HttpRequest, principal: Principal, finding: Finding, **forms: Any) -> dict[str, Any]:
    can_triage = _can_triage(principal, finding)
    # A comment appears twice (comments and timeline): render each text once per page.
    markdown = cache(render_markdown)
    context: dict[str, Any] = {
        "finding": finding,
        "status": Status(finding.status),
        "can_triage": can_triage,
        "advisories": [
            {"identifier": row.identifier, "url": advisory_url(row.identifier)}
            for row in finding.advisories.all()
        ],
        "cwes": [
            {"label": f"CWE-{row.cwe_id}", "url": f"https://cwe.mitre.org/data/definitions/{row.cwe_id}.html"}
            for row in finding.cwes.all()
        ],
        "references": _references(finding),
        "timeline": _timeline_rows(_timeline(principal, finding), markdown),
        "comments": [
            CommentRow(comment=comment, body=markdown(comment.body))
            for comment in finding.comments.select_related("author")
        ],
        "is_risk_accepted": finding.status == Status.RISK_ACCEPTED,
        "findings_url": links.findings_url(organization=finding.organization.slug),
        "chat_url": CHAT_URL,
        "chat_max_message": MAX_MESSAGE,
        "status_labels": {status.value: str(status.label) for status in Status},
    }
    if can_triage:
        context["comment_form"] = forms.get("comment_form") or CommentForm()
        context["transition_form"] = forms.get("transition_form") or _transition_form(principal, finding)
        context["assignee_form"] = forms.get("assignee_form") or AssigneeForm(
            initial={"assignee": finding.assignee_id}, members=_members(principal, finding)
        )
    return context
