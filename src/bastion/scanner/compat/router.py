"""DefectDojo's import API, so that a CI pipeline moves over by changing its URL and token.

``POST /api/v2/import-scan/`` and ``POST /api/v2/reimport-scan/`` take DefectDojo's
multipart fields and become a Bastion import (see docs/defectdojo.md for the mapping).
Bastion deduplicates every import, so the two differ only in ``close_old_findings``'s
default: off for import-scan, on for reimport-scan, as in DefectDojo.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import JSONResponse

from bastion.contracts.principal import Principal, Role
from bastion.core.imports.exceptions import ImportRefused
from bastion.parsers import all_parsers
from bastion.scanner.imports import service, upload
from bastion.scanner.imports.router import spool_dir, upload_limit
from bastion.servicekit.auth import CurrentPrincipal
from bastion.servicekit.orm import run_orm

router = APIRouter(prefix="/api/v2", tags=["defectdojo-compatibility"])

# DefectDojo's severities (it capitalises them; any case is taken) onto Bastion's.
DD_SEVERITY = {
    "info": "info",
    "low": "low",
    "medium": "medium",
    "high": "high",
    "critical": "critical",
}
DEFAULT_ASSET_KIND = "repository"


def scan_types() -> dict[str, str]:
    """Map DefectDojo's scan_type names onto Bastion format names."""
    return {
        scan_type: parser.name
        for parser in all_parsers().values()
        for scan_type in parser.defectdojo_scan_types
    }


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"true", "1", "yes", "on"}


def fields_for_bastion(dd: dict[str, str], *, reimport: bool) -> dict[str, str]:
    """Translate DefectDojo's fields into the fields of a Bastion import."""
    scan_type = dd.get("scan_type", "").strip()
    formats = scan_types()
    if not scan_type:
        raise ImportRefused("scan_type is required")
    if scan_type not in formats:
        raise ImportRefused(f"scan_type {scan_type!r} is not supported; GET /scanner/v1/formats lists them")
    product = (dd.get("product_name") or "").strip()
    if not product:
        raise ImportRefused("product_name is required (Bastion does not take DefectDojo's numeric ids)")
    minimum = dd.get("minimum_severity", "").strip()
    if minimum and minimum.lower() not in DD_SEVERITY:
        allowed = ", ".join(name.capitalize() for name in DD_SEVERITY)
        raise ImportRefused(f"minimum_severity must be one of {allowed} (in any case), not {minimum!r}")
    return {
        "format": formats[scan_type],
        "asset_identifier": product,
        "asset_name": product,
        "asset_kind": dd.get("bastion_asset_kind", DEFAULT_ASSET_KIND),
        "organization": dd.get("organization", ""),
        "full": "true" if _flag(dd.get("close_old_findings"), reimport) else "false",
        "tags": dd.get("tags", ""),
        "minimum_severity": DD_SEVERITY[minimum.lower()] if minimum else "",
    }


def _queue(
    principal: Principal, received: upload.Upload, dd: dict[str, str], reimport: bool
) -> tuple[Any, str]:
    from bastion.core.accounts.models import User
    from bastion.core.assets.models import Asset
    from bastion.core.engagements import services as engagement_services
    from bastion.core.engagements.models import Engagement

    fields = fields_for_bastion(dd, reimport=reimport)
    options = service.options_from(fields)
    actor = User.objects.get(pk=principal.user_id)
    auto_create = _flag(dd.get("auto_create_context"), False)
    organization_ids = [g.organization_id for g in principal.memberships if g.role.allows(Role.ANALYST)]
    # One transaction: a refused or failed intake creates no product, engagement or stored report.
    with service.intake():
        asset = (
            Asset.objects.select_for_update()  # see service.resolve_asset
            .filter(
                organization_id__in=organization_ids,
                identifier=options.asset_identifier,
                kind=options.asset_kind,
            )
            .first()
        )
        has_created_asset = False
        if asset is None:
            if not auto_create:
                raise ImportRefused(
                    f"no product {options.asset_identifier!r}; send auto_create_context=true to create it"
                )
            asset, has_created_asset = service.resolve_asset(
                principal=principal, actor=actor, options=options
            )
        engagement_name = (dd.get("engagement_name") or "").strip()[:200]
        engagement_id = ""
        if engagement_name:
            engagement = Engagement.objects.filter(asset=asset, name=engagement_name).first()
            if engagement is None:
                if not auto_create:
                    raise ImportRefused(f"no engagement {engagement_name!r}; send auto_create_context=true")
                engagement = engagement_services.create_engagement(
                    actor=actor,
                    asset=asset,
                    kind="continuous_scanning",
                    name=engagement_name,
                    status="in_progress",
                )
            engagement_id = str(engagement.pk)
        options = service.options_from({**fields, "engagement": engagement_id})
        job = service.queue_import(
            principal=principal,
            actor=actor,
            upload=received,
            options=options,
            asset=asset,
            has_created_asset=has_created_asset,
        )
    return job, fields["format"]


async def _import(request: Request, principal: Principal, *, reimport: bool) -> JSONResponse:
    from django.conf import settings

    await upload_limit().check(f"user:{principal.user_id}")
    try:
        received = await upload.receive(
            request, limit=settings.BASTION_MAX_UPLOAD_BYTES, spool_dir=spool_dir()
        )
    except upload.UploadRefused as error:
        raise HTTPException(error.status, detail=str(error)) from error
    try:
        job, format_name = await run_orm(_queue, principal, received, received.fields, reimport)
    except ImportRefused as error:
        received.discard()
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=str(error)) from error
    except BaseException:
        received.discard()
        raise
    body = {
        "scan_type": received.fields.get("scan_type"),
        "product_name": received.fields.get("product_name"),
        "engagement_name": received.fields.get("engagement_name", ""),
        "close_old_findings": job.is_full,
        "test": str(job.pk),
        "import_id": str(job.pk),
        "format": format_name,
        "status_url": f"/scanner/v1/imports/{job.pk}",
    }
    return JSONResponse(body, status_code=status.HTTP_201_CREATED)


@router.post("/import-scan/", status_code=status.HTTP_201_CREATED)
async def import_scan(request: Request, principal: CurrentPrincipal) -> JSONResponse:
    """DefectDojo's import-scan: queue a Bastion import (close_old_findings defaults to false)."""
    return await _import(request, principal, reimport=False)


@router.post("/reimport-scan/", status_code=status.HTTP_201_CREATED)
async def reimport_scan(request: Request, principal: CurrentPrincipal) -> JSONResponse:
    """DefectDojo's reimport-scan: queue a Bastion import (close_old_findings defaults to true)."""
    return await _import(request, principal, reimport=True)
