"""Advisories as OSV publishes them, and the packages each one affects.

Advisories are global reference data, shared by every organisation: no organisation column, no
tenant queryset. Only ``services.import_osv`` writes them.
"""

from __future__ import annotations

from django.db import models


class Advisory(models.Model):
    """One OSV record: its id, aliases, text, severity, dates and references."""

    osv_id = models.CharField(max_length=100, unique=True)
    aliases = models.JSONField(default=list, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    details = models.TextField(blank=True, help_text="Clipped to DETAILS_LIMIT characters.")
    severity_type = models.CharField(max_length=16, blank=True, help_text="CVSS_V3, CVSS_V4, ...")
    severity_vector = models.CharField(max_length=300, blank=True)
    cvss_score = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    database_severity = models.CharField(
        max_length=32, blank=True, help_text="The source's own rating (GitHub: LOW .. CRITICAL)."
    )
    published = models.DateTimeField(null=True, blank=True)
    modified = models.DateTimeField()
    withdrawn = models.DateTimeField(null=True, blank=True)
    references = models.JSONField(default=list, blank=True)
    cwe_ids = models.JSONField(
        default=list, blank=True, help_text='The weaknesses the source names: ["CWE-89"].'
    )
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["osv_id"]
        verbose_name_plural = "advisories"

    def __str__(self) -> str:
        return self.osv_id


class AffectedPackage(models.Model):
    """A package an advisory affects: OSV ranges (as events) and explicit versions."""

    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="affected")
    ecosystem = models.CharField(max_length=100, help_text="As OSV spells it: PyPI, npm, Go, crates.io...")
    name = models.CharField(max_length=300, help_text="Normalised per ecosystem (versions.normalize_name).")
    ranges = models.JSONField(
        default=list,
        blank=True,
        help_text='[{"type": "ECOSYSTEM" | "SEMVER", "events": [...]}]; GIT dropped.',
    )
    versions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["ecosystem", "name"], name="affected_package_lookup")]

    def __str__(self) -> str:
        return f"{self.ecosystem}/{self.name}"
