"""Turn a received report into a queued import job: the one intake every way in shares.

An upload and DefectDojo's import API (scanner), a signed webhook delivery (scanner) and
a code analysis (agent) all call :func:`take_in`. It either ends with a queued job or
leaves nothing behind: the report's format is checked before anything is created; the
delivery record, the asset, the engagement, the stored report and the job are made in
one transaction, and the stored report is deleted when that transaction does not commit.
Either way the spool file is gone when it returns.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction

from bastion.contracts.principal import MembershipGrant, Principal, Role
from bastion.core.accounts.models import User
from bastion.core.accounts.selectors import user_of
from bastion.core.assets import services as asset_services
from bastion.core.assets.models import Asset
from bastion.core.engagements import services as engagement_services
from bastion.core.engagements.choices import EngagementKind, EngagementStatus
from bastion.core.engagements.models import Engagement
from bastion.core.imports import selectors, services
from bastion.core.imports.choices import ImportSource
from bastion.core.imports.exceptions import (
    AssetNotFound,
    DuplicateDelivery,
    EngagementNotFound,
    ImportForbidden,
    InvalidImportOptions,
    InvalidReport,
    UnknownReportFormat,
)
from bastion.core.imports.models import ImportJob, WebhookDelivery
from bastion.core.imports.options import ImportOptions
from bastion.core.imports.tasks import run_import
from bastion.core.imports.upload import Upload
from bastion.core.tenancy.models import Organization
from bastion.parsers import ParserError, UnknownFormat, parse_report

# How each intake lets its caller name a report's format, for the refusal when detection fails.
NAMING_THE_FORMAT: dict[str, str] = {
    ImportSource.WEBHOOK: "name it in the URL: /scanner/v1/webhooks/<format>",
}
NAMING_THE_FORMAT_DEFAULT = "name it with the `format` field"
# What an intake that does not create what is missing says, in its callers' words (DefectDojo's).
MISSING_ASSET: dict[str, str] = {
    ImportSource.DEFECTDOJO: "no product {identifier!r}; send auto_create_context=true to create it",
}
MISSING_ASSET_DEFAULT = "no asset {identifier!r} of kind {kind!r}"
MISSING_ENGAGEMENT: dict[str, str] = {
    ImportSource.DEFECTDOJO: "no engagement {name!r}; send auto_create_context=true",
}
MISSING_ENGAGEMENT_DEFAULT = "no engagement {name!r} on asset {asset_id}"


@dataclass(frozen=True)
class Delivery:
    """A signed webhook delivery: the organisation its signature speaks for, and its id."""

    organization_id: int
    delivery_id: str


def take_in(
    *,
    upload: Upload,
    options: ImportOptions,
    principal: Principal | None = None,
    delivery: Delivery | None = None,
    source: ImportSource = ImportSource.UPLOAD,
) -> ImportJob:
    """Store a caller's report (``principal``), or a webhook's (``delivery``), as a queued import.

    A refused report raises an ``ImportRefused`` saying why, and leaves nothing behind; the
    spool file is gone either way.
    """
    try:
        if delivery is not None:
            organization = Organization.objects.get(pk=delivery.organization_id)
            principal, actor, source = _speaking_for(organization), None, ImportSource.WEBHOOK
        elif principal is not None:
            actor = user_of(principal)
        else:
            raise TypeError("take_in needs the caller (principal) or the webhook delivery")
        check_format(upload=upload, options=options, source=source)
        with _stored_until_commit() as stored:
            recorded = _record(delivery) if delivery is not None else None
            asset, has_created_asset = resolve_asset(
                principal=principal, actor=actor, options=options, source=source
            )
            engagement = resolve_engagement(actor=actor, asset=asset, options=options, source=source)
            key = f"{asset.organization_id}/{uuid.uuid4().hex}"
            stored.append(key)  # a partial write is deleted too
            stored.append(_store(upload, key=key))
            job = services.create_job(
                actor=actor,
                asset=asset,
                engagement=engagement,
                storage_key=stored[-1],
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
            if recorded is not None:
                recorded.import_job = job
                recorded.save(update_fields=["import_job"])
            transaction.on_commit(partial(run_import.delay, str(job.pk)))
    finally:
        upload.discard()
    return job


def take_in_engine_report(
    *, asset: Asset, actor: User | None, upload: Upload, tool: str, tags: tuple[str, ...] = ("scan",)
) -> ImportJob:
    """Store the report one engine of a scan wrote as a full import of its tool on the asset.

    The scan was authorised when it was accepted, and runs the import itself, in its own
    worker, so that it can tell what the import did: the job is not queued. The engine's
    tool is the job's, so that an engine that finds nothing resolves what it found before.
    """
    try:
        with _stored_until_commit() as stored:
            key = f"{asset.organization_id}/{uuid.uuid4().hex}"
            stored.append(key)
            stored.append(_store(upload, key=key))
            job = services.create_job(
                actor=actor,
                asset=asset,
                storage_key=stored[-1],
                size_bytes=upload.size,
                sha256=upload.sha256,
                file_name=upload.file_name,
                format_name="sarif",
                is_full=True,
                tags=tags,
                source=ImportSource.SCAN,
                tool=tool,
            )
    finally:
        upload.discard()
    return job


def check_format(*, upload: Upload, options: ImportOptions, source: str) -> None:
    """Refuse a report whose format is neither named nor recognised, before anything is created."""
    if options.format_name:
        return
    try:
        with upload.path.open("rb") as report:
            parse_report(report)  # detection only: the findings are read by the worker
    except UnknownFormat as error:
        hint = NAMING_THE_FORMAT.get(source, NAMING_THE_FORMAT_DEFAULT)
        raise UnknownReportFormat(
            f"the report's format was not recognised; {hint} (GET /scanner/v1/formats lists them)"
        ) from error
    except ParserError as error:
        raise InvalidReport(str(error)) from error


def resolve_asset(
    *, principal: Principal, actor: User | None, options: ImportOptions, source: str
) -> tuple[Asset, bool]:
    """Find the asset by id, or by identifier and kind in the caller's organisation (creating it).

    Return the asset and whether it was created. The asset's row stays locked until the
    transaction ends, so that a failed import cannot remove it under this one.
    """
    if options.asset_id is not None:
        reachable = Asset.objects.for_principal(principal).select_for_update().filter(pk=options.asset_id)
        asset = reachable.for_principal(principal, at_least=Role.ANALYST).first()
        if asset is not None:
            return asset, False
        if reachable.exists():
            raise ImportForbidden(selectors.IMPORTING_NEEDS)
        raise AssetNotFound(f"no asset {options.asset_id}")
    if not options.asset_identifier or not options.asset_kind:
        raise InvalidImportOptions("name the asset: 'asset' (an id), or 'asset_identifier' and 'asset_kind'")
    organization = selectors.organization_to_import_into(principal=principal, slug=options.organization)
    asset = _find_asset(organization, kind=options.asset_kind, identifier=options.asset_identifier)
    if asset is not None:
        return asset, False
    if not options.may_create_missing:
        missing = MISSING_ASSET.get(source, MISSING_ASSET_DEFAULT)
        raise AssetNotFound(missing.format(identifier=options.asset_identifier, kind=options.asset_kind))
    try:
        created = asset_services.create_asset(  # a savepoint: a lost race is undone alone
            actor=actor,
            organization=organization,
            kind=options.asset_kind,
            identifier=options.asset_identifier,
            name=options.asset_name or options.asset_identifier[:200],
        )
    except (IntegrityError, ValidationError) as error:
        asset = _find_asset(organization, kind=options.asset_kind, identifier=options.asset_identifier)
        if asset is None:  # not created by another import meanwhile: the values are at fault
            raise InvalidImportOptions(f"the asset cannot be created: {error}") from error
        return asset, False
    return created, True


def resolve_engagement(
    *, actor: User | None, asset: Asset, options: ImportOptions, source: str
) -> Engagement | None:
    """Find the engagement on the asset by id, or by name (creating it); None when none is named."""
    if options.engagement_id is not None:
        engagement = Engagement.objects.filter(pk=options.engagement_id, asset=asset).first()
        if engagement is None:
            raise EngagementNotFound(f"no engagement {options.engagement_id} on asset {asset.pk}")
        return engagement
    if not options.engagement_name:
        return None
    engagement = Engagement.objects.filter(asset=asset, name=options.engagement_name).first()
    if engagement is not None:
        return engagement
    if not options.may_create_missing:
        missing = MISSING_ENGAGEMENT.get(source, MISSING_ENGAGEMENT_DEFAULT)
        raise EngagementNotFound(missing.format(name=options.engagement_name, asset_id=asset.pk))
    return engagement_services.create_engagement(
        actor=actor,
        asset=asset,
        kind=EngagementKind.CONTINUOUS_SCANNING,
        name=options.engagement_name,
        status=EngagementStatus.IN_PROGRESS,
    )


def _find_asset(organization: Organization, *, kind: str, identifier: str) -> Asset | None:
    assets = Asset.objects.select_for_update().in_organization(organization.pk)  # see resolve_asset
    return assets.filter(kind=kind, identifier=identifier).first()


def _speaking_for(organization: Organization) -> Principal:
    """Return the principal a webhook's signature stands for: an analyst of its organisation."""
    return Principal(
        user_id=0,
        email=f"webhook@{organization.slug}",
        is_superuser=False,
        auth_method="token",
        memberships=(
            MembershipGrant(
                organization_id=organization.pk, organization_slug=organization.slug, role=Role.ANALYST
            ),
        ),
    )


def _record(delivery: Delivery) -> WebhookDelivery:
    """Record the delivery's id, so that a replay is refused (a concurrent one waits for this one)."""
    try:
        return WebhookDelivery.objects.create(
            organization_id=delivery.organization_id, delivery_id=delivery.delivery_id
        )
    except IntegrityError as error:
        raise DuplicateDelivery("this delivery was already received") from error


@contextmanager
def _stored_until_commit() -> Iterator[list[str]]:
    """Run an intake in one transaction; the reports stored inside are deleted unless it commits."""
    stored: list[str] = []
    committed: list[bool] = []
    try:
        with transaction.atomic():
            transaction.on_commit(lambda: committed.append(True))  # before the task is sent
            yield stored
    except BaseException:
        if not committed:
            for key in stored:
                storages["reports"].delete(key)
        raise


def _store(upload: Upload, *, key: str) -> str:
    """Store the report; return the key it was stored under."""
    with upload.path.open("rb") as handle:
        return str(storages["reports"].save(key, File(handle, name=key)))
