from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Operational tasks."""

    name = "bastion.core.operations"
    label = "operations"
