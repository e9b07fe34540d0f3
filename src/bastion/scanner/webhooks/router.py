"""Inbound webhooks: CI pushes a report, signed with its organisation's secret.

Headers: ``X-Bastion-Organization`` (slug), ``X-Bastion-Timestamp`` (Unix seconds,
within 5 minutes), ``X-Bastion-Delivery`` (unique per delivery) and
``X-Bastion-Signature: sha256=<hex>``, the HMAC-SHA256 of ``<timestamp>.<body>``
under the organisation's webhook secret. The body is the report; query parameters
name the asset as for an upload (``asset_identifier``, ``asset_kind``, ``full``...).
``{source}`` is the report's format, or ``auto`` to detect it.

The signature is checked here; the delivery's record, its duplicates and its import
are the core's intake (``core.imports.intake``).
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import JSONResponse

from bastion.core import sealed
from bastion.core.imports import intake, selectors
from bastion.core.imports.options import options_from
from bastion.core.scans import services as scan_services
from bastion.parsers import all_parsers
from bastion.scanner.imports.schemas import accepted
from bastion.scanner.imports.streaming import receive_report, upload_limit
from bastion.scanner.webhooks import forges
from bastion.scanner.webhooks.signature import is_fresh, is_signed_by, signer
from bastion.servicekit.orm import run_orm

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])

INVALID = "invalid signature"
MAX_DELIVERY_ID_LENGTH = 200


@router.post("/{source}", status_code=status.HTTP_202_ACCEPTED)
async def receive_webhook(source: str, request: Request) -> JSONResponse:
    """Accept a signed report from CI and queue its import."""
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
    if not is_fresh(timestamp):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="timestamp outside the 5-minute window")
    if len(delivery_id) > MAX_DELIVERY_ID_LENGTH:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            detail=f"delivery id longer than {MAX_DELIVERY_ID_LENGTH} characters",
        )
    secret = await run_orm(selectors.webhook_secret_for, slug=slug)
    if secret is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=INVALID)
    try:
        key = sealed.unseal(secret.secret)
    except sealed.SealBroken as error:  # SECRET_KEY changed with no fallback: the admin must rotate it
        logger.warning("the webhook secret of %s cannot be opened (%s): rotate it", slug, error)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=INVALID) from error
    mac = signer(key, timestamp)
    rate_key = f"organization:{secret.organization_id}"
    with await receive_report(request, rate_key=rate_key, also_hash=mac) as received:
        if not is_signed_by(mac, given):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=INVALID)
        fields = {**request.query_params, "organization": slug}  # checked for NUL bytes by receive
        if source != "auto":
            fields["format"] = source
        job = await run_orm(
            intake.take_in,
            upload=received.upload,
            options=options_from(fields),
            delivery=intake.Delivery(organization_id=secret.organization_id, delivery_id=delivery_id),
        )
    return accepted(job)


@router.post("/push/{organization}", status_code=status.HTTP_202_ACCEPTED, tags=["scans"])
async def receive_push(organization: str, request: Request) -> JSONResponse:
    """Scan a repository at the commit a forge says was pushed (GitHub, GitLab or Gitea push events).

    Configure the forge's webhook with this URL, content type JSON and the organisation's
    webhook secret. Every asset of the organisation that scans the pushed repository (by a
    schedule, or as a repository asset with that URL) gets a scan at the pushed commit.
    """
    try:
        forge = forges.forge_of(request.headers)
    except forges.PushRefused as refused:
        raise HTTPException(refused.status, detail=refused.reason) from None
    secret = await run_orm(selectors.webhook_secret_for, slug=organization)
    if secret is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=INVALID)
    try:
        key = sealed.unseal(secret.secret)
    except sealed.SealBroken as error:
        logger.warning("the webhook secret of %s cannot be opened (%s): rotate it", organization, error)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=INVALID) from error
    await upload_limit().check(f"organization:{secret.organization_id}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > forges.MAX_PUSH_BYTES:
            raise HTTPException(
                status.HTTP_413_CONTENT_TOO_LARGE,
                detail=f"a push event is at most {forges.MAX_PUSH_BYTES} bytes",
            )
    try:
        forges.verify(forge, request.headers, bytes(body), key)
        push = forges.read_push(forge, request.headers, bytes(body))
    except forges.PushRefused as refused:
        raise HTTPException(refused.status, detail=refused.reason) from None
    if push is None:
        return JSONResponse(
            {"scans": [], "detail": "not a push of a commit: nothing to scan"}, status_code=202
        )
    scans = await run_orm(
        scan_services.scan_push,
        organization_id=secret.organization_id,
        delivery_id=push.delivery_id,
        urls=push.urls,
        commit=push.commit,
    )
    detail = f"{len(scans)} scans queued" if scans else "no asset of the organisation scans this repository"
    return JSONResponse({"scans": [str(scan.pk) for scan in scans], "detail": detail}, status_code=202)
