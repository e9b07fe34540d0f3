from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    """Engagements."""

    name = "bastion.core.engagements"
    label = "engagements"
