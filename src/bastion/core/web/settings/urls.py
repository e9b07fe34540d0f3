"""URLs of the settings and code-analysis pages (names in the ``web`` namespace)."""

from django.urls import URLPattern, path

from bastion.core.web.settings import code_analysis, views

urlpatterns: list[URLPattern] = [
    path("settings/", views.settings_page, name="settings"),
    path("settings/members/invite", views.invite_member, name="settings-invite"),
    path("settings/members/<int:membership_id>/role", views.change_role, name="settings-role"),
    path("settings/members/<int:membership_id>/remove", views.remove_member, name="settings-remove"),
    path("settings/tokens", views.create_token, name="settings-token-create"),
    path("settings/tokens/<int:token_id>/revoke", views.revoke_token, name="settings-token-revoke"),
    path("settings/webhook-secret", views.rotate_webhook_secret, name="settings-webhook-secret"),
    path("settings/sla", views.set_sla, name="settings-sla"),
    path("settings/mfa", views.set_mfa, name="settings-mfa"),
    path("code-analysis/", code_analysis.code_analysis, name="code-analysis"),
]
