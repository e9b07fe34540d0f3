"""Forms of the assets and engagements pages: fields read from the models, writes left to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from bastion.contracts.principal import Principal, Role
from bastion.core.assets.models import Asset
from bastion.core.engagements.models import Engagement
from bastion.core.tenancy.models import Organization

ASSET_FIELDS = ["kind", "name", "identifier", "criticality", "environment", "is_internet_facing"]
ENGAGEMENT_FIELDS = ["asset", "kind", "name", "status", "starts_on", "ends_on"]


def add_model_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's validation errors (the model's messages, as the API gives them) on the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class AssetForm(forms.ModelForm[Asset]):
    """An asset's fields; a new asset also names its organisation (one the caller administers)."""

    class Meta:
        model = Asset
        fields = ["organization", *ASSET_FIELDS]

    def __init__(self, *args: Any, principal: Principal, is_new: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if is_new:
            field = self.fields["organization"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Organization.objects.for_principal(principal, at_least=Role.ADMIN)
            field.empty_label = None
        else:
            del self.fields["organization"]


class EngagementForm(forms.ModelForm[Engagement]):
    """An engagement's fields, on an asset the caller administers."""

    class Meta:
        model = Engagement
        fields = ENGAGEMENT_FIELDS
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, principal: Principal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["asset"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Asset.objects.for_principal(principal, at_least=Role.ADMIN).select_related(
            "organization"
        )
        field.label_from_instance = lambda asset: f"{asset.name} ({asset.organization.slug})"  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        # The engagement's organisation is its asset's (the service sets it); the model's clean needs it.
        cleaned = super().clean() or {}
        asset = cleaned.get("asset")
        if asset is not None:
            self.instance.organization = asset.organization
        return cleaned
