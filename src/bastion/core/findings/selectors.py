"""Reads of findings, always scoped to the caller's organisations."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Now, TruncDate, TruncWeek
from django.utils import timezone

from bastion.contracts.finding import Severity
from bastion.contracts.ids import MAX_ROW_ID
from bastion.contracts.principal import Principal, Role
from bastion.core.findings.choices import ACTIVE_STATUSES, Status
from bastion.core.findings.models import Finding, FindingAdvisory, FindingCwe, SlaPolicy
from bastion.core.imports.models import ImportJob

CWE_DIGITS = 6
# The full-text document of migration findings.0002's expression index, kept for it. Since 0008 a stored
# column holds it on PostgreSQL (``search_document``, with a GIN index), written once as a row is.
SEARCH_DOCUMENT = (
    "to_tsvector('english', coalesce(findings_finding.title, '') || ' ' || "
    "coalesce(findings_finding.description, ''))"
)
# A search's words: letters and digits (what a text-search query may hold with no quoting); at most so many.
SEARCH_WORD = re.compile(r"[^\W_]+")
MAX_SEARCH_WORDS = 16
# The annotation ``search`` ranks findings by, on PostgreSQL.
SEARCH_RANK = "search_rank"
# The most findings an identifier in free text is matched by as a list of ids (see ``_carrying``).
MAX_ID_LIST = 5_000
# The longest ending English stemming takes off a word ("-ization"), and the shortest stem looked for.
_STEM_SUFFIX = 8
_STEM_MIN = 4


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


def cwe_number(digits: str) -> int | None:
    """Return the CWE number ASCII digits spell (CWE ids have at most 6), or None."""
    if digits.isascii() and digits.isdigit() and len(digits) <= CWE_DIGITS:
        return int(digits)
    return None


def search(findings: QuerySet[Finding], text: str) -> QuerySet[Finding]:
    """Filter by free text over title, description and ids (full-text search on PostgreSQL)."""
    text = text.strip()
    if not text:
        return findings
    # Ids through their own indexes: the advisory table's identifier (in the spellings advisories are
    # stored in), the finding's rule id (finding_org_rule) and CWE; never a join of every finding with
    # its advisories.
    spellings = {text, text.upper(), text.lower(), text[:5].upper() + text[5:].lower()}
    by_id = Q(rule_id__iexact=text) | _carrying(FindingAdvisory.objects.filter(identifier__in=spellings))
    cwe_id = cwe_number(text[4:]) if text.upper().startswith("CWE-") else None
    if cwe_id is not None:
        by_id |= _carrying(FindingCwe.objects.filter(cwe_id=cwe_id))
    words = SEARCH_WORD.findall(text)[:MAX_SEARCH_WORDS]
    if not words:
        return findings.filter(by_id)
    if connection.vendor == "postgresql":
        # The query is a bound parameter made of letters, digits and the query's operators only.
        query = " & ".join(_word_query(word) for word in words)
        matches = RawSQL(  # noqa: S611
            "findings_finding.search_document @@ to_tsquery('english', %s)",
            [query],
            output_field=BooleanField(),
        )
        # How well each finding matches, for a list in no other order (the API's, the web's): a
        # title's words weigh more than the description's; a finding matched by an id alone is 0.
        rank = RawSQL(  # noqa: S611
            "ts_rank(findings_finding.search_document, to_tsquery('english', %s))",
            [query],
            output_field=FloatField(),
        )
        return findings.filter(Q(matches) | by_id).annotate(**{SEARCH_RANK: rank})
    by_text = Q()
    for word in words:
        by_text &= Q(title__icontains=word) | Q(description__icontains=word)
    return findings.filter(by_text | by_id)


def is_ranked(findings: QuerySet[Finding]) -> bool:
    """Tell whether ``search`` ranked these findings by how well they match (PostgreSQL's text search)."""
    return SEARCH_RANK in findings.query.annotations


def _carrying(rows: QuerySet[FindingAdvisory] | QuerySet[FindingCwe]) -> Q:
    """Match the findings that identifier ``rows`` (an advisory's, a CWE's) belong to.

    Inside an OR, ``id IN (subquery)`` is checked row by row against a hash of every finding of the
    organisation that carries the identifier. Few carriers (read from the identifier's index alone:
    any organisation's ids, harmless in a query scoped to the caller's) are a list of ids, a lookup of
    the primary key; many are a correlated EXISTS, probed for each row the page's order reaches.
    """
    ids = list(rows.order_by().values_list("finding_id", flat=True)[: MAX_ID_LIST + 1])
    if len(ids) <= MAX_ID_LIST:
        return Q(id__in=set(ids))
    return Q(Exists(rows.filter(finding_id=OuterRef("id"))))


def _word_query(word: str) -> str:
    """Return a text-search query for a word of a search, typed whole or in part.

    The document holds stems ("deserialization" as "deseri"): a word matches a stem it
    starts ("inject" finds "injection", stemmed "inject"), and a part of a word typed past
    its stem ("deserializ") matches the stem it ends in, through its own shorter forms.
    """
    shorter = [
        word[:length] for length in range(len(word) - 1, max(len(word) - _STEM_SUFFIX, _STEM_MIN) - 1, -1)
    ]
    return f"({' | '.join([f'{word}:*', *shorter])})"


def sla_breached(findings: QuerySet[Finding], breached: bool) -> QuerySet[Finding]:
    """Keep findings past (or not past) their SLA due date while still active."""
    condition = Q(status__in=ACTIVE_STATUSES, sla_due_on__lt=timezone.now().date())
    return findings.filter(condition) if breached else findings.exclude(condition)


def sla_policy_for(*, organization_id: int) -> SlaPolicy:
    """Return an organisation's SLA policy, the defaults when it has never set one."""
    policy = SlaPolicy.objects.filter(organization_id=organization_id).first()
    return policy or SlaPolicy(organization_id=organization_id)


def by_ids(findings: QuerySet[Finding], ids: Iterable[int]) -> QuerySet[Finding]:
    """Restrict to the given ids (a number past any row id names no finding and is never sent)."""
    return findings.filter(pk__in=[pk for pk in ids if 0 < pk <= MAX_ROW_ID])


# --- The dashboard (web application): every figure is one aggregate query in the database. ---

#: How much an active finding of each severity adds to its asset's risk (times the asset's criticality).
RISK_WEIGHTS = {
    Severity.CRITICAL: 10,
    Severity.HIGH: 5,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}
SEVERITY_BY_RANK = {severity.rank: severity for severity in Severity}


def findings_in_scope(*, principal: Principal, organization_id: int | None) -> QuerySet[Finding]:
    """Return the findings the caller may see, in one organisation or (None) in all of theirs."""
    findings = Finding.objects.for_principal(principal)
    return findings if organization_id is None else findings.in_organization(organization_id)


def open_counts_by_severity(findings: QuerySet[Finding]) -> dict[Severity, int]:
    """Count the active findings of each severity (every severity present, worst first)."""
    rows = (
        findings.filter(status__in=ACTIVE_STATUSES)
        .order_by()
        .values("severity_rank")
        .annotate(count=Count("*"))
    )
    counts = {SEVERITY_BY_RANK[row["severity_rank"]]: row["count"] for row in rows}
    return {severity: counts.get(severity, 0) for severity in sorted(Severity, key=lambda s: -s.rank)}


@dataclass(frozen=True)
class WeekCounts:
    """Findings first seen and findings resolved in one week (Monday to Sunday, UTC)."""

    starts_on: date
    opened: int
    closed: int


def weekly_opened_and_closed(findings: QuerySet[Finding], *, weeks: int = 12) -> list[WeekCounts]:
    """Return, for each of the last ``weeks`` weeks (this one last), how many opened and closed."""
    today = timezone.now().date()
    this_monday = today - timedelta(days=today.weekday())
    first_monday = this_monday - timedelta(weeks=weeks - 1)
    since = datetime.combine(first_monday, time.min, tzinfo=UTC)

    def per_week(rows: QuerySet[Finding], field: str) -> dict[date, int]:
        counted = (
            rows.filter(**{f"{field}__gte": since})
            .order_by()
            .annotate(week=TruncDate(TruncWeek(field)))
            .values("week")
            .annotate(count=Count("*"))
        )
        return {row["week"]: row["count"] for row in counted}

    opened = per_week(findings, "first_seen")
    closed = per_week(findings.filter(status=Status.RESOLVED), "resolved_at")
    mondays = [first_monday + timedelta(weeks=index) for index in range(weeks)]
    return [WeekCounts(monday, opened.get(monday, 0), closed.get(monday, 0)) for monday in mondays]


def mean_time_to_remediate(findings: QuerySet[Finding]) -> dict[Severity, timedelta | None]:
    """Return the mean time from first seen to resolved of the resolved findings, by severity."""
    rows = (
        findings.filter(status=Status.RESOLVED, resolved_at__isnull=False)
        .order_by()
        .values("severity_rank")
        .annotate(
            mean=Avg(
                ExpressionWrapper(F("resolved_at") - F("first_seen"), output_field=DurationField()),
                output_field=DurationField(),
            )
        )
    )
    means = {SEVERITY_BY_RANK[row["severity_rank"]]: row["mean"] for row in rows}
    return {severity: means.get(severity) for severity in sorted(Severity, key=lambda s: -s.rank)}


@dataclass(frozen=True)
class SlaCounts:
    """Active findings past their SLA, and those due within the next days."""

    breached: int
    due_soon: int
    due_soon_days: int


def sla_counts(findings: QuerySet[Finding], *, due_within_days: int = 7) -> SlaCounts:
    """Count the active findings past their SLA due date and those due within ``due_within_days``."""
    today = timezone.now().date()
    # Counted over a column of the covering index (a filtered COUNT cannot be COUNT(*)).
    soon = Q(sla_due_on__gte=today, sla_due_on__lte=today + timedelta(days=due_within_days))
    counts = findings.filter(status__in=ACTIVE_STATUSES, sla_due_on__isnull=False).aggregate(
        breached=Count("sla_due_on", filter=Q(sla_due_on__lt=today)),
        due_soon=Count("sla_due_on", filter=soon),
    )
    return SlaCounts(counts["breached"], counts["due_soon"], due_within_days)


def riskiest_assets(findings: QuerySet[Finding], *, limit: int = 10) -> list[dict[str, Any]]:
    """Return the assets whose active findings weigh most (weights by severity, times criticality).

    Each row: ``asset_id``, ``asset__name``, ``asset__criticality``, ``asset__organization__slug``,
    a count per severity (``critical`` … ``info``) and ``score``; highest score first.
    """
    weight = Case(
        *[When(severity_rank=severity.rank, then=Value(w)) for severity, w in RISK_WEIGHTS.items()],
        default=Value(0),
    )
    per_severity = {
        severity.value: Count("severity_rank", filter=Q(severity_rank=severity.rank)) for severity in Severity
    }
    return list(
        findings.filter(status__in=ACTIVE_STATUSES)
        .order_by()
        .values("asset_id", "asset__name", "asset__criticality", "asset__organization__slug")
        .annotate(**per_severity, weight=Sum(weight))
        .annotate(score=F("weight") * F("asset__criticality"))
        .filter(score__gt=0)
        .order_by("-score", "asset__name", "asset_id")[:limit]
    )


def latest_imports(
    *, principal: Principal, organization_id: int | None, limit: int = 5
) -> QuerySet[ImportJob]:
    """Return the caller's latest imports, in one organisation or (None) in all of theirs."""
    jobs = ImportJob.objects.for_principal(principal)
    if organization_id is not None:
        jobs = jobs.in_organization(organization_id)
    return jobs.select_related("asset", "organization").order_by("-created_at")[:limit]
