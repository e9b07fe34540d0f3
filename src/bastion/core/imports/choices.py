"""Choices for import jobs."""

from django.db import models


class ImportState(models.TextChoices):
    """Where an import job stands."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


class ImportSource(models.TextChoices):
    """How the report arrived."""

    UPLOAD = "upload", "Upload"
    WEBHOOK = "webhook", "Webhook"
    DEFECTDOJO = "defectdojo", "DefectDojo-compatible API"
    ANALYSIS = "analysis", "Code analysis"
    SCAN = "scan", "Scan run by Bastion"


FINISHED_STATES = frozenset({ImportState.COMPLETED, ImportState.FAILED})
