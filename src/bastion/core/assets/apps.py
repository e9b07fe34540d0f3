from django.apps import AppConfig


class AssetsConfig(AppConfig):
    """Assets and tags."""

    name = "bastion.core.assets"
    label = "assets"
