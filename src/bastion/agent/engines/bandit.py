"""Bandit: Python's security linter, run as ``python -I -m bandit -f json`` on the file.

A repository's Python files go to one Bandit run (``scan_files``): starting the interpreter and
loading Bandit's plugins costs more than analysing a typical file.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bastion.agent.engines.base import Workspace
from bastion.agent.engines.runner import run_limited
from bastion.agent.exceptions import EngineFailed
from bastion.agent.knowledge.cwe import GENERIC_FIX, weakness
from bastion.agent.redaction import redact
from bastion.contracts.analysis import Confidence, Source, Vulnerability
from bastion.contracts.finding import Severity

NAME = "bandit"
LANGUAGES = frozenset({"python"})
SEVERITIES = {"HIGH": Severity.HIGH, "MEDIUM": Severity.MEDIUM, "LOW": Severity.LOW}
CONFIDENCES = {"HIGH": Confidence.HIGH, "MEDIUM": Confidence.MEDIUM, "LOW": Confidence.LOW}
# Not vulnerabilities in themselves: asserts, try/except/pass, importing a module that *can*
# be misused (the call that misuses it is reported on its own line), and starting a process
# from an argument list (the safe way; B602/B605 report the shell).
SKIPPED_TESTS = ("B101", "B110", "B112", "B603", "B607", *(f"B{n}" for n in range(401, 416)))


async def scan(workspace: Workspace, *, time_limit: float, memory_mb: int) -> list[Vulnerability]:
    """Run Bandit on the workspace's file and map its results."""
    report = await scan_files(workspace, [workspace.path], time_limit=time_limit, memory_mb=memory_mb)
    if report.errors:
        raise EngineFailed(f"bandit could not analyse the code: {report.errors[0][1]}")
    return report.found.get(workspace.path, [])


@dataclass(frozen=True)
class FilesReport:
    """What one Bandit run found, by file, and the files it could not analyse (with the reason)."""

    found: dict[Path, list[Vulnerability]]
    errors: list[tuple[Path, str]]


async def scan_files(
    workspace: Workspace, paths: Sequence[Path], *, time_limit: float, memory_mb: int
) -> FilesReport:
    """Run Bandit once on many files of the workspace (absolute paths) and map its results to each."""
    completed = await run_limited(
        [
            sys.executable,
            "-I",
            "-m",
            "bandit",
            "--format",
            "json",
            "--quiet",
            "--skip",
            ",".join(SKIPPED_TESTS),
            "--",
            *(str(path) for path in paths),
        ],
        name=NAME,
        workspace=workspace,
        time_limit=time_limit,
        memory_mb=memory_mb,
    )
    # Bandit exits 1 when it found something, 0 when not; anything else is a failure.
    if completed.returncode not in (0, 1):
        raise EngineFailed(f"bandit failed (exit {completed.returncode})")
    try:
        report = orjson.loads(completed.stdout)
    except orjson.JSONDecodeError as error:
        raise EngineFailed("bandit wrote no JSON report") from error
    found: dict[Path, list[Vulnerability]] = defaultdict(list)
    for result in report.get("results", []):
        found[Path(str(result.get("filename")))].append(_vulnerability(result))
    errors = [
        (Path(str(error.get("filename"))), redact(str(error.get("reason", "unknown error"))))
        for error in report.get("errors", [])
    ]
    return FilesReport(found=dict(found), errors=errors)


def _vulnerability(result: dict[str, Any]) -> Vulnerability:
    cwe_id = (result.get("issue_cwe") or {}).get("id") or None
    entry = weakness(cwe_id)
    lines = result.get("line_range") or [result["line_number"]]
    test_name = str(result.get("test_name", result["test_id"]))
    # "Possible hardcoded password: '<the password>'": the value goes here, before anything else.
    text = redact(str(result.get("issue_text", "")))
    # The "blacklist" tests all share one name: their message says what was called.
    title = text.split(",")[0].split(".")[0][:80] if test_name == "blacklist" else test_name.replace("_", " ")
    return Vulnerability(
        rule_id=f"bandit.{result['test_id']}",
        title=title[:1].upper() + title[1:],
        severity=SEVERITIES.get(result.get("issue_severity", ""), Severity.LOW),
        cwe=f"CWE-{cwe_id}" if cwe_id else None,
        line_start=min(lines),
        line_end=max(lines),
        message=text,
        fix=entry.fix if entry else GENERIC_FIX,
        source=Source.BANDIT,
        confidence=CONFIDENCES.get(result.get("issue_confidence", ""), Confidence.MEDIUM),
    )
