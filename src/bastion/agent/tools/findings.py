"""Tools over findings: search them, explain one."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from pydantic import BaseModel, ConfigDict, Field

from bastion.agent.exceptions import ToolFailed
from bastion.agent.knowledge.cwe import weakness
from bastion.agent.tools.base import RowId, Tool, ToolContext, ToolResult
from bastion.contracts.finding import Severity
from bastion.core.findings import selectors
from bastion.core.findings.choices import ACTIVE_STATUSES, Status
from bastion.core.findings.models import Finding, FindingAdvisory, FindingCwe

MAX_LISTED = 20
#: The statuses a search without one keeps, in the core's order.
ACTIVE = [status for status in Status if status in ACTIVE_STATUSES]


def organization_findings(context: ToolContext) -> QuerySet[Finding]:
    """Return the findings of the conversation's organisation that the caller may see."""
    return Finding.objects.for_principal(context.principal).in_organization(context.organization_id)


def finding_row(finding: Finding) -> dict[str, Any]:
    """The fields of a finding that a listing shows."""
    return {
        "id": finding.pk,
        "title": finding.title,
        "severity": finding.severity,
        "status": finding.status,
        "asset": finding.asset.name,
        "tool": finding.tool,
        "first_seen": finding.first_seen.date().isoformat(),
        "sla_due_on": finding.sla_due_on.isoformat() if finding.sla_due_on else None,
    }


def listing(rows: list[dict[str, Any]]) -> str:
    """Render finding rows as a plain-text list."""
    return "\n".join(
        f"- #{row['id']} [{row['severity']}, {row['status']}] {row['title']} — {row['asset']}"
        + (f" (SLA due {row['sla_due_on']})" if row.get("sla_due_on") else "")
        for row in rows
    )


class SearchArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(default="", max_length=200, description="free text over title, description and ids")
    severity: list[Severity] = Field(default_factory=list)
    status: list[Status] = Field(default_factory=list, description="empty: the active statuses")
    asset: str = Field(default="", max_length=200, description="an asset's name or identifier")
    tool: str = Field(default="", max_length=100)
    cwe: int | None = Field(default=None, ge=1)
    advisory: str = Field(default="", max_length=100, description="a CVE, GHSA or other advisory id")
    sla_breached: bool | None = None
    limit: int = Field(default=10, ge=1, le=MAX_LISTED)


def search_findings(context: ToolContext, arguments: SearchArguments) -> ToolResult:
    """Filter the organisation's findings, worst and oldest first."""
    findings = organization_findings(context)
    findings = findings.filter(status__in=arguments.status or ACTIVE)
    if arguments.severity:
        findings = findings.filter(severity_rank__in=[severity.rank for severity in arguments.severity])
    if arguments.asset:
        findings = findings.filter(asset__name__iexact=arguments.asset) | findings.filter(
            asset__identifier__iexact=arguments.asset
        )
    if arguments.tool:
        findings = findings.filter(tool__iexact=arguments.tool)
    if arguments.cwe is not None:
        cwes = FindingCwe.objects.for_principal(context.principal).filter(cwe_id=arguments.cwe)
        findings = findings.filter(id__in=cwes.values("finding_id"))
    if arguments.advisory:
        identifier = arguments.advisory.strip()
        identifier = identifier.upper() if identifier.upper().startswith("CVE-") else identifier
        advisories = FindingAdvisory.objects.for_principal(context.principal).filter(identifier=identifier)
        findings = findings.filter(id__in=advisories.values("finding_id"))
    if arguments.sla_breached is not None:
        findings = selectors.sla_breached(findings, arguments.sla_breached)
    if arguments.text:
        findings = selectors.search(findings, arguments.text)
    total = findings.count()
    rows = [
        finding_row(finding)
        for finding in findings.select_related("asset").order_by("-severity_rank", "first_seen", "id")[
            : arguments.limit
        ]
    ]
    described = ", ".join(
        part
        for part in (
            f"matching “{arguments.text}”" if arguments.text else "",
            "/".join(arguments.severity),
            "/".join(arguments.status) if arguments.status else "active",
            f"on {arguments.asset}" if arguments.asset else "",
            f"from {arguments.tool}" if arguments.tool else "",
            f"CWE-{arguments.cwe}" if arguments.cwe else "",
            arguments.advisory,
            "past their SLA" if arguments.sla_breached else "",
        )
        if part
    )
    text = f"{total} {'finding' if total == 1 else 'findings'} ({described})."
    if rows:
        text += f" The {len(rows)} worst:\n" + listing(rows)
    return ToolResult({"total": total, "findings": rows}, text)


class ExplainArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finding_id: RowId


def explain_finding(context: ToolContext, arguments: ExplainArguments) -> ToolResult:
    """Describe one finding: what it is, where, its CWE's impact and the fix."""
    finding = (
        organization_findings(context)
        .select_related("asset")
        .prefetch_related("cwes", "advisories")
        .filter(pk=arguments.finding_id)
        .first()
    )
    if finding is None:
        raise ToolFailed(f"no finding #{arguments.finding_id} in this organisation")
    cwe_ids = sorted(cwe.cwe_id for cwe in finding.cwes.all())
    entries = [entry for entry in (weakness(cwe_id) for cwe_id in cwe_ids) if entry]
    location = finding.file_path or finding.url or finding.host or finding.package or finding.component
    if finding.file_path and finding.line_start:
        location += f":{finding.line_start}"
    data: dict[str, Any] = {
        **finding_row(finding),
        "description": finding.description[:2000],
        "location": location,
        "rule_id": finding.rule_id,
        "cwe": [f"CWE-{cwe_id}" for cwe_id in cwe_ids],
        "advisories": sorted(advisory.identifier for advisory in finding.advisories.all()),
        "cvss_v3_score": float(finding.cvss_v3_score) if finding.cvss_v3_score is not None else None,
        "impact": [entry.impact for entry in entries],
        "fix": finding.remediation[:2000] or " ".join(entry.fix for entry in entries),
        "references": [entry.url for entry in entries] + list(finding.references)[:5],
    }
    lines = [
        f"#{finding.pk} {finding.title} — {finding.severity}, {finding.status}, on {finding.asset.name}."
    ]
    if location:
        lines.append(f"Where: {location}.")
    for entry in entries:
        lines.append(f"{entry.label} ({entry.name}): {entry.impact}")
    if data["advisories"]:
        lines.append("Advisories: " + ", ".join(data["advisories"]) + ".")
    if data["fix"]:
        lines.append(f"Fix: {data['fix']}")
    return ToolResult(data, "\n".join(lines))


SEARCH = Tool(
    name="search_findings",
    description="Search the organisation's findings by free text and filters (severity, status, asset, "
    "tool, CWE, advisory, SLA breached); returns the total and the worst ones.",
    arguments=SearchArguments,
    function=search_findings,
)
EXPLAIN = Tool(
    name="explain_finding",
    description="Explain one finding by id: where it is, its CWE's impact, and how to fix it.",
    arguments=ExplainArguments,
    function=explain_finding,
)
