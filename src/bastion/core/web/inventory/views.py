"""The assets and engagements pages: lists, an asset's page, and forms that write through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.assets import services as asset_services
from bastion.core.assets.models import Asset
from bastion.core.engagements import services as engagement_services
from bastion.core.engagements.models import Engagement
from bastion.core.findings import selectors as finding_selectors
from bastion.core.web import links
from bastion.core.web.inventory import queries
from bastion.core.web.inventory.forms import (
    ASSET_FIELDS,
    ENGAGEMENT_FIELDS,
    AssetForm,
    EngagementForm,
    add_model_errors,
)
from bastion.core.web.scope import principal_of, scope_of

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _severity_counts(asset: Asset) -> list[dict[str, Any]]:
    slug = asset.organization.slug
    return [
        {
            "severity": severity,
            "count": getattr(asset, f"open_{severity}"),
            "url": links.findings_url(
                organization=slug, asset=asset.pk, status=links.ACTIVE, severity=severity
            ),
        }
        for severity in queries.SEVERITIES
    ]


@require_GET
@login_required
def asset_list(request: HttpRequest) -> HttpResponse:
    """List the assets in scope with their open findings by severity."""
    scope = scope_of(request)
    assets = queries.with_open_counts(
        queries.assets_in_scope(principal=scope.principal, organization_id=scope.organization_id)
    )
    page = Paginator(assets, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"asset": asset, "counts": _severity_counts(asset)} for asset in page]
    return render(
        request,
        "web/inventory/asset_list.html",
        {
            "page": page,
            "rows": rows,
            "can_manage": queries.can_manage(scope.principal),
            "severities": queries.SEVERITIES,
        },
    )


@require_GET
@login_required
def asset_detail(request: HttpRequest, asset_id: int) -> HttpResponse:
    """Show an asset: its open findings by severity, worst findings, imports, engagements and trend."""
    principal = principal_of(request)
    asset = queries.asset_for(principal=principal, asset_id=asset_id)
    counted = queries.with_open_counts(
        queries.assets_in_scope(principal=principal, organization_id=None)
    ).get(pk=asset.pk)
    weeks = finding_selectors.weekly_opened_and_closed(queries.findings_of(asset))
    slug = asset.organization.slug
    return render(
        request,
        "web/inventory/asset_detail.html",
        {
            "asset": asset,
            "counts": _severity_counts(counted),
            "findings_url": links.findings_url(organization=slug, asset=asset.pk),
            "open_findings_url": links.findings_url(organization=slug, asset=asset.pk, status=links.ACTIVE),
            "findings": queries.latest_active_findings(asset),
            "imports": queries.imports_of(asset),
            "engagements": asset.engagements.all(),
            "weeks": weeks,
            "trend_chart": {
                "labels": [week.starts_on.strftime("%d %b") for week in weeks],
                "series": [
                    {"label": "Opened", "data": [week.opened for week in weeks]},
                    {"label": "Closed", "data": [week.closed for week in weeks]},
                ],
            },
            "can_manage": queries.can_manage(principal, asset.organization_id),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def asset_create(request: HttpRequest) -> HttpResponse:
    """Create an asset in an organisation the caller administers."""
    principal = principal_of(request)
    if not queries.can_manage(principal):
        raise PermissionDenied("Creating assets needs the admin role.")
    form = AssetForm(request.POST or None, principal=principal, is_new=True)
    if request.method == "POST" and form.is_valid():
        try:
            asset = asset_services.create_asset(
                actor=_actor(request),
                organization=form.cleaned_data["organization"],
                **{name: form.cleaned_data[name] for name in ASSET_FIELDS},
            )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, f"Asset {asset.name} created.")
            return HttpResponseRedirect(reverse("web:asset", args=[asset.pk]))
    return render(request, "web/inventory/asset_form.html", {"form": form, "asset": None})


@require_http_methods(["GET", "POST"])
@login_required
def asset_edit(request: HttpRequest, asset_id: int) -> HttpResponse:
    """Change an asset of an organisation the caller administers."""
    principal = principal_of(request)
    asset = queries.asset_for(principal=principal, asset_id=asset_id)
    if not queries.can_manage(principal, asset.organization_id):
        raise PermissionDenied("Changing assets needs the admin role.")
    form = AssetForm(
        request.POST or None,
        instance=queries.asset_for(principal=principal, asset_id=asset_id),
        principal=principal,
        is_new=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            asset_services.update_asset(
                actor=_actor(request), asset=asset, **{name: form.cleaned_data[name] for name in ASSET_FIELDS}
            )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, f"Asset {asset.name} saved.")
            return HttpResponseRedirect(reverse("web:asset", args=[asset.pk]))
    return render(request, "web/inventory/asset_form.html", {"form": form, "asset": asset})


@require_GET
@login_required
def engagement_list(request: HttpRequest) -> HttpResponse:
    """List the engagements in scope with their open findings."""
    scope = scope_of(request)
    engagements = queries.with_open_finding_count(
        queries.engagements_in_scope(principal=scope.principal, organization_id=scope.organization_id)
    )
    page = Paginator(engagements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/inventory/engagement_list.html",
        {
            "page": page,
            "can_manage": queries.can_manage(scope.principal),
            "managed_ids": scope.principal.organization_ids(at_least=Role.ADMIN),
            "has_assets": queries.assets_in_scope(principal=scope.principal, organization_id=None).exists(),
        },
    )


def _engagement_form_page(request: HttpRequest, engagement: Engagement | None) -> HttpResponse:
    principal = principal_of(request)
    form = EngagementForm(request.POST or None, instance=engagement, principal=principal)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ENGAGEMENT_FIELDS}
        try:
            if engagement is None:
                saved = engagement_services.create_engagement(actor=_actor(request), **fields)
            else:
                saved = engagement_services.update_engagement(
                    actor=_actor(request), engagement=engagement, **fields
                )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, f"Engagement {saved.name} saved.")
            return HttpResponseRedirect(reverse("web:engagements"))
    return render(request, "web/inventory/engagement_form.html", {"form": form, "engagement": engagement})


@require_http_methods(["GET", "POST"])
@login_required
def engagement_create(request: HttpRequest) -> HttpResponse:
    """Create an engagement on an asset the caller administers."""
    if not queries.can_manage(principal_of(request)):
        raise PermissionDenied("Creating engagements needs the admin role.")
    return _engagement_form_page(request, None)


@require_http_methods(["GET", "POST"])
@login_required
def engagement_edit(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """Change an engagement of an organisation the caller administers."""
    principal = principal_of(request)
    engagement = queries.engagement_for(principal=principal, engagement_id=engagement_id)
    if not queries.can_manage(principal, engagement.organization_id):
        raise PermissionDenied("Changing engagements needs the admin role.")
    return _engagement_form_page(request, engagement)
