"""Scan jobs, the ranges an organisation allows scans of, and scan schedules."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from bastion.contracts.scans import ScanState, ScanTrigger, TargetKind
from bastion.core.assets.models import Asset
from bastion.core.tenancy.models import Organization
from bastion.core.tenancy.querysets import TenantQuerySet

TARGET_KINDS = [(kind.value, kind.value.title()) for kind in TargetKind]
SCAN_STATES = [(state.value, state.value.title()) for state in ScanState]
TRIGGERS = [(trigger.value, trigger.value.title()) for trigger in ScanTrigger]
MAX_TARGET_LENGTH = 2048


class ScanSchedule(models.Model):
    """A scan of one asset's target that beat starts on a cron expression (UTC)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="scan_schedules")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="scan_schedules")
    target_kind = models.CharField(max_length=16, choices=TARGET_KINDS)
    target = models.CharField(max_length=MAX_TARGET_LENGTH)
    engines = models.JSONField(default=list, blank=True, help_text="Empty: every engine of the kind.")
    options = models.JSONField(default=dict, blank=True)
    cron = models.CharField(max_length=100, help_text="Five-field cron expression, in UTC.")
    is_enabled = models.BooleanField(default=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["asset_id", "pk"]
        indexes = [
            # What beat looks at, every minute.
            models.Index(
                fields=["next_run_at"], condition=models.Q(is_enabled=True), name="scan_schedule_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_kind} {self.target} ({self.cron})"


class ScanJob(models.Model):
    """One scan: its target as given and as resolved, its engines, how far it got, what it imported."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="scan_jobs")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="scan_jobs")
    schedule = models.ForeignKey(
        ScanSchedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(max_length=16, choices=TRIGGERS, default=ScanTrigger.MANUAL)
    target_kind = models.CharField(max_length=16, choices=TARGET_KINDS)
    target = models.CharField(max_length=MAX_TARGET_LENGTH, help_text="As the caller gave it.")
    addresses = models.JSONField(
        default=list, blank=True, help_text="Resolved once when the scan was accepted; the engines use these."
    )
    engines = models.JSONField(default=list)
    options = models.JSONField(default=dict, blank=True)
    commit = models.CharField(max_length=64, blank=True, help_text="The commit a repository scan checks out.")
    archive_key = models.CharField(max_length=500, blank=True, help_text="An uploaded archive, in storage.")
    state = models.CharField(max_length=16, choices=SCAN_STATES, default=ScanState.QUEUED)
    error = models.TextField(blank=True)
    log = models.JSONField(default=list, blank=True, help_text="The scan's steps, oldest first.")
    imports = models.JSONField(
        default=list, blank=True, help_text="Ids of the imports of its engines' reports."
    )
    # What the scan's imports did, summed over its engines.
    parsed = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
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
            models.Index(fields=["organization", "-created_at"], name="scan_org_time"),
            models.Index(fields=["asset", "-created_at"], name="scan_asset_time"),
            models.Index(
                fields=["organization"],
                condition=models.Q(state__in=["running", "cancelling"]),
                name="scan_active",
            ),
        ]

    def __str__(self) -> str:
        return f"scan {self.pk} ({self.state})"


class AllowedRange(models.Model):
    """A network range, address or host name the organisation's owner allows scans of."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="allowed_ranges")
    value = models.CharField(max_length=255, help_text="CIDR, address or host name, in canonical form.")
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["value"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "value"], name="allowed_range_unique"),
        ]

    def __str__(self) -> str:
        return self.value
