"""Inbound webhooks: CI pushes a report, signed with its organisation's secret.

Headers: ``X-Bastion-Organization`` (slug), ``X-Bastion-Timestamp`` (Unix seconds,
within 5 minutes), ``X-Bastion-Delivery`` (unique per delivery) and
``X-Bastion-Signature: sha256=<hex>``, the HMAC-SHA256 of ``<timestamp>.<body>``
under the organisation's webhook secret. The body is the report; query parameters
name the asset as for an upload (``asset_identifier``, ``asset_kind``, ``full``...).
``{source}`` is the report's format, or ``auto`` to detect it.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import JSONResponse

from bastion.core.imports.exceptions import ImportRefused
from bastion.parsers import all_parsers
from bastion.scanner.imports import service, upload
from bastion.scanner.imports.router import _accepted, spool_dir, upload_limit
from bastion.servicekit.orm import run_orm

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])

MAX_CLOCK_SKEW_SECONDS = 300
INVALID = "invalid signature"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Sign a delivery as a client must (used by tests and documented for CI scripts)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _secret_for(slug: str) -> tuple[int, str] | None:
    from bastion.core.imports.models import WebhookSecret

    found = WebhookSecret.objects.select_related("organization").filter(organization__slug=slug).first()
    return (found.organization_id, found.secret) if found else None


def _queue_delivery(
    organization_id: int, delivery_id: str, received: upload.Upload, fields: dict[str, str]
) -> Any:
    from django.db import IntegrityError

    from bastion.contracts.principal import MembershipGrant, Principal, Role
    from bastion.core.imports.choices import ImportSource
    from bastion.core.imports.models import WebhookDelivery
    from bastion.core.tenancy.models import Organization

    organization = Organization.objects.get(pk=organization_id)
    # The signature speaks for the organisation, as an analyst would: it may import, nothing else.
    principal = Principal(
        user_id=0,
        email=f"webhook@{organization.slug}",
        is_superuser=False,
        auth_method="token",
        memberships=(
            MembershipGrant(
                organization_id=organization.pk,
                organization_slug=organization.slug,
                role=Role.ANALYST,
            ),
        ),
    )
    options = service.options_from({**fields, "organization": organization.slug})
    try:
        with service.intake():
            delivery = WebhookDelivery.objects.create(organization=organization, delivery_id=delivery_id)
            job = service.queue_import(
                principal=principal,
                actor=None,
                upload=received,
                options=options,
                source=ImportSource.WEBHOOK,
            )
            delivery.import_job = job
            delivery.save(update_fields=["import_job"])
    except IntegrityError as error:
        raise ImportRefused("this delivery was already received") from error
    return job


@router.post("/{source}", status_code=status.HTTP_202_ACCEPTED)
async def receive_webhook(source: str, request: Request) -> JSONResponse:
    """Accept a signed report from CI and queue its import."""
    from django.conf import settings

    headers = request.headers
    slug, timestamp = (
        headers.get("x-bastion-organization", ""),
        headers.get("x-bastion-timestamp", ""),
    )
    delivery_id, given = (
        headers.get("x-bastion-delivery", "").strip(),
        headers.get("x-bastion-signature", ""),
    )
    if source != "auto" and source not in all_parsers():
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"unknown source {source!r}")
    if not (slug and timestamp and delivery_id and given):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="missing signature headers")
    for name, value in (("X-Bastion-Organization", slug), ("X-Bastion-Delivery", delivery_id)):
        if "\x00" in value:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=f"{name} must not contain NUL bytes")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="timestamp outside the 5-minute window")
    if len(delivery_id) > 200:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail="delivery id longer than 200 characters")
    found = await run_orm(_secret_for, slug)
    if found is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=INVALID)
    organization_id, secret = found
    await upload_limit().check(f"organization:{organization_id}")
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode(), hashlib.sha256)
    try:
        received = await upload.receive(
            request, limit=settings.BASTION_MAX_UPLOAD_BYTES, spool_dir=spool_dir(), also_hash=mac
        )
    except upload.UploadRefused as error:
        raise HTTPException(error.status, detail=str(error)) from error
    if not hmac.compare_digest("sha256=" + mac.hexdigest(), given):
        received.discard()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=INVALID)
    fields = dict(request.query_params)  # checked for NUL bytes by upload.receive
    if source != "auto":
        fields["format"] = source
    try:
        job = await run_orm(_queue_delivery, organization_id, delivery_id, received, fields)
    except ImportRefused as error:
        received.discard()
        code = status.HTTP_409_CONFLICT if "already received" in str(error) else status.HTTP_400_BAD_REQUEST
        raise HTTPException(code, detail=str(error)) from error
    except BaseException:
        received.discard()
        raise
    return _accepted(job)
