"""Links to the findings list with a filter, in the query parameters of ``/api/v1/findings``."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from bastion.contracts.finding import Severity
from bastion.core.findings.choices import ACTIVE_STATUSES, Status

FINDINGS_PATH = "/findings/"
#: The active statuses, in workflow order, as the list's ``status`` filter repeats them.
ACTIVE = [status.value for status in Status if status in ACTIVE_STATUSES]


def findings_url(*, organization: str | None, **filters: object) -> str:
    """Return the findings list's URL for these filters (a list value repeats its parameter)."""
    parameters: list[tuple[str, object]] = []
    if organization is not None:
        parameters.append(("organization", organization))
    for name, value in filters.items():
        values = value if isinstance(value, list) else [value]
        parameters.extend((name, item) for item in values)
    return f"{FINDINGS_PATH}?{urlencode(parameters)}"


def open_findings(*, organization: str | None, severity: Severity | None = None) -> str:
    """Return the link to the active findings (of one severity)."""
    if severity is None:
        return findings_url(organization=organization, status=ACTIVE)
    return findings_url(organization=organization, status=ACTIVE, severity=severity.value)


def first_seen_in_week(*, organization: str | None, starts_on: date) -> str:
    """Return the link to the findings first seen in the week starting ``starts_on``."""
    start = datetime.combine(starts_on, time.min)
    end = datetime.combine(date.fromordinal(starts_on.toordinal() + 7), time.min)
    return findings_url(
        organization=organization,
        first_seen_after=start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        first_seen_before=end.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def _instant(moment: datetime) -> str:
    """Return an instant as the list's date-time filters take it (UTC, to the second)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def resolved_in_week(*, organization: str | None, starts_on: date) -> str:
    """Return the link to the findings resolved (and still resolved) in the week starting ``starts_on``."""
    return findings_url(
        organization=organization,
        status=Status.RESOLVED.value,
        resolved_after=_instant(_midnight(starts_on)),
        resolved_before=_instant(_midnight(starts_on + timedelta(days=7))),
    )


def due_within(*, organization: str | None, today: date, days: int) -> str:
    """Return the link to the active findings due from ``today`` to ``days`` days later, both included."""
    return findings_url(
        organization=organization,
        status=ACTIVE,
        sla_due_after=today.isoformat(),
        sla_due_before=(today + timedelta(days=days + 1)).isoformat(),
    )


def remediated(*, organization: str | None, severity: Severity, until: datetime) -> str:
    """Return the link to the resolved findings of one severity that a mean time to remediate
    computed at ``until`` is over (those with a resolution time, up to that moment)."""
    # The bound is the next whole second: the filter's "before" is exclusive and drops the fraction.
    bound = until.replace(microsecond=0) + timedelta(seconds=1)
    return findings_url(
        organization=organization,
        status=Status.RESOLVED.value,
        severity=severity.value,
        resolved_before=_instant(bound),
    )
