"""Reads of the assets and engagements pages, scoped by the tenancy rule (``for_principal``)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from bastion.contracts.finding import Severity
from bastion.contracts.principal import Principal, Role
from bastion.core.assets.models import Asset
from bastion.core.engagements.models import Engagement
from bastion.core.findings.choices import ACTIVE_STATUSES
from bastion.core.findings.models import Finding
from bastion.core.imports.models import ImportJob

#: Severities from the worst down, as the pages show them.
SEVERITIES = [severity.value for severity in sorted(Severity, key=lambda s: -s.rank)]


def assets_in_scope(*, principal: Principal, organization_id: int | None) -> QuerySet[Asset]:
    """Return the caller's assets, in one organisation or (None) in all of theirs."""
    assets = Asset.objects.for_principal(principal)
    if organization_id is not None:
        assets = assets.in_organization(organization_id)
    return assets.select_related("organization")


def with_open_counts(assets: QuerySet[Asset]) -> QuerySet[Asset]:
    """Count each asset's active findings per severity (``open_<severity>``), in one grouped query."""
    active = Q(findings__status__in=ACTIVE_STATUSES)
    return assets.annotate(
        **{
            f"open_{severity}": Count("findings", filter=active & Q(findings__severity=severity))
            for severity in SEVERITIES
        }
    ).order_by("name", "pk")


def asset_for(*, principal: Principal, asset_id: int) -> Asset:
    """Return one of the caller's assets, or raise Http404 (another tenant's is not found either)."""
    asset = assets_in_scope(principal=principal, organization_id=None).filter(pk=asset_id).first()
    if asset is None:
        raise Http404("No such asset.")
    return asset


def findings_of(asset: Asset) -> QuerySet[Finding]:
    """Return the asset's findings (its organisation is the caller's: checked by ``asset_for``)."""
    return Finding.objects.filter(asset=asset)


def latest_active_findings(asset: Asset, *, limit: int = 10) -> QuerySet[Finding]:
    """Return the asset's worst active findings first."""
    return findings_of(asset).filter(status__in=ACTIVE_STATUSES)[:limit]


def imports_of(asset: Asset, *, limit: int = 10) -> QuerySet[ImportJob]:
    """Return the asset's latest imports."""
    return ImportJob.objects.filter(asset=asset).order_by("-created_at")[:limit]


def engagements_in_scope(*, principal: Principal, organization_id: int | None) -> QuerySet[Engagement]:
    """Return the caller's engagements, in one organisation or (None) in all of theirs."""
    engagements = Engagement.objects.for_principal(principal)
    if organization_id is not None:
        engagements = engagements.in_organization(organization_id)
    return engagements.select_related("asset", "organization")


def with_open_finding_count(engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
    """Count each engagement's active findings, in one grouped query."""
    return engagements.annotate(
        open_findings=Count("findings", filter=Q(findings__status__in=ACTIVE_STATUSES))
    ).order_by("-starts_on", "name", "pk")


def engagement_for(*, principal: Principal, engagement_id: int) -> Engagement:
    """Return one of the caller's engagements, or raise Http404."""
    found = engagements_in_scope(principal=principal, organization_id=None).filter(pk=engagement_id).first()
    if found is None:
        raise Http404("No such engagement.")
    return found


def can_manage(principal: Principal, organization_id: int | None = None) -> bool:
    """Say whether the caller may create and change assets and engagements (admin), there or anywhere."""
    managed = principal.organization_ids(at_least=Role.ADMIN)
    return bool(managed) if organization_id is None else organization_id in managed
