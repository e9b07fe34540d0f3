"""Scans Bastion runs itself: target kinds, states, engines and steps, declared once.

The core stores them (``core.scans``), the scanner validates requests against them and runs
the engines, the web application shows them: each reads this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TargetKind(StrEnum):
    """What a scan looks at."""

    REPOSITORY = "repository"
    HOST = "host"
    URL = "url"


class ScanState(StrEnum):
    """Where a scan stands. A cancelled, completed or failed scan is finished for good."""

    QUEUED = "queued"
    RUNNING = "running"
    CANCELLING = "cancelling"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED_SCAN_STATES = frozenset({ScanState.COMPLETED, ScanState.FAILED, ScanState.CANCELLED})
ACTIVE_SCAN_STATES = frozenset({ScanState.RUNNING, ScanState.CANCELLING})


class ScanTrigger(StrEnum):
    """Who started a scan."""

    MANUAL = "manual"
    SCHEDULE = "schedule"
    PUSH = "push"


class ScanStep(StrEnum):
    """The kinds of line in a scan's log (and of its server-sent events)."""

    QUEUED = "queued"
    STARTED = "started"
    FETCHING = "fetching"
    ENGINE_STARTED = "engine-started"
    ENGINE_FINISHED = "engine-finished"
    ENGINE_FAILED = "engine-failed"
    IMPORTING = "importing"
    IMPORTED = "imported"
    DEFERRED = "deferred"
    CANCELLING = "cancelling"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """An engine: its name in requests, the target kind it fits, the tool its findings carry."""

    name: str
    kind: TargetKind
    tool: str
    label: str


ENGINES: dict[str, EngineInfo] = {
    engine.name: engine
    for engine in (
        EngineInfo("sast", TargetKind.REPOSITORY, "bastion-sast", "Code analysis (Semgrep rules, Bandit)"),
        EngineInfo("secrets", TargetKind.REPOSITORY, "bastion-secrets", "Secrets (detect-secrets)"),
        EngineInfo(
            "dependencies",
            TargetKind.REPOSITORY,
            "bastion-dependency-audit",
            "Dependency audit (OSV advisory database)",
        ),
        EngineInfo("services", TargetKind.HOST, "bastion-nmap", "Service discovery (nmap)"),
        EngineInfo("web", TargetKind.URL, "bastion-web", "TLS configuration and HTTP security headers"),
    )
}


def engines_for(kind: TargetKind) -> tuple[str, ...]:
    """Return the names of the engines that fit a target kind, in the order they run."""
    return tuple(name for name, engine in ENGINES.items() if engine.kind == kind)
