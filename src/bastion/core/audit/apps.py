from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit log."""

    name = "bastion.core.audit"
    label = "audit"
