"""Engagements."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from bastion.core.assets.models import Asset
from bastion.core.engagements.choices import EngagementKind, EngagementStatus
from bastion.core.tenancy.models import Organization, is_member
from bastion.core.tenancy.querysets import TenantQuerySet


class Engagement(models.Model):
    """A piece of security work on an asset, with dates, a status and a lead."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="engagements")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="engagements")
    kind = models.CharField(max_length=32, choices=EngagementKind.choices)
    name = models.CharField(max_length=200)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=EngagementStatus.choices, default=EngagementStatus.PLANNED
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_engagements",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        indexes = [
            models.Index(fields=["organization", "status"], name="engagement_org_status"),
            models.Index(fields=["asset", "name"], name="engagement_asset_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="engagement_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Keep the engagement in its asset's organisation and its dates in order."""
        if self.asset_id is not None and self.asset.organization_id != self.organization_id:
            raise ValidationError({"asset": "The asset belongs to another organisation."})
        if self.lead_id is not None and not is_member(self.lead_id, self.organization_id):
            raise ValidationError({"lead": "The lead is not a member of the organisation."})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "An engagement cannot end before it starts."})
