"""DefectDojo's import API, so that a CI pipeline moves over by changing its URL and token.

``POST /api/v2/import-scan/`` and ``POST /api/v2/reimport-scan/`` take DefectDojo's
multipart fields and become a Bastion import (see docs/defectdojo.md for the mapping):
the fields are translated here, and the core's intake does the rest, creating the
product (an asset) and the engagement when ``auto_create_context`` asks for it.
Bastion deduplicates every import, so the two differ only in ``close_old_findings``'s
default: off for import-scan, on for reimport-scan, as in DefectDojo.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse

from bastion.core.imports import intake
from bastion.core.imports.choices import ImportSource
from bastion.core.imports.exceptions import InvalidImportOptions
from bastion.core.imports.options import ImportOptions, options_from
from bastion.parsers import all_parsers
from bastion.scanner.imports.schemas import status_url
from bastion.scanner.imports.streaming import receive_report
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
        raise InvalidImportOptions("scan_type is required")
    if scan_type not in formats:
        raise InvalidImportOptions(
            f"scan_type {scan_type!r} is not supported; GET /scanner/v1/formats lists them"
        )
    product = (dd.get("product_name") or "").strip()
    if not product:
        raise InvalidImportOptions(
            "product_name is required (Bastion does not take DefectDojo's numeric ids)"
        )
    minimum = dd.get("minimum_severity", "").strip()
    if minimum and minimum.lower() not in DD_SEVERITY:
        allowed = ", ".join(name.capitalize() for name in DD_SEVERITY)
        raise InvalidImportOptions(
            f"minimum_severity must be one of {allowed} (in any case), not {minimum!r}"
        )
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


def options_for_bastion(dd: dict[str, str], *, reimport: bool) -> ImportOptions:
    """Translate DefectDojo's fields into the options of a Bastion import."""
    return options_from(
        fields_for_bastion(dd, reimport=reimport),
        engagement_name=dd.get("engagement_name") or "",
        may_create_missing=_flag(dd.get("auto_create_context"), False),
    )


async def _import(request: Request, principal: CurrentPrincipal, *, reimport: bool) -> JSONResponse:
    with await receive_report(request, rate_key=f"user:{principal.user_id}") as received:
        options = options_for_bastion(received.fields, reimport=reimport)
        job = await run_orm(
            intake.take_in,
            principal=principal,
            upload=received.upload,
            options=options,
            source=ImportSource.DEFECTDOJO,
        )
    body = {
        "scan_type": received.fields.get("scan_type"),
        "product_name": received.fields.get("product_name"),
        "engagement_name": received.fields.get("engagement_name", ""),
        "close_old_findings": job.is_full,
        "test": str(job.pk),
        "import_id": str(job.pk),
        "format": options.format_name,
        "status_url": status_url(job),
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
