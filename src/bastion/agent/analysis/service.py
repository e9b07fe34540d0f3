"""Analyse code: run the engines that fit its language, merge, score; a model reviews if configured."""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Awaitable, Callable
from types import ModuleType

from bastion.agent.analysis import scoring
from bastion.agent.analysis.reconcile import reconcile
from bastion.agent.engines import bandit, secrets, semgrep
from bastion.agent.engines.base import Workspace, workspace
from bastion.agent.exceptions import EngineFailed
from bastion.config import get_settings
from bastion.contracts.analysis import AnalyzeRequest, AnalyzeResponse, EngineRun, Source, Vulnerability

ENGINES: dict[str, tuple[ModuleType, ...]] = {
    "security": (bandit, semgrep, secrets),
    "secrets": (secrets,),
}
# When two engines report the same weakness on the same line, the more specific one is kept.
SOURCE_PRIORITY = {Source.SEMGREP: 3, Source.BANDIT: 2, Source.DETECT_SECRETS: 1, Source.MODEL: 0}

Review = Callable[
    [AnalyzeRequest, list[Vulnerability]], Awaitable[tuple[list[Vulnerability], str | None, str]]
]


_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def _slot() -> asyncio.Semaphore:
    """At most ``BASTION_CONCURRENT_ANALYSES`` analyses run at once per process; the rest wait."""
    return _slots.setdefault(
        asyncio.get_running_loop(), asyncio.Semaphore(get_settings().concurrent_analyses)
    )


async def analyze(request: AnalyzeRequest, *, review: Review | None = None) -> AnalyzeResponse:
    """Run the engines on the code in a temporary directory and answer with scored results."""
    async with _slot():
        return await _analyze(request, review=review)


async def _analyze(request: AnalyzeRequest, *, review: Review | None) -> AnalyzeResponse:
    settings = get_settings()
    engines = [engine for engine in ENGINES[request.scan_type] if request.language in engine.LANGUAGES]
    with workspace(request.code, language=request.language, filename=request.filename) as created:
        outcomes = await asyncio.gather(
            *(
                _timed(engine, created, settings.analysis_timeout_seconds, settings.analysis_memory_mb)
                for engine in engines
            )
        )
    runs = [run for run, _ in outcomes]
    semgrep_ran = any(run.name == semgrep.NAME and run.error is None for run in runs)
    vulnerabilities = merge(reconcile([v for _, found in outcomes for v in found], semgrep_ran=semgrep_ran))
    explanation, model = None, None
    if review is not None:
        vulnerabilities, explanation, model = await review(request, vulnerabilities)
    return AnalyzeResponse(
        vulnerabilities=vulnerabilities,
        risk_score=scoring.risk_score(vulnerabilities),
        recommendations=scoring.recommendations(vulnerabilities, runs),
        engines=runs,
        explanation=explanation,
        model=model,
    )


async def _timed(
    engine: ModuleType, workspace: Workspace, time_limit: float, memory_mb: int
) -> tuple[EngineRun, list[Vulnerability]]:
    started = time.perf_counter()
    try:
        found: list[Vulnerability] = await engine.scan(workspace, time_limit=time_limit, memory_mb=memory_mb)
        error = None
    except EngineFailed as failure:
        found, error = [], str(failure)
    elapsed = int((time.perf_counter() - started) * 1000)
    return EngineRun(name=engine.NAME, findings=len(found), duration_ms=elapsed, error=error), found


def merge(vulnerabilities: list[Vulnerability]) -> list[Vulnerability]:
    """Keep one result per (line, weakness), the most severe and specific; order by line."""
    kept: dict[tuple[int, str], Vulnerability] = {}
    for vulnerability in vulnerabilities:
        key = (vulnerability.line_start, vulnerability.cwe or vulnerability.rule_id)
        current = kept.get(key)
        if current is None or _rank(vulnerability) > _rank(current):
            kept[key] = vulnerability
    return sorted(kept.values(), key=lambda v: (v.line_start, -v.severity.rank, v.rule_id))


def _rank(vulnerability: Vulnerability) -> tuple[int, int]:
    return vulnerability.severity.rank, SOURCE_PRIORITY[vulnerability.source]
