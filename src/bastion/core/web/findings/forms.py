"""The findings list's forms: bulk triage (which findings, one action) and saving a view."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from bastion.contracts.ids import row_id
from bastion.core.accounts.models import User
from bastion.core.findings.choices import Status
from bastion.core.findings.models import SavedView
from bastion.core.findings.services import BULK_LIMIT

ACTIONS = [("transition", "Change status"), ("assign", "Assign"), ("tag", "Add tags")]
#: Accepting a risk needs a justification, an approver and an expiry: it is done on the finding's page.
BULK_STATUSES = [(status.value, status.label) for status in Status if status != Status.RISK_ACCEPTED]
UNASSIGN = "none"


class BulkForm(forms.Form):
    """A bulk action over the selected findings, as ``services.bulk_action`` takes it."""

    ids = forms.TypedMultipleChoiceField(
        coerce=int, label="Findings", error_messages={"required": "select at least one finding"}
    )
    action = forms.ChoiceField(choices=ACTIONS, label="Action")
    status = forms.ChoiceField(choices=[("", "Choose a status"), *BULK_STATUSES], required=False)
    reason = forms.CharField(required=False, max_length=2000, label="Reason")
    assignee = forms.ChoiceField(required=False, label="Assignee")
    tags = forms.CharField(required=False, max_length=500, label="Tags", help_text="Comma-separated.")

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        # The ids are checked by the service against what the caller may change; here only numbers.
        ids = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        id_field, assignee_field = self.fields["ids"], self.fields["assignee"]
        assert isinstance(id_field, forms.ChoiceField)
        assert isinstance(assignee_field, forms.ChoiceField)
        id_field.choices = [(value, value) for value in ids[:BULK_LIMIT] if row_id(value) is not None]
        assignee_field.choices = [
            ("", "Choose a member"),
            (UNASSIGN, "Nobody (unassign)"),
            *((user.email, user.email) for user in members),
        ]

    def clean_tags(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data.get("tags", "").split(",") if name.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == "transition" and not data.get("status"):
            self.add_error("status", "Choose the status to move the findings to.")
        if action == "assign" and not data.get("assignee"):
            self.add_error("assignee", "Choose a member, or nobody.")
        if action == "tag" and not data.get("tags"):
            self.add_error("tags", "Give at least one tag.")
        return data

    def assignee_user(self) -> User | None:
        """Return the member to assign (None: unassign)."""
        email = self.cleaned_data.get("assignee")
        if not email or email == UNASSIGN:
            return None
        return self.members.filter(email=email).first()


#: A list URL's query string is far shorter; a bound on what the form reads before normalising it.
LONGEST_QUERY = 16_000


class SaveViewForm(forms.Form):
    """Save the list's current query under a name."""

    name = forms.CharField(
        max_length=SavedView._meta.get_field("name").max_length,
        label="Name",
        help_text="Saving under the name of one of your views here replaces it.",
    )
    query = forms.CharField(required=False, max_length=LONGEST_QUERY, widget=forms.HiddenInput)
