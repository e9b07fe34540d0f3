"""Saved views of the findings list: each user's own named queries (reads and writes).

A view belongs to one user and is saved either in one organisation or for all of theirs (no
organisation). Nobody else reads or changes it, and a view of an organisation its user has left
is no longer listed (it comes back if they rejoin). The query is stored as the caller gives it:
the web application hands over the list's query string normalised by the list's own form.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from bastion.contracts.ids import MAX_ROW_ID
from bastion.core.accounts.models import User
from bastion.core.findings.models import SavedView
from bastion.core.tenancy.models import Membership, Organization

#: Enough for every list a team looks at; a bound on what one account may store.
MAX_VIEWS_PER_USER = 100
#: The largest key a 64-bit id column holds: a larger number is no view, never a database error.


def _reachable(user: User) -> QuerySet[SavedView]:
    """Return the user's views, except those of organisations they no longer belong to."""
    memberships = Membership.objects.filter(user=user).values("organization_id")
    return SavedView.objects.filter(user=user).filter(
        Q(organization__isnull=True) | Q(organization_id__in=memberships)
    )


def views_of(*, user: User, organization_id: int | None) -> QuerySet[SavedView]:
    """Return the user's views listed in a scope: one organisation's (and those for all), or every one."""
    views = _reachable(user)
    if organization_id is not None:
        views = views.filter(Q(organization__isnull=True) | Q(organization_id=organization_id))
    return views.select_related("organization").order_by("name", "organization__slug", "id")


def view_of(*, user: User, view_id: int) -> SavedView | None:
    """Return one of the user's views (None: no such view of theirs)."""
    if not 0 < view_id <= MAX_ROW_ID:
        return None
    return _reachable(user).select_related("organization").filter(pk=view_id).first()


def save_view(*, user: User, organization: Organization | None, name: str, query: str) -> SavedView:
    """Save a view under a name, replacing the user's view of that name in the same place."""
    name = name.strip()
    with transaction.atomic():
        view = (
            SavedView.objects.select_for_update()
            .filter(user=user, organization=organization, name=name)
            .first()
        )
        if view is None:
            if SavedView.objects.filter(user=user).count() >= MAX_VIEWS_PER_USER:
                raise ValidationError(
                    f"You already have {MAX_VIEWS_PER_USER} saved views: delete one before saving another."
                )
            view = SavedView(user=user, organization=organization, name=name)
        view.query = query
        view.full_clean()
        view.save()
    return view


def delete_view(*, user: User, view: SavedView) -> None:
    """Delete one of the user's own views."""
    if view.user_id != user.pk:
        raise PermissionDenied("A saved view is deleted by its owner only.")
    with transaction.atomic():
        view.delete()
