"""Import jobs, the findings each one saw, and webhook deliveries."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from bastion.core.assets.models import Asset
from bastion.core.engagements.models import Engagement
from bastion.core.findings.choices import SEVERITY_CHOICES
from bastion.core.findings.models import Finding
from bastion.core.imports.choices import ImportSource, ImportState
from bastion.core.tenancy.models import Organization
from bastion.core.tenancy.querysets import TenantQuerySet


class ImportJob(models.Model):
    """One report on its way in: where it is stored, how far it got, what it changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="import_jobs")
    asset = models.ForeignKey(
        Asset,
        null=True,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        help_text="Empty once a failed import's own new asset was removed.",
    )
    has_created_asset = models.BooleanField(
        default=False, help_text="The import created its asset: removed again if the import fails."
    )
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=16, choices=ImportSource.choices, default=ImportSource.UPLOAD)
    format = models.CharField(max_length=64, blank=True, help_text="Forced, or detected when parsed.")
    is_format_forced = models.BooleanField(default=False)
    tool = models.CharField(max_length=100, blank=True)
    is_full = models.BooleanField(default=False, help_text="Resolve this tool's findings the report lacks.")
    tags = models.JSONField(default=list, blank=True)
    minimum_severity = models.CharField(max_length=16, choices=SEVERITY_CHOICES, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    storage_key = models.CharField(max_length=500)
    size_bytes = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=16, choices=ImportState.choices, default=ImportState.QUEUED)
    error = models.TextField(blank=True)
    # What the import did: a column per count of contracts.imports.ImportCounts (a test checks they match).
    parsed = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Who runs a running job (core.imports.claims): the worker process, and its last sign of life.
    worker = models.CharField(
        max_length=255, blank=True, help_text="host:pid of the worker process running it."
    )
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="import_org_time"),
            models.Index(fields=["asset", "-created_at"], name="import_asset_time"),
            # What the reaper looks at, every minute.
            models.Index(fields=["started_at"], condition=models.Q(state="running"), name="import_running"),
        ]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.state})"


class Sighting(models.Model):
    """An import that reported a finding: one row per finding per import."""

    import_job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="sightings")
    # No index of its own: the unique (finding, import_job) index below starts with it.
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="sightings", db_index=False)

    organization_path = "finding__organization"  # its tenant is its finding's
    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            # Its index serves "the imports that saw this finding" (imports.selectors.imports_that_saw).
            models.UniqueConstraint(fields=["finding", "import_job"], name="sighting_unique_per_import")
        ]

    def __str__(self) -> str:
        return f"finding {self.finding_id} seen by import {self.import_job_id}"


class WebhookSecret(models.Model):
    """The key an organisation's CI signs its webhook deliveries with."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="webhook_secret")
    secret = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "webhook secret"

    def __str__(self) -> str:
        return f"webhook secret of {self.organization}"


class WebhookDelivery(models.Model):
    """A delivery id already accepted, so that a replay is refused."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    delivery_id = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)
    import_job = models.ForeignKey(ImportJob, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "delivery_id"], name="webhook_delivery_unique")
        ]

    def __str__(self) -> str:
        return self.delivery_id
