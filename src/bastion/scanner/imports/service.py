"""Turn a received upload into a queued import job: asset, engagement, options, storage.

An intake either ends with a queued job or leaves nothing behind: the report's format
is checked before anything is created, and the asset, engagement, stored report and
job are made in one transaction (:func:`intake`), the stored report deleted when that
transaction does not commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction

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
from bastion.parsers import ParserError, UnknownFormat, all_parsers, parse_report
from bastion.scanner.imports.upload import Upload

TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "off", ""})
SEVERITIES = frozenset(value for value, _ in SEVERITY_CHOICES)
# How each intake lets its caller name a report's format, for the error when detection fails.
NAMING_THE_FORMAT: dict[str, str] = {
    ImportSource.WEBHOOK: "name it in the URL: /scanner/v1/webhooks/<format>",
}
NAMING_THE_FORMAT_DEFAULT = "name it with the `format` field"

# The keys of the reports stored by the intake transaction open in this context.
_stored_reports: ContextVar[list[str] | None] = ContextVar("stored_reports", default=None)


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


def resolve_asset(*, principal: Principal, actor: User | None, options: ImportOptions) -> tuple[Asset, bool]:
    """Find the asset by id, or by identifier and kind in the caller's organisation (creating it).

    Return the asset and whether it was created. The asset's row stays locked until the
    transaction ends, so that a failed import cannot remove it under this one.
    """
    readable = principal.organization_ids
    if options.asset_id is not None:
        asset = (
            Asset.objects.select_for_update()
            .filter(pk=options.asset_id, organization_id__in=readable)
            .first()
        )
        if asset is None:
            raise ImportRefused(f"no asset {options.asset_id}")
        role = principal.role_in(asset.organization_id)
        if role is None or not role.allows(Role.ANALYST):
            raise ImportRefused("importing needs the analyst role or higher")
        return asset, False
    if not options.asset_identifier or not options.asset_kind:
        raise ImportRefused("name the asset: 'asset' (an id), or 'asset_identifier' and 'asset_kind'")
    return find_or_create_asset(
        actor=actor,
        organization_id=_organization_id(principal, options.organization),
        kind=options.asset_kind,
        identifier=options.asset_identifier,
        name=options.asset_name or options.asset_identifier[:200],
    )


def find_or_create_asset(
    *, actor: User | None, organization_id: int, kind: str, identifier: str, name: str
) -> tuple[Asset, bool]:
    """Return the organisation's asset of that kind and identifier, locked, creating it if needed."""
    from bastion.core.tenancy.models import Organization

    def find() -> Asset | None:
        return (
            Asset.objects.select_for_update()
            .filter(organization_id=organization_id, kind=kind, identifier=identifier)
            .first()
        )

    asset = find()
    if asset is not None:
        return asset, False
    try:
        created = asset_services.create_asset(  # a savepoint: a lost race is undone alone
            actor=actor,
            organization=Organization.objects.get(pk=organization_id),
            kind=kind,
            identifier=identifier,
            name=name,
        )
    except (IntegrityError, ValidationError) as error:
        asset = find()  # another import created it meanwhile
        if asset is None:
            raise ImportRefused(f"the asset cannot be created: {error}") from error
        return asset, False
    return created, True


@contextmanager
def intake() -> Iterator[None]:
    """Run an intake in one transaction; a report stored inside is deleted unless it commits.

    Nested intakes join the outermost one.
    """
    if _stored_reports.get() is not None:
        yield
        return
    stored: list[str] = []
    committed: list[bool] = []
    token = _stored_reports.set(stored)
    try:
        with transaction.atomic():
            transaction.on_commit(lambda: committed.append(True))  # before the task is sent
            yield
    except BaseException:
        if not committed:
            for key in stored:
                storages["reports"].delete(key)
        raise
    finally:
        _stored_reports.reset(token)


def _store(upload: Upload, *, key: str) -> str:
    """Store the report in the open intake, which deletes it again if it does not commit."""
    stored_reports = _stored_reports.get()
    if stored_reports is None:
        raise RuntimeError("a report is stored inside intake()")
    stored_reports.append(key)  # a partial write is deleted too
    with upload.path.open("rb") as handle:
        stored = storages["reports"].save(key, File(handle, name=key))
    stored_reports.append(stored)
    return stored


def check_format(*, upload: Upload, options: ImportOptions, source: str) -> None:
    """Refuse a report whose format is neither named nor recognised, before anything is created."""
    if options.format_name:
        return
    try:
        with upload.path.open("rb") as report:
            parse_report(report)  # detection only: the findings are read by the worker
    except UnknownFormat as error:
        hint = NAMING_THE_FORMAT.get(source, NAMING_THE_FORMAT_DEFAULT)
        raise ImportRefused(
            f"the report's format was not recognised; {hint} (GET /scanner/v1/formats lists them)"
        ) from error
    except ParserError as error:
        raise ImportRefused(str(error)) from error


def queue_import(
    *,
    principal: Principal,
    actor: User | None,
    upload: Upload,
    options: ImportOptions,
    source: str = ImportSource.UPLOAD,
    asset: Asset | None = None,
    has_created_asset: bool = False,
) -> ImportJob:
    """Store the report, record the job and queue its processing once that is committed.

    ``asset`` is the target when the caller resolved it itself (inside the same
    :func:`intake`); ``has_created_asset`` says the caller created it for this import.
    """
    from bastion.scanner.imports.tasks import run_import

    check_format(upload=upload, options=options, source=source)
    with intake():
        if asset is None:
            asset, has_created_asset = resolve_asset(principal=principal, actor=actor, options=options)
        engagement = None
        if options.engagement_id is not None:
            engagement = Engagement.objects.filter(pk=options.engagement_id, asset=asset).first()
            if engagement is None:
                raise ImportRefused(f"no engagement {options.engagement_id} on asset {asset.pk}")
        stored = _store(upload, key=f"{asset.organization_id}/{uuid.uuid4().hex}")
        job = import_services.create_job(
            actor=actor,
            asset=asset,
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
            has_created_asset=has_created_asset,
        )
        transaction.on_commit(lambda: run_import.delay(str(job.pk)))
    upload.discard()
    return job
