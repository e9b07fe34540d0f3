"""Reads of the import domain, scoped to the caller by the one tenancy rule (``for_principal``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from bastion.contracts.principal import Principal, Role
from bastion.core.findings.models import Finding
from bastion.core.imports.exceptions import (
    ImportForbidden,
    ImportNotFound,
    OrganizationNotChosen,
    OrganizationNotFound,
)
from bastion.core.imports.models import ImportJob, WebhookSecret
from bastion.core.tenancy.models import Organization

IMPORTING_NEEDS = "importing needs the analyst role or higher"


def import_for(*, principal: Principal, import_id: str) -> ImportJob:
    """Return an import job of the caller's organisations, or raise ImportNotFound."""
    jobs = ImportJob.objects.for_principal(principal).select_related("organization")
    try:
        job = jobs.filter(pk=import_id).first()
    except ValidationError:  # not a UUID
        job = None
    if job is None:
        raise ImportNotFound("Not found.")
    return job


def imports_that_saw(*, principal: Principal, finding: Finding) -> QuerySet[ImportJob]:
    """Return the caller's imports that reported the finding, newest first, with their uploaders."""
    jobs = ImportJob.objects.for_principal(principal).filter(sightings__finding=finding)
    return jobs.select_related("created_by").order_by("-created_at", "-pk")


def organization_to_import_into(*, principal: Principal, slug: str) -> Organization:
    """Return the organisation the caller names (by slug), or their only one where they may import."""
    importable = Organization.objects.for_principal(principal, at_least=Role.ANALYST)
    if slug:
        chosen = importable.filter(slug=slug).first()
        if chosen is not None:
            return chosen
        if Organization.objects.for_principal(principal).filter(slug=slug).exists():
            raise ImportForbidden(IMPORTING_NEEDS)
        raise OrganizationNotFound(f"no organisation {slug!r}")
    candidates = list(importable[:2])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ImportForbidden(IMPORTING_NEEDS)
    raise OrganizationNotChosen("you belong to several organisations: name one with 'organization'")


def webhook_secret_for(*, slug: str) -> WebhookSecret | None:
    """Return the secret an organisation's webhook deliveries are signed with, if it has one."""
    return WebhookSecret.objects.select_related("organization").filter(organization__slug=slug).first()
