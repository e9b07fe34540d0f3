from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People who sign in."""

    name = "bastion.core.accounts"
    label = "accounts"
    verbose_name = "Accounts"
