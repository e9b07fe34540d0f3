from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People who sign in."""

    name = "bastion.core.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        """Hand the admin's sign-in page over to allauth's (its own form would skip MFA)."""
        from django.contrib import admin

        from bastion.core.accounts.views import admin_login

        # Before any URLconf is loaded: admin.site.urls reads its login view when it is built.
        admin.site.login = admin_login  # type: ignore[method-assign]
