"""Reads of findings, always scoped to the caller's organisations."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import (
    BooleanField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Now
from django.utils import timezone

from bastion.contracts.finding import Severity
from bastion.contracts.principal import Principal, Role
from bastion.core.findings.choices import ACTIVE_STATUSES
from bastion.core.findings.models import Finding, SlaPolicy

# The same expression as the GIN index made by migration findings.0002 (PostgreSQL only).
SEARCH_DOCUMENT = (
    "to_tsvector('english', coalesce(findings_finding.title, '') || ' ' || "
    "coalesce(findings_finding.description, ''))"
)


def findings_for(*, principal: Principal, at_least: Role = Role.VIEWER) -> QuerySet[Finding]:
    """Return the findings the caller may see (or change, with a higher ``at_least``)."""
    return Finding.objects.for_principal(principal, at_least=at_least)


def with_days_open(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    """Annotate how long ago each finding was first seen, as a duration."""
    return findings.annotate(
        days_open=ExpressionWrapper(Now() - F("first_seen"), output_field=DurationField())
    )


def showcase(*, principal: Principal, organization_id: int) -> QuerySet[Finding]:
    """The design's query: high or worse, asset and engagement joined, tags and comments
    prefetched, days open annotated, worst first and then longest open."""
    return with_days_open(
        Finding.objects.for_principal(principal)
        .in_organization(organization_id)
        .filter(severity_rank__gte=Severity.HIGH.rank)
        .select_related("asset", "engagement")
        .prefetch_related("tags", "comments")
    ).order_by("-severity_rank", "first_seen", "id")


def search(findings: QuerySet[Finding], text: str) -> QuerySet[Finding]:
    """Filter by free text over title, description and ids (full-text search on PostgreSQL)."""
    text = text.strip()
    if not text:
        return findings
    by_id = Q(advisories__identifier__iexact=text) | Q(rule_id__iexact=text)
    if text.upper().startswith("CWE-") and text[4:].isdigit():
        by_id |= Q(cwes__cwe_id=int(text[4:]))
    if connection.vendor == "postgresql":
        # The text is a bound parameter; the SQL around it is a constant shared with the index.
        matches = RawSQL(  # noqa: S611
            f"{SEARCH_DOCUMENT} @@ websearch_to_tsquery('english', %s)",
            [text],
            output_field=BooleanField(),
        )
        by_text = Q(matches)
    else:
        by_text = Q(title__icontains=text) | Q(description__icontains=text)
    matching_ids = findings.filter(by_id).values("id")
    return findings.filter(by_text | Q(id__in=matching_ids))


def sla_breached(findings: QuerySet[Finding], breached: bool) -> QuerySet[Finding]:
    """Keep findings past (or not past) their SLA due date while still active."""
    condition = Q(status__in=ACTIVE_STATUSES, sla_due_on__lt=timezone.now().date())
    return findings.filter(condition) if breached else findings.exclude(condition)


def sla_policy_for(*, organization_id: int) -> SlaPolicy:
    """Return an organisation's SLA policy, the defaults when it has never set one."""
    policy = SlaPolicy.objects.filter(organization_id=organization_id).first()
    return policy or SlaPolicy(organization_id=organization_id)


def by_ids(findings: QuerySet[Finding], ids: Iterable[int]) -> QuerySet[Finding]:
    """Restrict to the given ids."""
    return findings.filter(pk__in=list(ids))
