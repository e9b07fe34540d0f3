"""Saved views on the findings list: save the list's query under a name, apply a view, delete one.

What is saved is the list's query string through the list's own form: only the parameters the list
knows, and only when its filters are valid for the caller. A view saved with an organisation chosen
in the switcher carries that organisation as its ``organization`` filter, so it shows the same rows
wherever it is applied. Applying a view normalises its query again: a stored row can lead nowhere
but to the findings list with known parameters.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from bastion.core.accounts.models import User
from bastion.core.findings import saved_views, selectors
from bastion.core.tenancy.models import Organization
from bastion.core.web.findings import listing
from bastion.core.web.findings.forms import SaveViewForm
from bastion.core.web.findings.redirects import back_to_list
from bastion.core.web.scope import Scope, scope_of


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _list_url(query: str) -> str:
    return f"{reverse('web:findings')}?{query}" if query else reverse("web:findings")


def normalised(query: QueryDict, *, scope: Scope) -> str | None:
    """Return the query of the list's known parameters (with the chosen organisation), None when the
    list would refuse its filters."""
    findings = selectors.findings_in_scope(principal=scope.principal, organization_id=scope.organization_id)
    filterset = listing.filterset_for(
        query, principal=scope.principal, findings=findings, organization_id=scope.organization_id
    )
    if not filterset.is_valid():
        return None
    if scope.organization is not None and not query.get("organization"):
        query = query.copy()
        query["organization"] = scope.organization.organization_slug
    return listing.known_query(query)


def list_context(request: HttpRequest, *, user: User, scope: Scope) -> dict[str, Any]:
    """Return what the list page shows of the user's views: each view, and the form that saves one."""
    current = listing.known_query(request.GET)
    views = [
        {
            "view": view,
            "url": reverse("web:findings-view", args=[view.pk]),
            "delete_url": reverse("web:findings-view-delete", args=[view.pk]),
            "dialog_id": f"delete-view-{view.pk}",
            "delete_title": f"Delete the view “{view.name}”?",
            # With every organisation shown, say which one a view keeps to.
            "organization": view.organization.slug if view.organization and not scope.organization else None,
            "is_current": listing.known_query(QueryDict(view.query)) == current,
        }
        for view in saved_views.views_of(user=user, organization_id=scope.organization_id)
    ]
    query = request.GET.copy()
    query.pop("cursor", None)
    form = SaveViewForm(initial={"query": query.urlencode()}, auto_id="save-view-%s")
    return {"saved_views": views, "save_view_form": form}


@require_POST
@login_required
def save(request: HttpRequest) -> HttpResponse:
    """Save the list's current filters, sort and columns as one of the user's views."""
    scope = scope_of(request)
    form = SaveViewForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(f"{error}" for errors in form.errors.values() for error in errors)
        messages.error(request, f"The view was not saved: {problems}")
        return back_to_list(request)
    query = normalised(QueryDict(form.cleaned_data["query"]), scope=scope)
    if query is None:
        messages.error(request, "The view was not saved: correct the filters first.")
        return back_to_list(request)
    organization = (
        None
        if scope.organization_id is None
        else Organization.objects.for_principal(scope.principal).get(pk=scope.organization_id)
    )
    try:
        view = saved_views.save_view(
            user=_user(request), organization=organization, name=form.cleaned_data["name"], query=query
        )
    except ValidationError as error:
        messages.error(request, f"The view was not saved: {' '.join(error.messages)}")
        return back_to_list(request)
    messages.success(request, f"View “{view.name}” saved.")
    return HttpResponseRedirect(_list_url(view.query))


@require_GET
@login_required
def apply(request: HttpRequest, view_id: int) -> HttpResponse:
    """Show the list as one of the user's views has it."""
    view = saved_views.view_of(user=_user(request), view_id=view_id)
    if view is None:
        raise Http404("No saved view of yours has this id.")
    return HttpResponseRedirect(_list_url(listing.known_query(QueryDict(view.query))))


@require_POST
@login_required
def delete(request: HttpRequest, view_id: int) -> HttpResponse:
    """Delete one of the user's views."""
    user = _user(request)
    view = saved_views.view_of(user=user, view_id=view_id)
    if view is None:
        raise Http404("No saved view of yours has this id.")
    saved_views.delete_view(user=user, view=view)
    messages.success(request, f"View “{view.name}” deleted.")
    return back_to_list(request)
