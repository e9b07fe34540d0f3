"""Choices for engagement fields."""

from django.db import models


class EngagementKind(models.TextChoices):
    """What sort of work an engagement is."""

    PENTEST = "pentest", "Penetration test"
    CONTINUOUS_SCANNING = "continuous_scanning", "Continuous scanning"
    BUG_BOUNTY = "bug_bounty", "Bug bounty"
    AUDIT = "audit", "Audit"


class EngagementStatus(models.TextChoices):
    """Where an engagement stands."""

    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
