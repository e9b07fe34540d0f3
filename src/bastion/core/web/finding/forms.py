"""The finding page's forms: a comment, a transition (with risk acceptance), an assignee."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from bastion.core.accounts.models import User
from bastion.core.findings.choices import REASON_MAX_LENGTH, Status
from bastion.core.findings.models import Comment

COMMENT_MAX_LENGTH = Comment._meta.get_field("body").max_length


class MemberChoiceField(forms.ModelChoiceField):
    """A choice of the organisation's members, shown by email."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.email)


class CommentForm(forms.Form):
    """A new comment on the finding."""

    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown: **bold**, `code`, lists, links",
    )


class TransitionForm(forms.Form):
    """Move the finding to a status the workflow allows; accepting a risk needs why, who, until when."""

    to_status = forms.ChoiceField(label="New status")
    reason = forms.CharField(
        label="Reason", required=False, max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    justification = forms.CharField(
        label="Justification",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Risk acceptance only: why the risk is acceptable.",
    )
    approver = MemberChoiceField(
        label="Approver",
        queryset=User.objects.none(),
        required=False,
        help_text="Risk acceptance only: an admin or owner of the organisation.",
    )
    expires_on = forms.DateField(
        label="Accepted until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Risk acceptance only: the finding reopens after this date.",
    )

    def __init__(self, *args: Any, allowed: list[Status], approvers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to_status = self.fields["to_status"]
        assert isinstance(to_status, forms.ChoiceField)
        to_status.choices = [(status.value, status.label) for status in allowed]
        approver = self.fields["approver"]
        assert isinstance(approver, forms.ModelChoiceField)
        approver.queryset = approvers


class AssigneeForm(forms.Form):
    """Who works on the finding (empty: nobody)."""

    assignee = MemberChoiceField(
        label="Assignee", queryset=User.objects.none(), required=False, empty_label="Nobody"
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)
        assignee.queryset = members
