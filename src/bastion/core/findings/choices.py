"""Choices for finding fields, and the status workflow's allowed transitions."""

from __future__ import annotations

from django.db import models

from bastion.contracts.finding import Severity

SEVERITY_CHOICES = [(severity.value, severity.value.title()) for severity in Severity]


class Status(models.TextChoices):
    """Where a finding is in its life."""

    OPEN = "open", "Open"
    TRIAGED = "triaged", "Triaged"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"
    REOPENED = "reopened", "Reopened"
    FALSE_POSITIVE = "false_positive", "False positive"
    RISK_ACCEPTED = "risk_accepted", "Risk accepted"


#: The longest reason or risk justification a transition keeps (the API and the pages alike).
REASON_MAX_LENGTH = 5_000
#: The longest free-text search (longer is no search a person types; SQLite's LIKE has a limit).
SEARCH_MAX_LENGTH = 1_000

#: The statuses in which a finding still needs work (and its SLA runs).
ACTIVE_STATUSES = frozenset({Status.OPEN, Status.TRIAGED, Status.IN_PROGRESS, Status.REOPENED})
#: Statuses an analyst sets aside; both go back to open.
SET_ASIDE_STATUSES = frozenset({Status.FALSE_POSITIVE, Status.RISK_ACCEPTED})

#: Every allowed move: the forward workflow, reopening, and from any active state resolving by
#: hand (in one step: any later import that still reports the finding reopens it) or setting aside.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.OPEN: frozenset({Status.TRIAGED, Status.RESOLVED, Status.FALSE_POSITIVE, Status.RISK_ACCEPTED}),
    Status.TRIAGED: frozenset(
        {Status.IN_PROGRESS, Status.RESOLVED, Status.FALSE_POSITIVE, Status.RISK_ACCEPTED}
    ),
    Status.IN_PROGRESS: frozenset({Status.RESOLVED, Status.FALSE_POSITIVE, Status.RISK_ACCEPTED}),
    Status.RESOLVED: frozenset({Status.REOPENED}),
    Status.REOPENED: frozenset(
        {
            Status.TRIAGED,
            Status.IN_PROGRESS,
            Status.RESOLVED,
            Status.FALSE_POSITIVE,
            Status.RISK_ACCEPTED,
        }
    ),
    Status.FALSE_POSITIVE: frozenset({Status.OPEN}),
    Status.RISK_ACCEPTED: frozenset({Status.OPEN}),
}


def is_allowed(current: Status, target: Status) -> bool:
    """Tell whether the workflow allows moving from ``current`` to ``target``."""
    return target in TRANSITIONS[current]


#: Moves the import pipeline makes on its own: a full rescan that no longer reports a
#: finding resolves it from any active state; a resolved finding seen again reopens.
SYSTEM_TRANSITIONS: dict[Status, frozenset[Status]] = {
    **{status: frozenset({Status.RESOLVED}) for status in ACTIVE_STATUSES},
    Status.RESOLVED: frozenset({Status.REOPENED}),
}
