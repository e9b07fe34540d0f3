"""Assets and tags."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from bastion.core.assets.choices import AssetKind, Environment
from bastion.core.tenancy.models import Organization, is_member
from bastion.core.tenancy.querysets import TenantQuerySet


class Tag(models.Model):
    """A label an organisation puts on assets and findings."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=64)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="tag_unique_name")]

    def __str__(self) -> str:
        return self.name


class Asset(models.Model):
    """Something an organisation protects: a repository, a host, an application, an image..."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(max_length=32, choices=AssetKind.choices)
    name = models.CharField(max_length=200)
    identifier = models.CharField(
        max_length=500, help_text="URL, host name or address, image reference, package name..."
    )
    criticality = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_assets",
    )
    environment = models.CharField(max_length=16, choices=Environment.choices, default=Environment.PRODUCTION)
    is_internet_facing = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="assets")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "identifier"], name="asset_unique_identifier"
            ),
            models.CheckConstraint(
                condition=models.Q(criticality__gte=1, criticality__lte=5),
                name="asset_criticality_range",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "kind"], name="asset_org_kind"),
            models.Index(fields=["organization", "name"], name="asset_org_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Keep the owner a member of the asset's organisation."""
        if self.owner_id is not None and not is_member(self.owner_id, self.organization_id):
            raise ValidationError({"owner": "The owner is not a member of the organisation."})
