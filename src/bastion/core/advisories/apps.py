from django.apps import AppConfig


class AdvisoriesConfig(AppConfig):
    """The OSV advisory database."""

    name = "bastion.core.advisories"
    label = "advisories"
