"""Scan jobs: accept (after the target checks), start, log, cancel, finish, reap; allow-lists; schedules.

A scan is accepted only once its target has passed every check of ``core.scans.targets``
against the organisation's allow-list; the resolved addresses are stored with it, and the
engines are given those (never the name again). It is then queued on the scans queue, by
name: its task and engines are the scanner's. A worker claims it as imports are claimed
(``core.imports.claims``), so that a worker killed mid-scan leaves a scan the reaper takes
up again (or fails, once it has lost MAX_ATTEMPTS workers), never one stuck "running".
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Any

from cronsim import CronSim, CronSimError
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from bastion.bus.app import celery_app
from bastion.bus.queues import SCAN_TASK, SCANS_QUEUE
from bastion.config import get_settings
from bastion.contracts.principal import Principal, Role
from bastion.contracts.scans import (
    ACTIVE_SCAN_STATES,
    ENGINES,
    FINISHED_SCAN_STATES,
    ScanState,
    ScanStep,
    ScanTrigger,
    TargetKind,
    engines_for,
)
from bastion.core.accounts.models import User
from bastion.core.accounts.selectors import user_of
from bastion.core.assets import services as asset_services
from bastion.core.assets.models import Asset
from bastion.core.audit import services as audit
from bastion.core.audit.models import AuditAction
from bastion.core.imports import claims
from bastion.core.imports.exceptions import DuplicateDelivery
from bastion.core.imports.models import ImportJob, WebhookDelivery
from bastion.core.imports.upload import Upload
from bastion.core.scans import selectors, targets
from bastion.core.scans.exceptions import ScanRefused
from bastion.core.scans.models import MAX_TARGET_LENGTH, AllowedRange, ScanJob, ScanSchedule
from bastion.core.tenancy.models import Organization

logger = logging.getLogger(__name__)

SCANS = "scans"  # the claims' folder
MAX_ATTEMPTS = 2
MAX_LOG_LINES = 500
MAX_PORTS_TEXT = 1000
WORKER_GONE = (
    "the worker running this scan stopped {attempts} times (killed or crashed); nothing more was run"
)
CADENCES = {"hourly": "0 * * * *", "daily": "0 2 * * *", "weekly": "0 2 * * 1"}
# What each kind of target takes as options, and how long each option's text may be.
OPTIONS: dict[TargetKind, dict[str, int]] = {
    TargetKind.REPOSITORY: {"branch": 255},
    TargetKind.HOST: {"ports": MAX_PORTS_TEXT},
    TargetKind.URL: {},
}


class Start(Enum):
    """What a worker does with a scan it was handed."""

    RUN = "run"
    DEFER = "defer"  # the organisation runs as many scans as it may: try again shortly
    SKIP = "skip"  # finished, cancelled, or run by a live worker


def log_line(step: ScanStep, *, engine: str = "", message: str = "", **counts: int) -> dict[str, Any]:
    """Return one line of a scan's log."""
    line: dict[str, Any] = {"at": timezone.now().isoformat(), "step": step.value}
    if engine:
        line["engine"] = engine
    if message:
        line["message"] = message[:2000]
    if counts:
        line["counts"] = counts
    return line


# --- accepting a scan ---------------------------------------------------------------------------


def checked_engines(kind: TargetKind, engines: list[str] | None) -> list[str]:
    """Return the engines to run: those named (each must fit the kind) or all that fit."""
    fitting = engines_for(kind)
    if not engines:
        return list(fitting)
    unknown = [name for name in engines if name not in fitting]
    if unknown:
        raise ScanRefused(
            f"engine {unknown[0]!r} does not scan a {kind.value}; use one of: {', '.join(fitting)}"
        )
    return list(dict.fromkeys(engines))


def checked_options(kind: TargetKind, options: dict[str, Any] | None) -> dict[str, str]:
    """Refuse options a kind does not take, and values that are not short texts."""
    allowed = OPTIONS[kind]
    checked: dict[str, str] = {}
    for name, value in (options or {}).items():
        if name not in allowed:
            names = ", ".join(allowed) or "none"
            raise ScanRefused(f"option {name!r} does not apply to a {kind.value} scan (options: {names})")
        if not isinstance(value, str) or len(value) > allowed[name] or "\x00" in value:
            raise ScanRefused(f"option {name!r} must be a text of at most {allowed[name]} characters")
        checked[name] = value
    ports = checked.get("ports")
    if ports is not None and not _is_port_list(ports):
        raise ScanRefused(
            "option 'ports' must list ports or ranges between 1 and 65535, e.g. '22,80,8000-8100'"
        )
    return checked


def _is_port_list(text: str) -> bool:
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            return False
        if not 1 <= int(low) <= (int(high) if high else int(low)) <= 65535:
            return False
    return True


def check_target(
    *, organization_id: int, kind: TargetKind, value: str, is_archive: bool = False
) -> tuple[str, list[str]]:
    """Check a target against the organisation's allow-list; return it normalised and its addresses.

    Raises TargetRefused (or ScanRefused) naming the reason; nothing is created either way.
    """
    if not value or len(value) > MAX_TARGET_LENGTH:
        raise ScanRefused(f"the target must be 1 to {MAX_TARGET_LENGTH} characters")
    allowed = selectors.allow_list(organization_id=organization_id)
    if kind == TargetKind.HOST:
        network = targets.resolve_network_target(value, allowed=allowed)
        return network.name or network.addresses[0], list(network.addresses)
    if kind == TargetKind.URL:
        url = targets.check_url_target(value, allowed=allowed)
        return url.url, [url.address]
    if is_archive:
        return value, []
    if value.startswith("/"):
        return str(local_repository(value)), []
    git = targets.check_git_url(value)
    host = targets.resolve_git_host(git, allowed=allowed)
    return git.url, list(host.addresses)


def local_repository(value: str) -> Path:
    """Return a local path to scan, which must lie inside BASTION_SCAN_LOCAL_ROOT (off by default)."""
    root = get_settings().scan_local_root
    if root is None:
        raise targets.TargetRefused(
            "local paths are not scanned on this server (an administrator may set BASTION_SCAN_LOCAL_ROOT)"
        )
    resolved_root = root.resolve()
    path = Path(value).resolve()
    if path != resolved_root and resolved_root not in path.parents:
        raise targets.TargetRefused(f"{value!r} is outside the directory local scans may read")
    if not path.is_dir():
        raise targets.TargetRefused(f"{value!r} is not a directory")
    return path


def request_scan(
    *,
    actor: User | None,
    asset: Asset,
    kind: TargetKind,
    target: str,
    engines: list[str] | None = None,
    options: dict[str, Any] | None = None,
    commit: str = "",
    archive_key: str = "",
    trigger: ScanTrigger = ScanTrigger.MANUAL,
    schedule: ScanSchedule | None = None,
) -> ScanJob:
    """Check a scan request and queue it; raise ScanRefused (TargetRefused) with the reason otherwise."""
    chosen = checked_engines(kind, engines)
    checked = checked_options(kind, options)
    normalised, addresses = check_target(
        organization_id=asset.organization_id, kind=kind, value=target, is_archive=bool(archive_key)
    )
    if commit:
        targets.git_checkout_arguments("/nonexistent", commit)  # the commit's form is checked here
    with transaction.atomic():
        scan = ScanJob(
            organization_id=asset.organization_id,
            asset=asset,
            schedule=schedule,
            created_by=actor,
            trigger=trigger,
            target_kind=kind,
            target=normalised,
            addresses=addresses,
            engines=chosen,
            options=checked,
            commit=commit,
            archive_key=archive_key,
            log=[log_line(ScanStep.QUEUED, message=f"{kind.value} {normalised}: {', '.join(chosen)}")],
        )
        scan.full_clean()
        scan.save()
        audit.record(
            actor=actor,
            organization=asset.organization,
            action=AuditAction.CREATE,
            instance=scan,
            changes={"scan": [None, {"target": normalised, "engines": chosen, "trigger": trigger.value}]},
        )
        transaction.on_commit(partial(queue, scan.pk))
    return scan


def queue(scan_id: str | uuid.UUID) -> None:
    """Send a scan's task to the scans queue (by name: the task is the scanner's)."""
    celery_app.send_task(SCAN_TASK, args=[str(scan_id)], queue=SCANS_QUEUE)


# --- running a scan -----------------------------------------------------------------------------


def claim_for(scan_id: str) -> claims.Claim:
    """Return the claim a worker holds while it runs a scan."""
    return claims.Claim(scan_id, model=ScanJob, folder=SCANS)


def start(*, scan_id: str, claim: claims.Claim, limit: int | None = None) -> tuple[Start, ScanJob | None]:
    """Claim a queued scan for this worker and mark it running, unless its organisation is at its limit.

    A scan whose worker died is run again by the next delivery of its message (or by the
    reaper); once MAX_ATTEMPTS runs lost their worker, it is failed instead.
    """
    limit = limit or get_settings().scans_per_organization
    now = timezone.now()
    with transaction.atomic():
        scan = (
            ScanJob.objects.select_for_update(of=("self",)).select_related("asset").filter(pk=scan_id).first()
        )
        if scan is None or scan.state in FINISHED_SCAN_STATES:
            return Start.SKIP, None
        if scan.state in ACTIVE_SCAN_STATES:
            if claims.is_alive(scan, now=now, folder=SCANS):
                return Start.SKIP, None
            if scan.state == ScanState.CANCELLING or scan.attempts >= MAX_ATTEMPTS:
                _finish_locked(scan, _lost_worker_state(scan), error=_lost_worker_error(scan))
                return Start.SKIP, None
        # One organisation's scans are counted under its row's lock: two workers cannot both pass.
        Organization.objects.select_for_update().filter(pk=scan.organization_id).first()
        active = ScanJob.objects.filter(organization_id=scan.organization_id, state__in=ACTIVE_SCAN_STATES)
        if active.exclude(pk=scan.pk).count() >= limit:
            if not scan.log or scan.log[-1].get("step") != ScanStep.DEFERRED:
                scan.log.append(
                    log_line(ScanStep.DEFERRED, message=f"waiting: {limit} scans of the organisation run")
                )
                scan.save(update_fields=["log"])
            return Start.DEFER, scan
        if not claim.acquire():
            return Start.SKIP, None
        scan.state = ScanState.RUNNING
        scan.attempts += 1
        scan.started_at = scan.heartbeat_at = now
        scan.worker = claims.this_worker()
        scan.log.append(log_line(ScanStep.STARTED, message=f"attempt {scan.attempts} on {scan.worker}"))
        scan.save(update_fields=["state", "attempts", "started_at", "heartbeat_at", "worker", "log"])
        return Start.RUN, scan


def append_log(
    *, scan_id: str | uuid.UUID, step: ScanStep, engine: str = "", message: str = "", **counts: int
) -> None:
    """Add a line to a running scan's log (the live log and its events read it)."""
    with transaction.atomic():
        scan = ScanJob.objects.select_for_update().filter(pk=scan_id).only("log").first()
        if scan is None:
            return
        scan.log = [
            *scan.log[-(MAX_LOG_LINES - 1) :],
            log_line(step, engine=engine, message=message, **counts),
        ]
        scan.save(update_fields=["log"])


def is_cancelling(scan_id: str | uuid.UUID) -> bool:
    """Tell whether someone asked for a running scan to stop."""
    return ScanJob.objects.filter(pk=scan_id, state=ScanState.CANCELLING).exists()


def add_import(*, scan_id: str | uuid.UUID, job: ImportJob) -> None:
    """Count what one engine's import did into the scan's totals."""
    with transaction.atomic():
        scan = ScanJob.objects.select_for_update().filter(pk=scan_id).first()
        if scan is None:
            return
        scan.imports = [*scan.imports, str(job.pk)]
        scan.parsed += job.parsed
        scan.new += job.new
        scan.reopened += job.reopened
        scan.resolved += job.resolved
        scan.save(update_fields=["imports", "parsed", "new", "reopened", "resolved"])


def request_cancel(*, actor: User | None, scan: ScanJob) -> ScanJob:
    """Cancel a queued scan at once, or ask the worker running it to stop (it kills its engine)."""
    with transaction.atomic():
        locked = ScanJob.objects.select_for_update().get(pk=scan.pk)
        if locked.state == ScanState.QUEUED:
            _finish_locked(locked, ScanState.CANCELLED, error="", message="cancelled before it started")
        elif locked.state == ScanState.RUNNING:
            locked.state = ScanState.CANCELLING
            who = actor.email if actor is not None else "Bastion"
            locked.log.append(log_line(ScanStep.CANCELLING, message=f"cancelled by {who}"))
            locked.save(update_fields=["state", "log"])
        if locked.state != scan.state:
            audit.record(
                actor=actor,
                organization=scan.asset.organization,
                action=AuditAction.UPDATE,
                instance=locked,
                changes={"state": [scan.state, locked.state]},
            )
        return locked


def finish(*, scan_id: str | uuid.UUID, state: ScanState, error: str = "") -> ScanJob | None:
    """End a scan: completed, failed with the reason, or cancelled (a cancelling scan ends cancelled)."""
    with transaction.atomic():
        scan = ScanJob.objects.select_for_update().filter(pk=scan_id).first()
        if scan is None or scan.state in FINISHED_SCAN_STATES:
            return scan
        if scan.state == ScanState.CANCELLING and state == ScanState.COMPLETED:
            state = ScanState.CANCELLED
        _finish_locked(scan, state, error=error)
    claims.forget(scan_id, SCANS)
    return scan


def _finish_locked(scan: ScanJob, state: ScanState, *, error: str, message: str = "") -> None:
    scan.state = state
    scan.error = error[:5000]
    scan.finished_at = timezone.now()
    summary = message or error or f"{scan.parsed} found, {scan.new} new, {scan.resolved} resolved"
    scan.log.append(log_line(ScanStep.DONE, message=f"{state.value}: {summary}"))
    scan.save(update_fields=["state", "error", "finished_at", "log"])


def _lost_worker_state(scan: ScanJob) -> ScanState:
    return ScanState.CANCELLED if scan.state == ScanState.CANCELLING else ScanState.FAILED


def _lost_worker_error(scan: ScanJob) -> str:
    return "" if scan.state == ScanState.CANCELLING else WORKER_GONE.format(attempts=scan.attempts)


def reap(*, now: datetime | None = None) -> dict[str, int]:
    """Take up the running scans whose worker is gone: queue them again, or end them; return how many."""
    now = now or timezone.now()
    counts = {"requeued": 0, "ended": 0}
    active = ScanJob.objects.filter(state__in=ACTIVE_SCAN_STATES).only("pk", "worker", "heartbeat_at")
    for running in active:
        if claims.is_alive(running, now=now, folder=SCANS):
            continue
        with transaction.atomic():
            scan = (
                ScanJob.objects.select_for_update()
                .filter(pk=running.pk, state__in=ACTIVE_SCAN_STATES)
                .first()
            )
            if scan is None or claims.is_alive(scan, now=now, folder=SCANS):
                continue
            if scan.state == ScanState.CANCELLING or scan.attempts >= MAX_ATTEMPTS:
                _finish_locked(scan, _lost_worker_state(scan), error=_lost_worker_error(scan))
                counts["ended"] += 1
                continue
            logger.warning(
                "scan %s: its worker %s is gone; queued again", scan.pk, scan.worker or "(unknown)"
            )
            scan.state, scan.worker, scan.heartbeat_at = ScanState.QUEUED, "", None
            scan.log.append(log_line(ScanStep.QUEUED, message="its worker stopped; queued again"))
            scan.save(update_fields=["state", "worker", "heartbeat_at", "log"])
            transaction.on_commit(partial(queue, scan.pk))
            counts["requeued"] += 1
    return counts


def active_counts() -> dict[int, int]:
    """Return how many scans run per organisation (for operators and tests)."""
    rows = (
        ScanJob.objects.filter(state__in=ACTIVE_SCAN_STATES).values("organization_id").annotate(n=Count("pk"))
    )
    return {row["organization_id"]: row["n"] for row in rows}


# --- the allow-list -----------------------------------------------------------------------------


def add_allowed_range(
    *, actor: User | None, organization: Organization, value: str, note: str = ""
) -> AllowedRange:
    """Allow scans of a range, address or host name (stored in canonical form); idempotent."""
    canonical = targets.normalise_allow_list_entry(value.strip())
    with transaction.atomic():
        entry, created = AllowedRange.objects.get_or_create(
            organization=organization, value=canonical, defaults={"note": note[:200], "created_by": actor}
        )
        if created:
            audit.record_creation(actor=actor, organization=organization, instance=entry)
    return entry


def remove_allowed_range(*, actor: User | None, entry: AllowedRange) -> None:
    """Stop allowing scans of a range (scans already accepted keep their checked addresses)."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            organization=entry.organization,
            action=AuditAction.DELETE,
            instance=entry,
            changes={"value": [entry.value, None]},
        )
        entry.delete()


# --- schedules ----------------------------------------------------------------------------------


def normalise_cron(text: str) -> str:
    """Return a five-field cron expression (``hourly``, ``daily``, ``weekly`` accepted); refuse a bad one."""
    expression = CADENCES.get(text.strip().lower(), " ".join(text.split()))
    try:
        CronSim(expression, timezone.now())
    except (CronSimError, ValueError) as error:
        raise ScanRefused(
            f"{text!r} is not a cron expression (five fields, or hourly, daily, weekly): {error}"
        ) from None
    return expression


def next_run(cron: str, after: datetime) -> datetime:
    """Return when a schedule runs next after ``after`` (UTC)."""
    return next(CronSim(cron, after))


def save_schedule(
    *,
    actor: User | None,
    asset: Asset,
    kind: TargetKind,
    target: str,
    cron: str,
    engines: list[str] | None = None,
    options: dict[str, Any] | None = None,
    is_enabled: bool = True,
    schedule: ScanSchedule | None = None,
) -> ScanSchedule:
    """Create (or change) a schedule; its target passes the checks a scan's does, now and at each run."""
    chosen = checked_engines(kind, engines)
    checked = checked_options(kind, options)
    normalised, _ = check_target(organization_id=asset.organization_id, kind=kind, value=target)
    expression = normalise_cron(cron)
    with transaction.atomic():
        is_new = schedule is None
        row = schedule or ScanSchedule(organization_id=asset.organization_id, asset=asset, created_by=actor)
        row.target_kind, row.target, row.cron = kind, normalised, expression
        row.engines, row.options, row.is_enabled = chosen, checked, is_enabled
        row.next_run_at = next_run(expression, timezone.now()) if is_enabled else None
        row.full_clean()
        row.save()
        if is_new:
            audit.record_creation(actor=actor, organization=asset.organization, instance=row)
        else:
            audit.record(
                actor=actor,
                organization=asset.organization,
                action=AuditAction.UPDATE,
                instance=row,
                changes={
                    "schedule": [None, {"target": normalised, "cron": expression, "enabled": is_enabled}]
                },
            )
    return row


def delete_schedule(*, actor: User | None, schedule: ScanSchedule) -> None:
    """Remove a schedule (its past scans stay)."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            organization=schedule.asset.organization,
            action=AuditAction.DELETE,
            instance=schedule,
            changes={"target": [schedule.target, None]},
        )
        schedule.delete()


def run_due_schedules(*, now: datetime | None = None) -> dict[str, int]:
    """Start a scan for every enabled schedule that is due (beat calls this every minute).

    Each schedule is taken under its row's lock and moved to its next run first, so that two
    beats (or a slow one) never start it twice; a target the allow-list no longer admits is
    logged and skipped, the schedule kept.
    """
    now = now or timezone.now()
    counts = {"started": 0, "refused": 0}
    due = ScanSchedule.objects.filter(is_enabled=True, next_run_at__lte=now).values_list("pk", flat=True)
    for schedule_id in list(due):
        with transaction.atomic():
            schedule = (
                ScanSchedule.objects.select_for_update()
                .select_related("asset__organization")
                .filter(pk=schedule_id, is_enabled=True, next_run_at__lte=now)
                .first()
            )
            if schedule is None:
                continue
            schedule.last_run_at = now
            schedule.next_run_at = next_run(schedule.cron, now)
            schedule.save(update_fields=["last_run_at", "next_run_at"])
            try:
                with transaction.atomic():
                    request_scan(
                        actor=None,
                        asset=schedule.asset,
                        kind=TargetKind(schedule.target_kind),
                        target=schedule.target,
                        engines=schedule.engines or None,
                        options=schedule.options,
                        trigger=ScanTrigger.SCHEDULE,
                        schedule=schedule,
                    )
            except ScanRefused as refused:
                logger.warning("schedule %s: its scan was refused: %s", schedule.pk, refused)
                counts["refused"] += 1
                continue
            counts["started"] += 1
    return counts


def engine_tool(engine: str) -> str:
    """Return the tool name an engine's findings carry."""
    return ENGINES[engine].tool


# --- a request from the API -------------------------------------------------------------------

ASSET_KINDS = {
    TargetKind.REPOSITORY: "repository",
    TargetKind.HOST: "host",
    TargetKind.URL: "web_application",
}


def accept(
    *,
    principal: Principal,
    kind: TargetKind,
    target: str,
    asset_id: int | None = None,
    organization_slug: str = "",
    engines: list[str] | None = None,
    options: dict[str, Any] | None = None,
    commit: str = "",
    archive: Upload | None = None,
) -> ScanJob:
    """Take a caller's scan request: its asset (found or created from the target), its archive, the scan.

    Either the scan is queued, or nothing is left behind (no asset, no stored archive) and
    a ScanRefused says why. The spooled archive is gone either way.
    """
    stored: list[str] = []
    try:
        if archive is not None and kind != TargetKind.REPOSITORY:
            raise ScanRefused("an archive is a repository's tree: send it with a repository target")
        with transaction.atomic():
            actor = user_of(principal)
            if asset_id is not None:
                asset = selectors.asset_to_scan(principal=principal, asset_id=asset_id)
            else:
                organization = selectors.organization_for(
                    principal=principal, slug=organization_slug, at_least=Role.ANALYST
                )
                normalised, _ = check_target(
                    organization_id=organization.pk, kind=kind, value=target, is_archive=archive is not None
                )
                asset = _asset_for(actor=actor, organization=organization, kind=kind, identifier=normalised)
            archive_key = ""
            if archive is not None:
                archive_key = f"scans/{asset.organization_id}/{uuid.uuid4().hex}"
                stored.append(archive_key)
                with archive.path.open("rb") as handle:
                    archive_key = str(storages["reports"].save(archive_key, File(handle, name=archive_key)))
                stored.append(archive_key)
            return request_scan(
                actor=actor,
                asset=asset,
                kind=kind,
                target=target,
                engines=engines,
                options=options,
                commit=commit,
                archive_key=archive_key,
            )
    except BaseException:
        for key in stored:
            storages["reports"].delete(key)
        raise
    finally:
        if archive is not None:
            archive.discard()


def _asset_for(*, actor: User | None, organization: Organization, kind: TargetKind, identifier: str) -> Asset:
    asset_kind = ASSET_KINDS[kind]
    existing = (
        Asset.objects.in_organization(organization.pk).filter(kind=asset_kind, identifier=identifier).first()
    )
    if existing is not None:
        return existing
    return asset_services.create_asset(
        actor=actor, organization=organization, kind=asset_kind, identifier=identifier, name=identifier[:200]
    )


# --- a push from a git forge ----------------------------------------------------------------------


def repository_key(url: str) -> str:
    """Return what two spellings of one repository's URL share: host lower-cased, no ``.git``, no ``/``."""
    text = url.strip().rstrip("/")
    text = text.removesuffix(".git")
    scheme, separator, rest = text.partition("://")
    if separator:
        host, slash, path = rest.partition("/")
        return f"{scheme.lower()}://{host.lower()}{slash}{path}"
    return text


def scan_push(*, organization_id: int, delivery_id: str, urls: tuple[str, ...], commit: str) -> list[ScanJob]:
    """Scan, at the pushed commit, every asset of the organisation that scans the pushed repository.

    An asset scans a repository when one of its schedules targets it, or when it is a
    repository asset with that URL as its identifier. The delivery is recorded first: a replay
    raises DuplicateDelivery. A target the checks now refuse is skipped (and logged).
    """
    keys = {repository_key(url) for url in urls}
    started: list[ScanJob] = []
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookDelivery.objects.create(organization_id=organization_id, delivery_id=delivery_id)
        except IntegrityError as error:
            raise DuplicateDelivery("this delivery was already received") from error
        plans: dict[tuple[int, str], list[str] | None] = {}
        schedules = ScanSchedule.objects.in_organization(organization_id).filter(
            target_kind=TargetKind.REPOSITORY
        )
        for schedule in schedules.select_related("asset"):
            if repository_key(schedule.target) in keys:
                plans.setdefault((schedule.asset_id, schedule.target), schedule.engines or None)
        assets = Asset.objects.in_organization(organization_id).filter(
            kind=ASSET_KINDS[TargetKind.REPOSITORY]
        )
        for asset in assets.only("pk", "identifier"):
            if repository_key(asset.identifier) in keys:
                plans.setdefault((asset.pk, asset.identifier), None)
        for (asset_id, target), engines in plans.items():
            asset = Asset.objects.select_related("organization").get(pk=asset_id)
            try:
                with transaction.atomic():
                    started.append(
                        request_scan(
                            actor=None,
                            asset=asset,
                            kind=TargetKind.REPOSITORY,
                            target=target,
                            engines=engines,
                            commit=commit,
                            trigger=ScanTrigger.PUSH,
                        )
                    )
            except ScanRefused as refused:
                logger.warning("push %s: the scan of %s was refused: %s", delivery_id, target, refused)
    return started
