from django.apps import AppConfig


class TenancyConfig(AppConfig):
    """Organisations, memberships and API tokens."""

    name = "bastion.core.tenancy"
    label = "tenancy"
    verbose_name = "Tenancy"
