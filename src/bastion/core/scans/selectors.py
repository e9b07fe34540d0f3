"""Reads of the scan domain, scoped to the caller by the one tenancy rule (``for_principal``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from bastion.contracts.principal import Principal, Role
from bastion.core.assets.models import Asset
from bastion.core.scans.exceptions import ScanForbidden, ScanNotFound
from bastion.core.scans.models import AllowedRange, ScanJob, ScanSchedule
from bastion.core.tenancy.models import Organization

SCANNING_NEEDS = "starting a scan needs the analyst role or higher"
ALLOW_LIST_NEEDS = "the allow-list is kept by the organisation's owner"


def scans_for(*, principal: Principal, asset_id: int | None = None, state: str = "") -> QuerySet[ScanJob]:
    """Return the caller's scans, newest first (of one asset, in one state, when given)."""
    scans = ScanJob.objects.for_principal(principal).select_related("asset", "created_by")
    if asset_id is not None:
        scans = scans.filter(asset_id=asset_id)
    if state:
        scans = scans.filter(state=state)
    return scans.order_by("-created_at", "-pk")


def scan_for(*, principal: Principal, scan_id: str, at_least: Role = Role.VIEWER) -> ScanJob:
    """Return a scan of the caller's organisations (where their role allows ``at_least``)."""
    scans = ScanJob.objects.for_principal(principal).select_related("asset", "organization")
    try:
        scan = scans.filter(pk=scan_id).first()
    except ValidationError:  # not a UUID
        scan = None
    if scan is None:
        raise ScanNotFound("Not found.")
    if (
        at_least != Role.VIEWER
        and not scans.for_principal(principal, at_least=at_least).filter(pk=scan.pk).exists()
    ):
        raise ScanForbidden(SCANNING_NEEDS)
    return scan


def asset_to_scan(*, principal: Principal, asset_id: int) -> Asset:
    """Return an asset the caller may scan (analyst or higher), or raise why not."""
    reachable = Asset.objects.for_principal(principal).filter(pk=asset_id)
    asset = reachable.for_principal(principal, at_least=Role.ANALYST).select_related("organization").first()
    if asset is not None:
        return asset
    if reachable.exists():
        raise ScanForbidden(SCANNING_NEEDS)
    raise ScanNotFound(f"no asset {asset_id}")


def organization_for(*, principal: Principal, slug: str, at_least: Role) -> Organization:
    """Return the organisation the caller names (or their only one), where their role allows ``at_least``."""
    reachable = Organization.objects.for_principal(principal)
    if slug:
        reachable = reachable.filter(slug=slug)
    candidates = list(reachable[:2])
    if not candidates:
        raise ScanNotFound(f"no organisation {slug!r}" if slug else "you belong to no organisation")
    if len(candidates) > 1:
        raise ScanNotFound("you belong to several organisations: name one with 'organization'")
    organization = candidates[0]
    if (
        not Organization.objects.for_principal(principal, at_least=at_least)
        .filter(pk=organization.pk)
        .exists()
    ):
        raise ScanForbidden(ALLOW_LIST_NEEDS if at_least == Role.OWNER else SCANNING_NEEDS)
    return organization


def allow_list(*, organization_id: int) -> list[str]:
    """Return an organisation's allow-list entries (what the target checks take)."""
    return list(AllowedRange.objects.in_organization(organization_id).values_list("value", flat=True))


def allowed_ranges_for(*, principal: Principal) -> QuerySet[AllowedRange]:
    """Return the allow-list entries of the caller's organisations."""
    return (
        AllowedRange.objects.for_principal(principal)
        .select_related("organization")
        .order_by("organization__slug", "value")
    )


def allowed_range_for(*, principal: Principal, range_id: int) -> AllowedRange:
    """Return an allow-list entry the caller may change (owner), or raise why not."""
    entry = AllowedRange.objects.for_principal(principal).filter(pk=range_id).first()
    if entry is None:
        raise ScanNotFound(f"no allowed range {range_id}")
    if not AllowedRange.objects.for_principal(principal, at_least=Role.OWNER).filter(pk=range_id).exists():
        raise ScanForbidden(ALLOW_LIST_NEEDS)
    return entry


def schedules_for(*, principal: Principal, asset_id: int | None = None) -> QuerySet[ScanSchedule]:
    """Return the caller's scan schedules (of one asset, when given)."""
    schedules = ScanSchedule.objects.for_principal(principal).select_related("asset")
    if asset_id is not None:
        schedules = schedules.filter(asset_id=asset_id)
    return schedules.order_by("asset__name", "pk")


def schedule_for(*, principal: Principal, schedule_id: int, at_least: Role = Role.VIEWER) -> ScanSchedule:
    """Return a schedule of the caller's organisations (where their role allows ``at_least``)."""
    schedules = ScanSchedule.objects.for_principal(principal).select_related("asset", "organization")
    schedule = schedules.filter(pk=schedule_id).first()
    if schedule is None:
        raise ScanNotFound(f"no schedule {schedule_id}")
    if not schedules.for_principal(principal, at_least=at_least).filter(pk=schedule_id).exists():
        raise ScanForbidden(SCANNING_NEEDS)
    return schedule
