"""The dashboard's figures: computed per organisation in the database, kept until its findings change.

A dashboard over every organisation of a user adds up each organisation's figures, so a
million findings cost what one organisation's changes cost, not a scan of them all. Each
organisation's figures are cached under its *figures version*, a row in the database that
every write to its findings (or to what the figures read of its assets) moves on after its
transaction commits (``forget``); every process, the web's and the workers', sees the same
version, so no process serves figures older than the last committed change. The cache key
also holds today's date: "breached" and the weeks move with the calendar.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.utils import timezone

from bastion.contracts.finding import Severity
from bastion.contracts.principal import Principal
from bastion.core.findings import selectors
from bastion.core.findings.choices import Status
from bastion.core.findings.models import FigureVersion, Finding

#: How long an organisation's figures may sit in a cache unread (they are never stale: see above).
CACHE_SECONDS = 15 * 60
RISKIEST_ASSETS = 10
WORST_FIRST = sorted(Severity, key=lambda severity: -severity.rank)


@dataclass(frozen=True)
class OrganizationFigures:
    """One organisation's dashboard figures, in a form that adds up across organisations."""

    open_by_severity: dict[Severity, int]
    opened_by_week: dict[date, int]
    closed_by_week: dict[date, int]
    #: Resolved findings per severity: (sum of seconds from first seen to resolved, how many).
    remediation: dict[Severity, tuple[float, int]]
    sla: selectors.SlaCounts
    riskiest_assets: list[dict[str, Any]]
    has_findings: bool


@dataclass(frozen=True)
class Figures:
    """The dashboard's figures over one organisation or several."""

    open_by_severity: dict[Severity, int]
    weeks: list[selectors.WeekCounts]
    mean_time_to_remediate: dict[Severity, timedelta | None]
    sla: selectors.SlaCounts
    riskiest_assets: list[dict[str, Any]]
    has_findings: bool


def dashboard_figures(*, principal: Principal, organization_id: int | None) -> Figures:
    """Return the figures of one of the caller's organisations, or (None) of all of them added up."""
    organization_ids = sorted(
        grant.organization_id
        for grant in principal.memberships
        if organization_id is None or grant.organization_id == organization_id
    )
    parts = [_figures_of(organization_id=pk, version=version) for pk, version in _versions(organization_ids)]
    return _added_up(parts)


def forget(*, organization_ids: Iterable[int]) -> None:
    """Move on the figures version of these organisations once the current transaction commits."""
    ids = sorted(set(organization_ids))
    if ids:
        transaction.on_commit(lambda: _move_on(ids))


def _move_on(organization_ids: list[int]) -> None:
    # One statement (one round trip, one commit): the ORM's upsert can only set the new row's values.
    table = FigureVersion._meta.db_table
    rows = ", ".join(["(%s, 1)"] * len(organization_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (organization_id, version) VALUES {rows} "  # noqa: S608 - placeholders only
            f"ON CONFLICT (organization_id) DO UPDATE SET version = {table}.version + 1",
            organization_ids,
        )


def _versions(organization_ids: list[int]) -> list[tuple[int, int]]:
    known = dict(
        FigureVersion.objects.filter(organization_id__in=organization_ids).values_list(
            "organization_id", "version"
        )
    )
    return [(pk, known.get(pk, 0)) for pk in organization_ids]


def _figures_of(*, organization_id: int, version: int) -> OrganizationFigures:
    today = timezone.now().date()
    key = f"bastion:figures:{organization_id}:{version}:{today.isoformat()}"
    figures: OrganizationFigures | None = cache.get(key)
    if figures is None:
        figures = _computed(organization_id)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def _computed(organization_id: int) -> OrganizationFigures:
    findings = Finding.objects.filter(organization_id=organization_id)
    weeks = selectors.weekly_opened_and_closed(findings)
    remediation = {
        selectors.SEVERITY_BY_RANK[row["severity_rank"]]: (row["seconds"].total_seconds(), row["count"])
        for row in findings.filter(status=Status.RESOLVED, resolved_at__isnull=False)
        .order_by()
        .values("severity_rank")
        .annotate(
            seconds=Sum(
                ExpressionWrapper(F("resolved_at") - F("first_seen"), output_field=DurationField()),
                output_field=DurationField(),
            ),
            count=Count("*"),
        )
    }
    return OrganizationFigures(
        open_by_severity=selectors.open_counts_by_severity(findings),
        opened_by_week={week.starts_on: week.opened for week in weeks},
        closed_by_week={week.starts_on: week.closed for week in weeks},
        remediation=remediation,
        sla=selectors.sla_counts(findings),
        riskiest_assets=selectors.riskiest_assets(findings, limit=RISKIEST_ASSETS),
        has_findings=findings.exists(),
    )


def _added_up(parts: list[OrganizationFigures]) -> Figures:
    mondays = sorted({monday for part in parts for monday in part.opened_by_week})
    remediation = {
        severity: (
            sum(part.remediation.get(severity, (0.0, 0))[0] for part in parts),
            sum(part.remediation.get(severity, (0.0, 0))[1] for part in parts),
        )
        for severity in WORST_FIRST
    }
    riskiest = heapq.nsmallest(
        RISKIEST_ASSETS,
        (row for part in parts for row in part.riskiest_assets),
        key=lambda row: (-row["score"], row["asset__name"], row["asset_id"]),
    )
    return Figures(
        open_by_severity={
            severity: sum(part.open_by_severity.get(severity, 0) for part in parts)
            for severity in WORST_FIRST
        },
        weeks=[
            selectors.WeekCounts(
                monday,
                sum(part.opened_by_week.get(monday, 0) for part in parts),
                sum(part.closed_by_week.get(monday, 0) for part in parts),
            )
            for monday in mondays
        ]
        or selectors.weekly_opened_and_closed(Finding.objects.none()),
        mean_time_to_remediate={
            severity: timedelta(seconds=total / count) if count else None
            for severity, (total, count) in remediation.items()
        },
        sla=selectors.SlaCounts(
            breached=sum(part.sla.breached for part in parts),
            due_soon=sum(part.sla.due_soon for part in parts),
            due_soon_days=parts[0].sla.due_soon_days if parts else 7,
        ),
        riskiest_assets=riskiest,
        has_findings=any(part.has_findings for part in parts),
    )
