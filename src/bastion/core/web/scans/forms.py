"""Forms of the scan pages: a scan to start, a schedule, an allow-list entry, the history's filters.

The forms check what a page can say next to the control that caused it (an engine that does
not fit the kind, a malformed port list or cron expression), with the services' own checks;
the target itself is checked by the service that takes the request, against the allow-list.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundWidget

from bastion.contracts.principal import Principal, Role
from bastion.contracts.scans import ENGINES, ScanState, TargetKind, engines_for
from bastion.core.assets.models import Asset
from bastion.core.scans import services, targets
from bastion.core.scans.exceptions import ScanRefused
from bastion.core.scans.models import MAX_TARGET_LENGTH, AllowedRange, ScanJob, ScanSchedule
from bastion.core.tenancy.models import Organization
from bastion.core.web.pickers import SearchSelect, labelled_with_organization

KIND_LABELS = {
    TargetKind.REPOSITORY: "Repository (git URL)",
    TargetKind.HOST: "Host (name, address or range)",
    TargetKind.URL: "URL (web application)",
}
# Each option field of the forms, with the kind of target it applies to (services.OPTIONS).
OPTION_KINDS = {"ports": TargetKind.HOST, "branch": TargetKind.REPOSITORY}


def sentence(message: str) -> str:
    """Say a service's refusal as a sentence on the page."""
    message = message.strip()
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _organization_slugs(principal: Principal, at_least: Role) -> list[tuple[str, str]]:
    organizations = Organization.objects.for_principal(principal, at_least=at_least).order_by("slug")
    return [(organization.slug, organization.slug) for organization in organizations]


def _asset_choices(field: forms.Field, principal: Principal) -> None:
    """Offer the assets the caller may scan (analyst or higher), labelled with their organisation."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = (
        Asset.objects.for_principal(principal, at_least=Role.ANALYST)
        .select_related("organization")
        .order_by("name", "id")
    )
    field.label_from_instance = labelled_with_organization  # type: ignore[method-assign, assignment]


class TargetFields(forms.Form):
    """What a scan and a schedule share: the target, its engines and the options of its kind.

    Every engine is offered (all checked), grouped by the kind it scans; the page's script shows
    only the chosen kind's group, and the form keeps only the checked engines of that kind, so
    the form works the same without the script.
    """

    kind = forms.ChoiceField(
        label="Target kind", choices=[(kind.value, KIND_LABELS[kind]) for kind in TargetKind]
    )
    target = forms.CharField(
        label="Target",
        max_length=MAX_TARGET_LENGTH,
        help_text=(
            "A host name, address or range (host); an http or https URL (URL); an https, ssh or git URL "
            "of a repository. It must be in the organisation's allow-list."
        ),
    )
    engines = forms.MultipleChoiceField(
        label="Engines",
        required=False,
        choices=[(name, engine.label) for name, engine in ENGINES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    ports = forms.CharField(
        label="Ports",
        required=False,
        max_length=services.OPTIONS[TargetKind.HOST]["ports"],
        help_text="Ports or ranges, e.g. 22,80,8000-8100; empty: the engine's usual ports.",
    )
    branch = forms.CharField(
        label="Branch",
        required=False,
        max_length=services.OPTIONS[TargetKind.REPOSITORY]["branch"],
        help_text="Empty: the repository's default branch.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["engines"].initial = self.initial.get("engines", list(ENGINES))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("kind"):
            return cleaned
        kind = TargetKind(cleaned["kind"])
        fitting = [name for name in cleaned.get("engines", []) if ENGINES[name].kind == kind]
        if not fitting:
            self.add_error("engines", f"Choose at least one engine that scans a {kind.value}.")
        cleaned["engines"] = fitting
        options: dict[str, str] = {}
        for name, applies_to in OPTION_KINDS.items():
            value = cleaned.get(name) or ""
            if not value:
                continue
            if applies_to != kind:
                self.add_error(name, f"{self.fields[name].label} apply only to {applies_to.value} scans.")
                continue
            try:
                services.checked_options(kind, {name: value})
            except ScanRefused as refused:
                self.add_error(name, sentence(str(refused)))
                continue
            options[name] = value
        cleaned["options"] = options
        return cleaned

    def engine_groups(self) -> list[dict[str, Any]]:
        """Return the engines' checkboxes grouped by the kind of target they scan."""
        checkboxes: list[BoundWidget] = list(self["engines"])
        return [
            {
                "kind": kind.value,
                "legend": f"Engines for a {kind.value}",
                "checkboxes": [box for box in checkboxes if ENGINES[box.data["value"]].kind == kind],
            }
            for kind in TargetKind
        ]


class ScanForm(TargetFields):
    """A scan to start now: its target, the asset it is about (or found or created), engines, options."""

    asset = forms.ModelChoiceField(
        label="Asset",
        queryset=Asset.objects.none(),
        required=False,
        empty_label="Found or created from the target",
        widget=SearchSelect(kind="assets", at_least=Role.ANALYST, with_organization=True),
    )
    organization = forms.ChoiceField(
        label="Organisation",
        help_text="Where the target's asset is found or created when no asset is chosen.",
    )
    commit = forms.CharField(
        label="Commit",
        required=False,
        max_length=ScanJob._meta.get_field("commit").max_length,
        help_text="A full commit id to check out; empty: the branch's latest commit.",
    )

    field_order = ["kind", "target", "asset", "organization", "engines", "ports", "branch", "commit"]

    def __init__(self, *args: Any, principal: Principal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _asset_choices(self.fields["asset"], principal)
        self.fields["organization"].choices = _organization_slugs(principal, Role.ANALYST)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        commit = cleaned.get("commit") or ""
        if commit and cleaned.get("kind") != TargetKind.REPOSITORY:
            self.add_error("commit", "A commit applies only to repository scans.")
        elif commit:
            try:
                # The form of a commit id, checked as the service checks it before queueing.
                targets.git_checkout_arguments("/nonexistent", commit)
            except ScanRefused as refused:
                self.add_error("commit", sentence(str(refused)))
        return cleaned


class ScheduleForm(TargetFields):
    """A schedule: the asset whose target is scanned, when (cron, UTC), and whether it runs."""

    asset = forms.ModelChoiceField(
        label="Asset",
        queryset=Asset.objects.none(),
        widget=SearchSelect(kind="assets", at_least=Role.ANALYST, with_organization=True),
    )
    cron = forms.CharField(
        label="When",
        max_length=ScanSchedule._meta.get_field("cron").max_length,
        help_text="hourly, daily, weekly, or five cron fields in UTC (minute hour day month weekday).",
    )
    is_enabled = forms.BooleanField(label="Enabled", required=False, initial=True)

    field_order = ["asset", "kind", "target", "cron", "engines", "ports", "branch", "is_enabled"]

    def __init__(
        self, *args: Any, principal: Principal, schedule: ScanSchedule | None = None, **kwargs: Any
    ) -> None:
        if schedule is not None:
            kwargs.setdefault("initial", schedule_initial(schedule))
        super().__init__(*args, **kwargs)
        if schedule is None:
            _asset_choices(self.fields["asset"], principal)
        else:
            del self.fields["asset"]  # a schedule keeps its asset

    def clean_cron(self) -> str:
        try:
            return services.normalise_cron(self.cleaned_data["cron"])
        except ScanRefused as refused:
            raise forms.ValidationError(sentence(str(refused))) from None


def schedule_initial(schedule: ScanSchedule) -> dict[str, Any]:
    """Return a schedule's values as its form's initial data."""
    kind = TargetKind(schedule.target_kind)
    return {
        "kind": kind.value,
        "target": schedule.target,
        "cron": schedule.cron,
        "engines": schedule.engines or list(engines_for(kind)),
        "is_enabled": schedule.is_enabled,
        **schedule.options,
    }


class AllowedRangeForm(forms.Form):
    """An allow-list entry of an organisation the caller owns."""

    value = forms.CharField(
        label="Range, address or host name",
        max_length=AllowedRange._meta.get_field("value").max_length,
        help_text="e.g. 203.0.113.0/24, 127.0.0.1/32 or scanme.example.com",
    )
    note = forms.CharField(
        label="Note", required=False, max_length=AllowedRange._meta.get_field("note").max_length
    )
    organization = forms.ChoiceField(label="Organisation")

    def __init__(self, *args: Any, principal: Principal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = _organization_slugs(principal, Role.OWNER)  # type: ignore[attr-defined]


class ScanFilterForm(forms.Form):
    """The history's filters: one asset, one state."""

    asset = forms.ModelChoiceField(
        label="Asset",
        queryset=Asset.objects.none(),
        required=False,
        empty_label="Every asset",
        widget=SearchSelect(kind="assets", with_organization=True),
    )
    state = forms.ChoiceField(
        label="State", required=False, choices=[("", "Any"), *((s.value, s.value.title()) for s in ScanState)]
    )

    def __init__(self, *args: Any, principal: Principal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["asset"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Asset.objects.for_principal(principal).select_related("organization").order_by("name", "id")
        )
        field.label_from_instance = labelled_with_organization  # type: ignore[method-assign, assignment]
