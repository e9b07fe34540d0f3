from django.apps import AppConfig


class ScansConfig(AppConfig):
    """Scan jobs, allow-lists and schedules."""

    name = "bastion.core.scans"
    label = "scans"
