"""Tools that summarise: an organisation, asset or engagement; trends; SLA breaches; the last import."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field

from bastion.agent.exceptions import ToolFailed
from bastion.agent.tools.base import Tool, ToolContext, ToolResult
from bastion.agent.tools.findings import ACTIVE, finding_row, listing, organization_findings
from bastion.contracts.finding import Severity
from bastion.contracts.ids import MAX_ROW_ID
from bastion.contracts.imports import COUNT_NAMES
from bastion.core.assets.models import Asset
from bastion.core.engagements.models import Engagement
from bastion.core.findings import selectors
from bastion.core.findings.choices import Status
from bastion.core.findings.models import Finding
from bastion.core.imports.choices import ImportState
from bastion.core.imports.models import ImportJob
from bastion.core.tenancy.models import Organization

SEVERITIES = [severity.value for severity in Severity]


def _by_severity(findings: QuerySet[Finding]) -> dict[str, int]:
    counts = dict(findings.values_list("severity").annotate(n=Count("id")).values_list("severity", "n"))
    return {severity: counts.get(severity, 0) for severity in SEVERITIES}


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {severity}" for severity, n in counts.items() if n) or "none"


class SummaryArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: Literal["organization", "asset", "engagement"] = "organization"
    name: str = Field(default="", max_length=200, description="the asset's or engagement's name (or id)")


def summarize(context: ToolContext, arguments: SummaryArguments) -> ToolResult:
    """Count active findings by severity and status, SLA breaches, and list the worst."""
    findings = organization_findings(context)
    organization = (
        Organization.objects.for_principal(context.principal).in_organization(context.organization_id).first()
    )
    if organization is None:  # the caller left the organisation during the conversation
        raise ToolFailed("you are no longer a member of this organisation")
    label = organization.name
    if arguments.scope != "organization":
        model: type[Asset] | type[Engagement] = Asset if arguments.scope == "asset" else Engagement
        match = Q(name__iexact=arguments.name)
        if arguments.name.isdigit() and int(arguments.name) <= MAX_ROW_ID:
            match |= Q(pk=int(arguments.name))
        target = (
            model.objects.for_principal(context.principal)
            .in_organization(context.organization_id)
            .filter(match)
            .first()
        )
        if target is None:
            raise ToolFailed(f"no {arguments.scope} named {arguments.name!r} in this organisation")
        scoped = {"asset_id" if arguments.scope == "asset" else "engagement_id": target.pk}
        findings = findings.filter(**scoped)
        label = f"{arguments.scope} {target.name}"
    active = findings.filter(status__in=ACTIVE)
    by_status = dict(findings.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    breached = selectors.sla_breached(findings, True).count()
    worst = [
        finding_row(f)
        for f in active.select_related("asset").order_by("-severity_rank", "first_seen", "id")[:5]
    ]
    severity_counts = _by_severity(active)
    data: dict[str, Any] = {
        "scope": label,
        "active_by_severity": severity_counts,
        "by_status": by_status,
        "sla_breached": breached,
        "worst": worst,
    }
    text = (
        f"{label}: {sum(severity_counts.values())} active findings ({_counts_text(severity_counts)}); "
        f"{breached} past their SLA; {by_status.get(Status.RESOLVED.value, 0)} resolved."
    )
    if worst:
        text += "\nThe worst:\n" + listing(worst)
    return ToolResult(data, text)


class TrendArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weeks: int = Field(default=8, ge=1, le=52)


def trends(context: ToolContext, arguments: TrendArguments) -> ToolResult:
    """New and resolved findings per week, and the mean time to resolve."""
    findings = organization_findings(context)
    now = timezone.now()
    weeks = []
    for index in range(arguments.weeks - 1, -1, -1):
        start, end = now - timedelta(weeks=index + 1), now - timedelta(weeks=index)
        weeks.append(
            {
                "week_ending": end.date().isoformat(),
                "new": findings.filter(first_seen__gte=start, first_seen__lt=end).count(),
                "resolved": findings.filter(resolved_at__gte=start, resolved_at__lt=end).count(),
            }
        )
    resolved = list(
        findings.filter(
            resolved_at__isnull=False, resolved_at__gte=now - timedelta(weeks=arguments.weeks)
        ).values_list("first_seen", "resolved_at")[:10_000]
    )
    seconds = [(done - seen).total_seconds() for seen, done in resolved if done]
    mean_days = round(sum(seconds) / len(seconds) / 86400, 1) if seconds else None
    open_now = findings.filter(status__in=ACTIVE).count()
    data = {"weeks": weeks, "open_now": open_now, "mean_days_to_resolve": mean_days}
    lines = [f"{open_now} findings are active now."]
    lines += [f"- week ending {w['week_ending']}: {w['new']} new, {w['resolved']} resolved" for w in weeks]
    if mean_days is not None:
        lines.append(f"Mean time to resolve over the period: {mean_days} days.")
    return ToolResult(data, "\n".join(lines))


class SlaArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=10, ge=1, le=20)


def sla_breaches(context: ToolContext, arguments: SlaArguments) -> ToolResult:
    """Active findings past their SLA due date, by severity, most overdue first."""
    breached = selectors.sla_breached(organization_findings(context), True)
    counts = _by_severity(breached)
    rows = [
        finding_row(f)
        for f in breached.select_related("asset").order_by("sla_due_on", "id")[: arguments.limit]
    ]
    text = f"{sum(counts.values())} findings are past their SLA ({_counts_text(counts)})."
    if rows:
        text += " Most overdue:\n" + listing(rows)
    return ToolResult({"by_severity": counts, "findings": rows}, text)


class LastImportArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    asset: str = Field(default="", max_length=200, description="an asset's name; empty: any asset")


def last_import(context: ToolContext, arguments: LastImportArguments) -> ToolResult:
    """What the most recent completed import changed: counts, and the new findings."""
    jobs = (
        ImportJob.objects.for_principal(context.principal)
        .in_organization(context.organization_id)
        .filter(state=ImportState.COMPLETED)
    )
    if arguments.asset:
        jobs = jobs.filter(
            Q(asset__name__iexact=arguments.asset) | Q(asset__identifier__iexact=arguments.asset)
        )
    job = jobs.select_related("asset").order_by("-finished_at").first()
    asset = job.asset if job else None  # only a failed import can lose its asset
    if job is None or asset is None:
        raise ToolFailed("no completed import" + (f" for {arguments.asset}" if arguments.asset else ""))
    new = [
        finding_row(f)
        for f in organization_findings(context)
        .filter(asset=asset, last_import_id=job.pk, first_seen__gte=job.started_at or job.created_at)
        .select_related("asset")
        .order_by("-severity_rank", "id")[:10]
    ]
    counts = {name: getattr(job, name) for name in COUNT_NAMES}
    finished = job.finished_at.isoformat() if job.finished_at else None
    data = {
        "import_id": str(job.pk),
        "asset": asset.name,
        "tool": job.tool,
        "finished_at": finished,
        **counts,
        "new_findings": new,
    }
    text = (
        f"The last import ({job.tool or job.format} on {asset.name}, {finished}): "
        + ", ".join(f"{count} {name}" for name, count in counts.items())
        + "."
    )
    if new:
        text += "\nNew:\n" + listing(new)
    return ToolResult(data, text)


SUMMARIZE = Tool(
    name="summarize",
    description="Summarise the organisation, an asset or an engagement: active findings by severity, "
    "statuses, SLA breaches and the worst findings.",
    arguments=SummaryArguments,
    function=summarize,
)
TRENDS = Tool(
    name="trends",
    description="New and resolved findings per week and the mean time to resolve.",
    arguments=TrendArguments,
    function=trends,
)
SLA_BREACHES = Tool(
    name="sla_breaches",
    description="Active findings past their SLA due date, by severity, most overdue first.",
    arguments=SlaArguments,
    function=sla_breaches,
)
LAST_IMPORT = Tool(
    name="last_import",
    description="What the most recent import changed (optionally for one asset).",
    arguments=LastImportArguments,
    function=last_import,
)
