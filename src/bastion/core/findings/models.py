"""Findings, their identifiers, comments, workflow history, and SLA policies."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils import timezone

from bastion.contracts.finding import Severity
from bastion.core.assets.models import Asset, Tag
from bastion.core.engagements.models import Engagement
from bastion.core.findings.choices import SEVERITY_CHOICES, Status
from bastion.core.tenancy.models import Organization, is_member
from bastion.core.tenancy.querysets import TenantQuerySet

SEVERITY_RANKS = {severity.value: severity.rank for severity in Severity}


class Finding(models.Model):
    """A weakness found on an asset: what it is, where, how bad, and where it stands."""

    # No index of their own: the composite indexes below start with each (one less index to write per row).
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="findings", db_index=False
    )
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="findings", db_index=False)
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings", db_index=False
    )
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    severity = models.CharField(max_length=16, choices=SEVERITY_CHOICES)
    severity_rank = models.PositiveSmallIntegerField(editable=False, help_text="5 critical … 1 info")
    cvss_v3_vector = models.CharField(max_length=200, blank=True)
    cvss_v3_score = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    cvss_v4_vector = models.CharField(max_length=300, blank=True)
    cvss_v4_score = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    tool = models.CharField(max_length=100, blank=True)
    rule_id = models.CharField(max_length=500, blank=True)
    # Location: a place in code, a URL, a network service or a package (fill what applies).
    file_path = models.CharField(max_length=1000, blank=True)
    line_start = models.PositiveIntegerField(null=True, blank=True)
    line_end = models.PositiveIntegerField(null=True, blank=True)
    url = models.CharField(max_length=2000, blank=True)
    parameter = models.CharField(max_length=500, blank=True)
    host = models.CharField(max_length=255, blank=True)
    port = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(65535)])
    protocol = models.CharField(max_length=16, blank=True)
    package = models.CharField(max_length=500, blank=True)
    package_version = models.CharField(max_length=200, blank=True)
    fixed_version = models.CharField(max_length=200, blank=True)
    component = models.CharField(max_length=500, blank=True)
    evidence = models.TextField(blank=True)
    remediation = models.TextField(blank=True)
    references = models.JSONField(default=list, blank=True)
    fingerprint = models.CharField(max_length=128, help_text="Deduplication key, unique per asset.")
    content_hash = models.CharField(
        max_length=32,
        blank=True,
        editable=False,
        help_text="What an import compares to see a change.",
    )
    last_import_id = models.UUIDField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_findings",
    )
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    sla_due_on = models.DateField(null=True, blank=True)
    risk_accepted_until = models.DateField(null=True, blank=True)
    risk_justification = models.TextField(blank=True)
    risk_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="findings")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-severity_rank", "first_seen", "id"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "fingerprint"], name="finding_unique_fingerprint"),
            models.CheckConstraint(
                condition=models.Q(severity_rank__gte=1, severity_rank__lte=5),
                name="finding_severity_rank",
            ),
        ]
        indexes = [
            # The showcase query: worst first, then longest open.
            models.Index(fields=["organization", "-severity_rank", "first_seen"], name="finding_org_sev_age"),
            # The dashboard's figures read only this index (PostgreSQL's index-only scans; SQLite
            # ignores ``include``): counts by status and severity, SLA dates, weeks, assets.
            models.Index(
                fields=["organization", "status", "-severity_rank"],
                include=["asset", "sla_due_on", "first_seen", "resolved_at"],
                name="finding_org_status",
            ),
            models.Index(fields=["asset", "status"], name="finding_asset_status"),
            models.Index(fields=["engagement"], name="finding_engagement"),
            models.Index(fields=["organization", "tool"], name="finding_org_tool"),
            # Rule ids match in any case (the ``rule_id`` filter and free text): Django's ``iexact``.
            models.Index(F("organization"), Upper("rule_id"), name="finding_org_rule"),
            # One import stamps every finding it saw with the same instant, and many findings fall due on
            # one day: the id that breaks ties in the list's order is in each index the list orders by,
            # or a page would sort every finding of the tie (PostgreSQL reads these indexes backwards
            # for a descending order).
            models.Index(fields=["organization", "sla_due_on", "id"], name="finding_org_sla_id"),
            models.Index(fields=["organization", "first_seen", "id"], name="finding_org_first_seen_id"),
            models.Index(fields=["organization", "last_seen", "id"], name="finding_org_last_seen_id"),
            models.Index(fields=["organization", "updated_at", "id"], name="finding_org_updated_id"),
            models.Index(fields=["organization", "resolved_at"], name="finding_org_resolved"),
            models.Index(fields=["organization", "assignee"], name="finding_org_assignee"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.severity_rank = SEVERITY_RANKS[self.severity]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        """Keep asset, engagement and assignee in the organisation; score the CVSS vectors."""
        self._score_cvss()
        if self.asset_id is not None and self.asset.organization_id != self.organization_id:
            raise ValidationError({"asset": "The asset belongs to another organisation."})
        if self.engagement_id is not None and self.engagement is not None:
            if self.engagement.organization_id != self.organization_id:
                raise ValidationError({"engagement": "The engagement belongs to another organisation."})
        if self.assignee_id is not None and not is_member(self.assignee_id, self.organization_id):
            raise ValidationError({"assignee": "The assignee is not a member of the organisation."})
        if self.line_start and self.line_end and self.line_end < self.line_start:
            raise ValidationError({"line_end": "The range ends before it starts."})

    def _score_cvss(self) -> None:
        errors = {}
        for version, parse in (("v3", CVSS3), ("v4", CVSS4)):
            vector = getattr(self, f"cvss_{version}_vector").strip()
            if not vector:
                setattr(self, f"cvss_{version}_score", None)
                continue
            try:
                parsed = parse(vector)
            except CVSSError as error:
                errors[f"cvss_{version}_vector"] = f"Not a valid CVSS {version} vector: {error}"
                continue
            setattr(self, f"cvss_{version}_vector", parsed.clean_vector())
            setattr(self, f"cvss_{version}_score", Decimal(str(parsed.base_score)))
        if errors:
            raise ValidationError(errors)

    @property
    def is_sla_breached(self) -> bool:
        """Tell whether the finding is still active past its SLA due date."""
        from bastion.core.findings.choices import ACTIVE_STATUSES

        return (
            self.sla_due_on is not None
            and self.status in ACTIVE_STATUSES
            and self.sla_due_on < timezone.now().date()
        )


class FindingAdvisory(models.Model):
    """An advisory id a finding carries: CVE, GHSA, or another database's."""

    # No index of its own: the unique constraint below starts with it.
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="advisories", db_index=False)
    identifier = models.CharField(max_length=100)

    organization_path = "finding__organization"  # its tenant is its finding's
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(fields=["finding", "identifier"], name="advisory_unique_per_finding")
        ]
        indexes = [models.Index(fields=["identifier"], name="advisory_identifier")]

    def __str__(self) -> str:
        return self.identifier


class FindingCwe(models.Model):
    """A CWE a finding is an instance of."""

    # No index of its own: the unique constraint below starts with it.
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="cwes", db_index=False)
    cwe_id = models.PositiveIntegerField()

    organization_path = "finding__organization"  # its tenant is its finding's
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["cwe_id"]
        constraints = [models.UniqueConstraint(fields=["finding", "cwe_id"], name="cwe_unique_per_finding")]
        indexes = [models.Index(fields=["cwe_id"], name="cwe_id")]

    def __str__(self) -> str:
        return f"CWE-{self.cwe_id}"


class Comment(models.Model):
    """An analyst's note on a finding."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=20_000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    organization_path = "finding__organization"  # its tenant is its finding's
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["finding", "created_at"], name="comment_finding_time")]

    def __str__(self) -> str:
        return f"comment {self.pk} on finding {self.finding_id}"


class FindingTransition(models.Model):
    """One move of a finding's status: who, when, from, to, why."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=16, choices=Status.choices)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.TextField(blank=True)

    organization_path = "finding__organization"  # its tenant is its finding's
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["finding", "at"], name="transition_finding_time")]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


# A due date must stay a date: ten years is longer than any real SLA, and far from date's limits.
MAX_SLA_DAYS = 3650
SLA_DAYS = [MaxValueValidator(MAX_SLA_DAYS)]


class FigureVersion(models.Model):
    """How many times an organisation's findings have changed: the key of its cached dashboard figures."""

    organization = models.OneToOneField(
        Organization, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.BigIntegerField(default=0)

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"figures version {self.version} of organisation {self.organization_id}"


class SlaPolicy(models.Model):
    """How many days an organisation gives itself to fix a finding, by severity."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="sla_policy")
    critical_days = models.PositiveIntegerField(default=7, validators=SLA_DAYS)
    high_days = models.PositiveIntegerField(default=30, validators=SLA_DAYS)
    medium_days = models.PositiveIntegerField(default=90, validators=SLA_DAYS)
    low_days = models.PositiveIntegerField(default=180, validators=SLA_DAYS)
    info_days = models.PositiveIntegerField(
        null=True, blank=True, validators=SLA_DAYS, help_text="Empty: no SLA for info."
    )
    critical_asset_percent = models.PositiveSmallIntegerField(
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="For assets of criticality 4 or 5, this percentage of the days (rounded up).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "SLA policies"

    def __str__(self) -> str:
        return f"SLA of {self.organization}"

    def days_for(self, *, severity: str, asset_criticality: int) -> int | None:
        """Return the days allowed for a finding, or None when its severity has no SLA."""
        days: int | None = getattr(self, f"{severity}_days")
        if days is None:
            return None
        if asset_criticality >= 4:
            return max(1, -(-days * self.critical_asset_percent // 100))
        return days

    def due_on(self, *, severity: str, asset_criticality: int, since: date) -> date | None:
        """Return the date by which a finding first seen ``since`` must be fixed."""
        days = self.days_for(severity=severity, asset_criticality=asset_criticality)
        return None if days is None else since + timedelta(days=days)


class SavedView(models.Model):
    """A user's named query of the findings list: its filters, sort and columns."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_views",
        help_text="Empty: saved for all the user's organisations.",
    )
    name = models.CharField(max_length=100)
    query = models.CharField(
        max_length=4000, blank=True, help_text="The list's query string, only its known parameters."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # Two partial constraints: a NULL organisation would never clash in one unique constraint.
            models.UniqueConstraint(
                fields=["user", "organization", "name"],
                condition=models.Q(organization__isnull=False),
                name="saved_view_unique_name",
                violation_error_message="You already have a view of this name here.",
            ),
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(organization__isnull=True),
                name="saved_view_unique_name_everywhere",
                violation_error_message="You already have a view of this name here.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Keep a view in an organisation its user belongs to, and its text free of NUL bytes."""
        for field in ("name", "query"):
            if "\x00" in getattr(self, field):  # PostgreSQL cannot store one in text
                raise ValidationError({field: "Null characters are not allowed."})
        if self.organization_id is not None and not is_member(self.user_id, self.organization_id):
            raise ValidationError({"organization": "You are not a member of this organisation."})
