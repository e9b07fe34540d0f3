"""Turn a received upload into a queued import job: asset, engagement, options, storage."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction

from bastion.contracts.principal import Principal, Role
from bastion.core.accounts.models import User
from bastion.core.assets import services as asset_services
from bastion.core.assets.choices import AssetKind
from bastion.core.assets.models import Asset
from bastion.core.engagements.models import Engagement
from bastion.core.findings.choices import SEVERITY_CHOICES
from bastion.core.imports import services as import_services
from bastion.core.imports.choices import ImportSource
from bastion.core.imports.exceptions import ImportRefused
from bastion.core.imports.models import ImportJob
from bastion.scanner.imports.upload import Upload
from bastion.scanner.parsers import all_parsers

TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "off", ""})
SEVERITIES = frozenset(value for value, _ in SEVERITY_CHOICES)


@dataclass(frozen=True)
class ImportOptions:
    """What the request asked for, validated."""

    asset_id: int | None
    asset_identifier: str
    asset_kind: str
    asset_name: str
    organization: str
    engagement_id: int | None
    format_name: str
    is_full: bool
    tags: tuple[str, ...]
    minimum_severity: str


def _flag(value: str, name: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImportRefused(f"{name} must be true or false, not {value!r}")


def _integer(value: str, name: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit():
        raise ImportRefused(f"{name} must be an id (a whole number), not {value!r}")
    return int(value)


def options_from(fields: dict[str, str]) -> ImportOptions:
    """Validate the form fields (or query parameters) of an import request."""
    format_name = fields.get("format", "").strip()
    if format_name and format_name not in all_parsers():
        raise ImportRefused(f"unknown format {format_name!r}; GET /scanner/v1/formats lists them")
    minimum = fields.get("minimum_severity", "").strip().lower()
    if minimum and minimum not in SEVERITIES:
        raise ImportRefused(f"minimum_severity must be one of {', '.join(sorted(SEVERITIES))}")
    kind = fields.get("asset_kind", "").strip()
    if kind and kind not in AssetKind.values:
        raise ImportRefused(f"asset_kind must be one of {', '.join(AssetKind.values)}")
    tags = tuple(dict.fromkeys(tag.strip() for tag in fields.get("tags", "").split(",") if tag.strip()))
    if any(len(tag) > 64 for tag in tags) or len(tags) > 50:
        raise ImportRefused("tags: at most 50, each at most 64 characters")
    return ImportOptions(
        asset_id=_integer(fields.get("asset", ""), "asset"),
        asset_identifier=fields.get("asset_identifier", "").strip()[:500],
        asset_kind=kind,
        asset_name=fields.get("asset_name", "").strip()[:200],
        organization=fields.get("organization", "").strip(),
        engagement_id=_integer(fields.get("engagement", ""), "engagement"),
        format_name=format_name,
        is_full=_flag(fields.get("full", ""), "full"),
        tags=tags,
        minimum_severity=minimum,
    )


def _organization_id(principal: Principal, slug: str) -> int:
    importers = [g for g in principal.memberships if g.role.allows(Role.ANALYST)]
    if slug:
        chosen = [g for g in principal.memberships if g.organization_slug == slug]
        if not chosen:
            raise ImportRefused(f"no organisation {slug!r}")
        if not chosen[0].role.allows(Role.ANALYST):
            raise ImportRefused("importing needs the analyst role or higher")
        return chosen[0].organization_id
    if len(importers) == 1:
        return importers[0].organization_id
    if not importers:
        raise ImportRefused("importing needs the analyst role or higher")
    raise ImportRefused("you belong to several organisations: name one with 'organization'")


def resolve_asset(*, principal: Principal, actor: User | None, options: ImportOptions) -> Asset:
    """Find the asset by id, or by identifier and kind in the caller's organisation (creating it)."""
    readable = principal.organization_ids
    if options.asset_id is not None:
        asset = Asset.objects.filter(pk=options.asset_id, organization_id__in=readable).first()
        if asset is None:
            raise ImportRefused(f"no asset {options.asset_id}")
        role = principal.role_in(asset.organization_id)
        if role is None or not role.allows(Role.ANALYST):
            raise ImportRefused("importing needs the analyst role or higher")
        return asset
    if not options.asset_identifier or not options.asset_kind:
        raise ImportRefused("name the asset: 'asset' (an id), or 'asset_identifier' and 'asset_kind'")
    organization_id = _organization_id(principal, options.organization)
    asset = Asset.objects.filter(
        organization_id=organization_id,
        kind=options.asset_kind,
        identifier=options.asset_identifier,
    ).first()
    if asset is not None:
        return asset
    from bastion.core.tenancy.models import Organization

    return asset_services.create_asset(
        actor=actor,
        organization=Organization.objects.get(pk=organization_id),
        kind=options.asset_kind,
        identifier=options.asset_identifier,
        name=options.asset_name or options.asset_identifier[:200],
    )


def queue_import(
    *,
    principal: Principal,
    actor: User | None,
    upload: Upload,
    options: ImportOptions,
    source: str = ImportSource.UPLOAD,
    asset: Asset | None = None,
) -> ImportJob:
    """Store the report, record the job and queue its processing once that is committed."""
    from bastion.scanner.imports.tasks import run_import

    with transaction.atomic():
        target = asset or resolve_asset(principal=principal, actor=actor, options=options)
        engagement = None
        if options.engagement_id is not None:
            engagement = Engagement.objects.filter(pk=options.engagement_id, asset=target).first()
            if engagement is None:
                raise ImportRefused(f"no engagement {options.engagement_id} on asset {target.pk}")
        key = f"{target.organization_id}/{uuid.uuid4().hex}"
        with upload.path.open("rb") as handle:
            stored = storages["reports"].save(key, File(handle, name=key))
        job = import_services.create_job(
            actor=actor,
            asset=target,
            engagement=engagement,
            storage_key=stored,
            size_bytes=upload.size,
            sha256=upload.sha256,
            file_name=upload.file_name,
            format_name=options.format_name,
            is_full=options.is_full,
            tags=options.tags,
            minimum_severity=options.minimum_severity,
            source=source,
        )
        transaction.on_commit(lambda: run_import.delay(str(job.pk)))
    upload.discard()
    return job
