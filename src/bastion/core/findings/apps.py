from django.apps import AppConfig


class FindingsConfig(AppConfig):
    """Findings, their workflow and SLA policies."""

    name = "bastion.core.findings"
    label = "findings"
