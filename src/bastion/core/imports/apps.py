from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Import jobs and their commit."""

    name = "bastion.core.imports"
    label = "imports"
