"""The settings pages' forms: they validate, the views call the services."""

from __future__ import annotations

from django import forms

from bastion.contracts.principal import Role
from bastion.core.audit.models import AuditAction, AuditEvent

ROLE_CHOICES = [(role.value, role.value.title()) for role in Role]
EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "1 year"), ("", "Never")]


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail", help_text="An existing user is added; anyone else gets an e-mail to set a password."
    )
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES, initial=Role.VIEWER.value)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES)


class TokenForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, required=False, help_text="What uses it, e.g. CI.")
    expires_in_days = forms.ChoiceField(
        label="Expires after", choices=EXPIRY_CHOICES, required=False, initial="90"
    )


class SlaForm(forms.Form):
    critical_days = forms.IntegerField(label="Critical (days)", min_value=1, max_value=3650)
    high_days = forms.IntegerField(label="High (days)", min_value=1, max_value=3650)
    medium_days = forms.IntegerField(label="Medium (days)", min_value=1, max_value=3650)
    low_days = forms.IntegerField(label="Low (days)", min_value=1, max_value=3650)
    info_days = forms.IntegerField(
        label="Info (days)", min_value=1, max_value=3650, required=False, help_text="Empty: no SLA for info."
    )
    critical_asset_percent = forms.IntegerField(
        label="Critical assets (% of the days)",
        min_value=1,
        max_value=100,
        help_text="For assets of criticality 4 or 5.",
    )


class MfaForm(forms.Form):
    requires_mfa = forms.BooleanField(
        label="Require two-factor authentication for every member", required=False
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="Action", choices=[("", "Any"), *AuditAction.choices], required=False)
    # As long as the columns they match: a longer value matches nothing, and SQLite refuses a LIKE
    # pattern (iexact) past 50,000 characters with an error.
    object_type = forms.CharField(
        label="Object type",
        required=False,
        max_length=AuditEvent._meta.get_field("object_type").max_length,
        help_text="e.g. tenancy.membership",
    )
    actor = forms.CharField(
        label="Actor e-mail", required=False, max_length=AuditEvent._meta.get_field("actor_email").max_length
    )
    after = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    before = forms.DateField(label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"}))
