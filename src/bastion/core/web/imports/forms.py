"""The upload form of the imports page: its fields become the scanner's upload fields (``options_from``)."""

from __future__ import annotations

from typing import Any

from django import forms

from bastion.contracts.principal import Principal, Role
from bastion.core.assets.choices import AssetKind
from bastion.core.assets.models import Asset
from bastion.core.tenancy.models import Organization
from bastion.core.web.pickers import SearchSelect, labelled_with_organization
from bastion.parsers import all_parsers


class UploadForm(forms.Form):
    """A report, the asset it is about (chosen, or new by identifier and kind), its format and scope."""

    file = forms.FileField(
        label="Report",
        help_text=(
            "A scanner's report: SARIF, Semgrep, Bandit, Trivy, ZAP, Nessus and many more. "
            "Drop it here or choose it."
        ),
    )
    asset = forms.ModelChoiceField(
        label="Asset",
        queryset=Asset.objects.none(),
        required=False,
        empty_label="A new asset (named below)",
        widget=SearchSelect(kind="assets", at_least=Role.ANALYST, with_organization=True),
    )
    asset_identifier = forms.CharField(
        label="New asset's identifier",
        required=False,
        max_length=Asset._meta.get_field("identifier").max_length,
        help_text="URL, host name or address, image reference… (when the asset is new)",
    )
    asset_kind = forms.ChoiceField(
        label="New asset's kind", required=False, choices=[("", "—"), *AssetKind.choices]
    )
    organization = forms.ChoiceField(label="New asset's organisation", required=False)
    format = forms.ChoiceField(label="Format", required=False)
    full = forms.BooleanField(
        label="Full report (resolve this tool's findings on the asset that the report no longer has)",
        required=False,
    )

    def __init__(self, *args: Any, principal: Principal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        asset_field = self.fields["asset"]
        assert isinstance(asset_field, forms.ModelChoiceField)
        asset_field.queryset = (
            Asset.objects.for_principal(principal, at_least=Role.ANALYST)
            .select_related("organization")
            .order_by("name", "id")
        )
        asset_field.label_from_instance = labelled_with_organization  # type: ignore[method-assign, assignment]
        organizations = Organization.objects.for_principal(principal, at_least=Role.ANALYST)
        self.fields["organization"].choices = [(org.slug, org.slug) for org in organizations]  # type: ignore[attr-defined]
        self.fields["format"].choices = [  # type: ignore[attr-defined]
            ("", "Detect it"),
            *((name, parser.label) for name, parser in all_parsers().items()),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("asset") and not (cleaned.get("asset_identifier") and cleaned.get("asset_kind")):
            raise forms.ValidationError("Choose an asset, or give the new asset's identifier and kind.")
        return cleaned

    def upload_fields(self) -> dict[str, str]:
        """Return the fields as the scanner's upload receives them."""
        data = self.cleaned_data
        fields = {"format": data["format"], "full": "true" if data["full"] else "false"}
        if data["asset"]:
            fields["asset"] = str(data["asset"].pk)
        else:
            fields.update(
                asset_identifier=data["asset_identifier"],
                asset_kind=data["asset_kind"],
                organization=data["organization"],
            )
        return fields
