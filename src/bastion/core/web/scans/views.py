"""The scan pages: start a scan and read the history, follow one scan's log, keep targets and schedules.

Reads go through ``core.scans.selectors`` and writes through ``core.scans.services``, the same
functions the scanner's API calls, so a page refuses what the API refuses, with the same
reasons: a refused target is said next to the form's field, and nothing is created. A scan,
entry or schedule of another organisation is a 404; a role below the one needed is a 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bastion.contracts.principal import Principal, Role
from bastion.contracts.scans import ENGINES, FINISHED_SCAN_STATES, ScanState, TargetKind
from bastion.core.accounts.models import User
from bastion.core.imports.models import ImportJob
from bastion.core.scans import selectors, services
from bastion.core.scans.exceptions import ScanForbidden, ScanNotFound, ScanRefused
from bastion.core.scans.models import ScanJob, ScanSchedule
from bastion.core.web import links
from bastion.core.web.scans.forms import (
    AllowedRangeForm,
    ScanFilterForm,
    ScanForm,
    ScheduleForm,
    sentence,
)
from bastion.core.web.scope import Scope, principal_of, scope_of

PAGE_SIZE = 50
CANCELLABLE = frozenset({ScanState.QUEUED, ScanState.RUNNING})


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


@contextmanager
def _answered() -> Iterator[None]:
    """Answer a lookup's refusals: 404 outside the caller's organisations, 403 below the role needed."""
    try:
        yield
    except ScanNotFound as missing:
        raise Http404("No such scan, schedule or allow-list entry.") from missing
    except ScanForbidden as forbidden:
        raise PermissionDenied(sentence(str(forbidden))) from forbidden


def _may(principal: Principal, role: Role, organization_id: int | None = None) -> bool:
    """Tell whether the caller holds ``role`` (in one organisation, or in any of theirs)."""
    if organization_id is None:
        return bool(principal.organization_ids(at_least=role))
    held = principal.role_in(organization_id)
    return held is not None and held.allows(role)


def _in_scope(scope: Scope, rows: Any) -> Any:
    """Keep the rows of the organisation chosen in the switcher (all of the caller's otherwise)."""
    return rows if scope.organization_id is None else rows.filter(organization_id=scope.organization_id)


# --- the history and the new-scan form ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def scans(request: HttpRequest) -> HttpResponse:
    """Show the new-scan form (to analysts and above) and the history of scans in scope."""
    scope = scope_of(request)
    may_scan = _may(scope.principal, Role.ANALYST)
    if request.method == "POST" and not may_scan:
        raise PermissionDenied(sentence(selectors.SCANNING_NEEDS))
    initial = {
        "kind": TargetKind.HOST.value,
        "organization": scope.organization.organization_slug if scope.organization else "",
    }
    form = ScanForm(request.POST or None, principal=scope.principal, initial=initial)
    if request.method == "POST" and form.is_valid():
        scan = _accept(form, scope.principal)
        if scan is not None:
            messages.success(request, f"Scan of {scan.target} queued.")
            return HttpResponseRedirect(reverse("web:scan", args=[scan.pk]))
    filters = ScanFilterForm(request.GET or None, principal=scope.principal, auto_id="filter-%s")
    asset_id, state = None, ""
    if filters.is_valid():
        asset = filters.cleaned_data["asset"]
        asset_id, state = (asset.pk if asset else None), filters.cleaned_data["state"]
    history = _in_scope(scope, selectors.scans_for(principal=scope.principal, asset_id=asset_id, state=state))
    page = Paginator(history, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/scans/scans.html",
        {
            "form": form,
            "may_scan": may_scan,
            "filters": filters,
            "is_filtered": bool(asset_id or state),
            "page": page,
            "query": query.urlencode(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _accept(form: ScanForm, principal: Principal) -> ScanJob | None:
    """Start the form's scan through the service; on a refusal, say why next to the field and return None."""
    data = form.cleaned_data
    asset = data["asset"]
    try:
        return services.accept(
            principal=principal,
            kind=TargetKind(data["kind"]),
            target=data["target"],
            asset_id=asset.pk if asset else None,
            organization_slug="" if asset else data["organization"],
            engines=data["engines"],
            options=data["options"],
            commit=data["commit"],
        )
    except ScanForbidden as forbidden:
        raise PermissionDenied(sentence(str(forbidden))) from forbidden
    except ScanNotFound as missing:
        form.add_error("asset" if asset else "organization", sentence(str(missing)))
    except ScanRefused as refused:  # the target, or its resolution against the allow-list
        form.add_error("target", sentence(str(refused)))
    return None


# --- one scan -------------------------------------------------------------------------------------


def _scan_for(request: HttpRequest, scan_id: uuid.UUID, at_least: Role = Role.VIEWER) -> ScanJob:
    with _answered():
        return selectors.scan_for(principal=principal_of(request), scan_id=str(scan_id), at_least=at_least)


def _log_context(request: HttpRequest, scan: ScanJob) -> dict[str, Any]:
    """Return what the live log shows: the state, counts, every line of the log, the imports made."""
    imports = (
        ImportJob.objects.for_principal(principal_of(request))
        .filter(pk__in=scan.imports)
        .order_by("created_at")
    )
    return {
        "scan": scan,
        "is_finished": scan.state in FINISHED_SCAN_STATES,
        "lines": [_line(line) for line in scan.log],
        "imports": imports,
    }


def _line(line: dict[str, Any]) -> dict[str, Any]:
    """Return a log line as the table shows it (its time parsed, its counts in words)."""
    try:
        at: datetime | None = datetime.fromisoformat(str(line.get("at", "")))
    except ValueError:
        at = None
    counts = line.get("counts") or {}
    return {
        "at": at,
        "step": str(line.get("step", "")),
        "engine": str(line.get("engine", "")),
        "message": str(line.get("message", "")),
        "counts": ", ".join(f"{name} {value}" for name, value in counts.items()),
    }


@require_GET
@login_required
def scan_detail(request: HttpRequest, scan_id: uuid.UUID) -> HttpResponse:
    """Show a scan: its target and addresses, engines, and its log, which refreshes itself while it runs."""
    scan = _scan_for(request, scan_id)
    principal = principal_of(request)
    return render(
        request,
        "web/scans/scan_detail.html",
        {
            **_log_context(request, scan),
            "engines": [ENGINES[name].label if name in ENGINES else name for name in scan.engines],
            "may_cancel": scan.state in CANCELLABLE and _may(principal, Role.ANALYST, scan.organization_id),
            "findings_url": links.findings_url(organization=scan.organization.slug, asset=scan.asset_id),
        },
    )


@require_GET
@login_required
def scan_log(request: HttpRequest, scan_id: uuid.UUID) -> HttpResponse:
    """Return the scan's live-log fragment (htmx polls it every second until the scan is finished)."""
    scan = _scan_for(request, scan_id)
    return render(request, "web/scans/log.html", _log_context(request, scan))


@require_POST
@login_required
def cancel_scan(request: HttpRequest, scan_id: uuid.UUID) -> HttpResponse:
    """Cancel a queued scan at once, or ask the worker running it to stop its engine."""
    scan = _scan_for(request, scan_id, at_least=Role.ANALYST)
    cancelled = services.request_cancel(actor=_actor(request), scan=scan)
    if cancelled.state == ScanState.CANCELLED and scan.state != ScanState.CANCELLED:
        messages.success(request, "Scan cancelled.")
    elif cancelled.state == ScanState.CANCELLING:
        messages.success(request, "Cancelling: the worker stops the scan's engine within seconds.")
    else:
        messages.error(request, f"The scan is {cancelled.state}: there is nothing to cancel.")
    return HttpResponseRedirect(reverse("web:scan", args=[scan.pk]))


# --- targets: the allow-list and schedules ---------------------------------------------------------


@require_GET
@login_required
def scan_targets(request: HttpRequest) -> HttpResponse:
    """Show the allow-list (kept by owners) and the schedules (kept by analysts and above)."""
    return _targets_page(request)


def _targets_page(
    request: HttpRequest,
    *,
    allow_form: AllowedRangeForm | None = None,
    schedule_form: ScheduleForm | None = None,
) -> HttpResponse:
    scope = scope_of(request)
    principal = scope.principal
    initial = {"organization": scope.organization.organization_slug if scope.organization else ""}
    schedules = _in_scope(scope, selectors.schedules_for(principal=principal))
    return render(
        request,
        "web/scans/targets.html",
        {
            "entries": [
                {"entry": entry, "may_remove": _may(principal, Role.OWNER, entry.organization_id)}
                for entry in _in_scope(scope, selectors.allowed_ranges_for(principal=principal))
            ],
            "may_allow": _may(principal, Role.OWNER),
            "allow_form": allow_form
            or AllowedRangeForm(principal=principal, initial=initial, auto_id="allow-%s"),
            "schedules": [
                {
                    "schedule": schedule,
                    "engines": ", ".join(schedule.engines) or "every engine of its kind",
                    "may_change": _may(principal, Role.ANALYST, schedule.organization_id),
                }
                for schedule in schedules
            ],
            "may_schedule": _may(principal, Role.ANALYST),
            "schedule_form": schedule_form
            or ScheduleForm(
                principal=principal, initial={"kind": TargetKind.HOST.value}, auto_id="schedule-%s"
            ),
        },
        status=400 if (allow_form or schedule_form) else 200,
    )


def _back_to_targets(section: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("web:scan-targets") + f"#{section}")


@require_POST
@login_required
def add_allowed_range(request: HttpRequest) -> HttpResponse:
    """Allow scans of a range, address or host name in an organisation the caller owns."""
    principal = principal_of(request)
    if not _may(principal, Role.OWNER):
        raise PermissionDenied(sentence(selectors.ALLOW_LIST_NEEDS))
    form = AllowedRangeForm(request.POST, principal=principal, auto_id="allow-%s")
    if not form.is_valid():
        return _targets_page(request, allow_form=form)
    with _answered():
        organization = selectors.organization_for(
            principal=principal, slug=form.cleaned_data["organization"], at_least=Role.OWNER
        )
    try:
        entry = services.add_allowed_range(
            actor=_actor(request),
            organization=organization,
            value=form.cleaned_data["value"],
            note=form.cleaned_data["note"],
        )
    except ScanRefused as refused:
        form.add_error("value", sentence(str(refused)))
        return _targets_page(request, allow_form=form)
    messages.success(request, f"Scans of {entry.value} are allowed in {organization.slug}.")
    return _back_to_targets("allow-list")


@require_POST
@login_required
def remove_allowed_range(request: HttpRequest, range_id: int) -> HttpResponse:
    """Stop allowing scans of an entry (the organisation's owner only)."""
    with _answered():
        entry = selectors.allowed_range_for(principal=principal_of(request), range_id=range_id)
    value = entry.value
    services.remove_allowed_range(actor=_actor(request), entry=entry)
    messages.success(request, f"Scans of {value} are no longer allowed.")
    return _back_to_targets("allow-list")


def _schedule_fields(form: ScheduleForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "kind": TargetKind(data["kind"]),
        "target": data["target"],
        "cron": data["cron"],
        "engines": data["engines"],
        "options": data["options"],
        "is_enabled": data["is_enabled"],
    }


@require_POST
@login_required
def create_schedule(request: HttpRequest) -> HttpResponse:
    """Scan an asset's target on a cron expression (UTC)."""
    principal = principal_of(request)
    if not _may(principal, Role.ANALYST):
        raise PermissionDenied(sentence(selectors.SCANNING_NEEDS))
    form = ScheduleForm(request.POST, principal=principal, auto_id="schedule-%s")
    if not form.is_valid():
        return _targets_page(request, schedule_form=form)
    with _answered():
        asset = selectors.asset_to_scan(principal=principal, asset_id=form.cleaned_data["asset"].pk)
    try:
        schedule = services.save_schedule(actor=_actor(request), asset=asset, **_schedule_fields(form))
    except ScanRefused as refused:
        form.add_error("target", sentence(str(refused)))
        return _targets_page(request, schedule_form=form)
    messages.success(request, f"Scans of {schedule.target} scheduled ({schedule.cron}, UTC).")
    return _back_to_targets("schedules")


def _schedule_for(request: HttpRequest, schedule_id: int) -> ScanSchedule:
    with _answered():
        return selectors.schedule_for(
            principal=principal_of(request), schedule_id=schedule_id, at_least=Role.ANALYST
        )


@require_http_methods(["GET", "POST"])
@login_required
def edit_schedule(request: HttpRequest, schedule_id: int) -> HttpResponse:
    """Change a schedule's target, cron, engines or options (its asset stays)."""
    schedule = _schedule_for(request, schedule_id)
    form = ScheduleForm(request.POST or None, principal=principal_of(request), schedule=schedule)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_schedule(
                actor=_actor(request), asset=schedule.asset, schedule=schedule, **_schedule_fields(form)
            )
        except ScanRefused as refused:
            form.add_error("target", sentence(str(refused)))
        else:
            messages.success(request, f"Schedule of {schedule.asset.name} saved.")
            return _back_to_targets("schedules")
    return render(
        request,
        "web/scans/schedule_form.html",
        {"form": form, "schedule": schedule},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@login_required
def delete_schedule(request: HttpRequest, schedule_id: int) -> HttpResponse:
    """Remove a schedule (its scans stay in the history)."""
    schedule = _schedule_for(request, schedule_id)
    name = schedule.asset.name
    services.delete_schedule(actor=_actor(request), schedule=schedule)
    messages.success(request, f"Schedule of {name} deleted.")
    return _back_to_targets("schedules")
