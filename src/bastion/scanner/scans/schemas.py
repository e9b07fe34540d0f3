"""What the scanner takes and answers about scans, allow-lists and schedules."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from bastion.contracts.scans import TargetKind
from bastion.core.scans.models import MAX_TARGET_LENGTH, AllowedRange, ScanJob, ScanSchedule


def _no_nul(value: str) -> str:
    """Refuse a text the database cannot hold (PostgreSQL has no NUL in text)."""
    if "\x00" in value:
        raise ValueError("must not contain NUL bytes")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]


class ScanTargetIn(BaseModel):
    """What to scan."""

    model_config = ConfigDict(extra="forbid")

    kind: TargetKind
    value: Text = Field(min_length=1, max_length=MAX_TARGET_LENGTH)


class ScanRequest(BaseModel):
    """A scan to start (the body of ``POST /scanner/v1/scans``)."""

    model_config = ConfigDict(extra="forbid")

    target: ScanTargetIn
    asset: int | None = Field(default=None, description="found or created from the target when absent")
    organization: Text = Field(default="", max_length=100, description="when the asset is found or created")
    engines: list[Text] | None = Field(default=None, max_length=10)
    options: dict[Text, Text] | None = Field(default=None, max_length=10)
    commit: Text = Field(default="", max_length=64, description="a repository scan's commit (full hex id)")


class ScanAccepted(BaseModel):
    """The answer to a scan request: where to follow it."""

    id: str
    state: str
    status_url: str
    events_url: str


class ScanStatus(BaseModel):
    """A scan's state, its log and what its imports did."""

    id: str
    organization: str
    asset: int
    trigger: str
    target: dict[str, str]
    addresses: list[str]
    engines: list[str]
    options: dict[str, Any]
    commit: str
    state: str
    error: str
    parsed: int
    new: int
    reopened: int
    resolved: int
    imports: list[str]
    log: list[dict[str, Any]]
    created_at: str
    started_at: str | None
    finished_at: str | None


class AllowedRangeIn(BaseModel):
    """A range, address or host name to allow scans of."""

    model_config = ConfigDict(extra="forbid")

    value: Text = Field(min_length=1, max_length=255)
    note: Text = Field(default="", max_length=200)
    organization: Text = Field(default="", max_length=100)


class AllowedRangeOut(BaseModel):
    """An allow-list entry."""

    id: int
    organization: str
    value: str
    note: str
    created_at: str


class ScheduleIn(BaseModel):
    """A scan to run on a cron expression (UTC): five fields, or hourly, daily, weekly."""

    model_config = ConfigDict(extra="forbid")

    asset: int
    target: ScanTargetIn
    cron: Text = Field(min_length=1, max_length=100)
    engines: list[Text] | None = Field(default=None, max_length=10)
    options: dict[Text, Text] | None = Field(default=None, max_length=10)
    enabled: bool = True


class ScheduleOut(BaseModel):
    """A scan schedule."""

    id: int
    asset: int
    target: dict[str, str]
    cron: str
    engines: list[str]
    options: dict[str, Any]
    enabled: bool
    next_run_at: str | None
    last_run_at: str | None


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def scan_status(scan: ScanJob) -> ScanStatus:
    """Describe a scan (its organisation selected with it)."""
    return ScanStatus(
        id=str(scan.pk),
        organization=scan.organization.slug,
        asset=scan.asset_id,
        trigger=scan.trigger,
        target={"kind": scan.target_kind, "value": scan.target},
        addresses=list(scan.addresses),
        engines=list(scan.engines),
        options=dict(scan.options),
        commit=scan.commit,
        state=scan.state,
        error=scan.error,
        parsed=scan.parsed,
        new=scan.new,
        reopened=scan.reopened,
        resolved=scan.resolved,
        imports=list(scan.imports),
        log=list(scan.log),
        created_at=scan.created_at.isoformat(),
        started_at=_iso(scan.started_at),
        finished_at=_iso(scan.finished_at),
    )


def scan_accepted(scan: ScanJob) -> ScanAccepted:
    """Say where to follow an accepted scan."""
    status_url = f"/scanner/v1/scans/{scan.pk}"
    return ScanAccepted(
        id=str(scan.pk), state=scan.state, status_url=status_url, events_url=f"{status_url}/events"
    )


def allowed_range_out(entry: AllowedRange) -> AllowedRangeOut:
    """Describe an allow-list entry (its organisation selected with it)."""
    return AllowedRangeOut(
        id=entry.pk,
        organization=entry.organization.slug,
        value=entry.value,
        note=entry.note,
        created_at=entry.created_at.isoformat(),
    )


def schedule_out(schedule: ScanSchedule) -> ScheduleOut:
    """Describe a schedule."""
    return ScheduleOut(
        id=schedule.pk,
        asset=schedule.asset_id,
        target={"kind": schedule.target_kind, "value": schedule.target},
        cron=schedule.cron,
        engines=list(schedule.engines),
        options=dict(schedule.options),
        enabled=schedule.is_enabled,
        next_run_at=_iso(schedule.next_run_at),
        last_run_at=_iso(schedule.last_run_at),
    )
