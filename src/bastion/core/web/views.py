"""The web application's views: read through selectors, write through services, render templates."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from bastion.contracts.finding import Severity
from bastion.core.findings import figures, selectors
from bastion.core.web import links
from bastion.core.web.scope import Scope, choose, scope_of


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the chosen organisation's (or all the user's organisations') state at a glance."""
    scope = scope_of(request)
    return render(request, "web/dashboard.html", dashboard_context(request, scope))


@require_POST
@login_required
def choose_organization(request: HttpRequest) -> HttpResponse:
    """Remember which organisation the pages show, then go back where the user was."""
    choose(request, request.POST.get("organization", ""))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("web:dashboard")
    return HttpResponseRedirect(next_url)


def dashboard_context(request: HttpRequest, scope: Scope) -> dict[str, Any]:
    """Gather the dashboard's figures, each with the link to the findings it counts."""
    slug = scope.organization.organization_slug if scope.organization else None
    # The moment the figures are read: the links bound their ranges by it, so each shows what was counted.
    now = timezone.now()
    # Added up from each organisation's figures, cached until its findings change (findings/figures.py).
    summary = figures.dashboard_figures(principal=scope.principal, organization_id=scope.organization_id)
    open_counts = summary.open_by_severity
    weeks = summary.weeks
    mttr = summary.mean_time_to_remediate
    sla = summary.sla
    assets = summary.riskiest_assets
    imports = list(selectors.latest_imports(principal=scope.principal, organization_id=scope.organization_id))
    is_empty = not imports and not summary.has_findings
    return {
        "is_empty": is_empty,
        "open_total": sum(open_counts.values()),
        "open_total_url": links.open_findings(organization=slug),
        "open_by_severity": [
            {
                "severity": severity.value,
                "count": count,
                "url": links.open_findings(organization=slug, severity=severity),
            }
            for severity, count in open_counts.items()
        ],
        "weeks": [
            {
                "starts_on": week.starts_on,
                "opened": week.opened,
                "closed": week.closed,
                "opened_url": links.first_seen_in_week(organization=slug, starts_on=week.starts_on),
                "closed_url": links.resolved_in_week(organization=slug, starts_on=week.starts_on),
            }
            for week in weeks
        ],
        "trend_chart": {
            "labels": [week.starts_on.strftime("%d %b") for week in weeks],
            "series": [
                {"label": "Opened", "data": [week.opened for week in weeks]},
                {"label": "Closed", "data": [week.closed for week in weeks]},
            ],
        },
        "mttr": [
            {
                "severity": severity.value,
                "mean": mean,
                "days": None if mean is None else _days(mean),
                "url": links.remediated(organization=slug, severity=severity, until=now),
            }
            for severity, mean in mttr.items()
        ],
        "sla": sla,
        "sla_breached_url": links.findings_url(organization=slug, sla_breached="true"),
        "sla_due_soon_url": links.due_within(organization=slug, today=now.date(), days=sla.due_soon_days),
        "assets": [
            {
                **row,
                "counts": [
                    {
                        "severity": severity.value,
                        "count": row[severity.value],
                        "url": links.findings_url(
                            organization=row["asset__organization__slug"],
                            asset=row["asset_id"],
                            status=links.ACTIVE,
                            severity=severity.value,
                        ),
                    }
                    for severity in sorted(Severity, key=lambda s: -s.rank)
                ],
                "url": links.findings_url(
                    organization=row["asset__organization__slug"], asset=row["asset_id"], status=links.ACTIVE
                ),
            }
            for row in assets
        ],
        "imports": imports,
        "import_command": _import_command(request, scope),
        "token_command": _token_command(request, scope),
    }


def _days(duration: timedelta) -> str:
    return f"{duration.total_seconds() / 86400:.1f}"


def _token_command(request: HttpRequest, scope: Scope) -> str:
    """Return the command that issues the signed-in user a token for the chosen (or first) organisation."""
    grant = scope.organization or (scope.choices[0] if scope.choices else None)
    organization = f" --org {grant.organization_slug}" if grant else ""
    return f"BASTION_TOKEN=$(bastion token create --user {scope.principal.email}{organization})"


def _import_command(request: HttpRequest, scope: Scope) -> str:
    """Return the curl command that uploads a report into the chosen (or the first) organisation."""
    grant = scope.organization or (scope.choices[0] if scope.choices else None)
    organization = f" -F organization={grant.organization_slug}" if grant else ""
    url = request.build_absolute_uri("/scanner/v1/imports")
    return (
        'curl -H "Authorization: Token $BASTION_TOKEN" \\\n'
        "     -F file=@report.sarif -F asset_identifier=https://git.example.com/my/repo "
        f"-F asset_kind=repository{organization} \\\n"
        f"     {url}"
    )
