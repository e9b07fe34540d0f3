"""Semgrep with Bastion's own rules (``rules/<language>/``), from its own virtual environment.

Semgrep runs offline: metrics and the version check are off (without that it waits on a DNS
lookup of its home site), and it is started through its native CLI (``--experimental``),
which answers in a fraction of a second where the Python wrapper takes several. Its entry
point is a Python console script: it runs under its own interpreter with ``-I``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson

from bastion.agent.engines.base import Workspace
from bastion.agent.engines.runner import installation, run_limited
from bastion.agent.exceptions import EngineFailed
from bastion.agent.knowledge.cwe import GENERIC_FIX
from bastion.agent.redaction import redact
from bastion.config import get_settings
from bastion.contracts.analysis import Confidence, Language, Source, Vulnerability
from bastion.contracts.finding import Severity

NAME = "semgrep"
LANGUAGES = frozenset({"python", "javascript", "typescript", "java", "go"})
RULES = Path(__file__).parent / "rules"
RULE_DIRECTORIES: dict[str, str] = {
    "python": "python",
    "javascript": "javascript",
    "typescript": "javascript",
    "java": "java",
    "go": "go",
}
SEVERITIES = {"ERROR": Severity.HIGH, "WARNING": Severity.MEDIUM, "INFO": Severity.LOW}
CONFIDENCES = {"HIGH": Confidence.HIGH, "MEDIUM": Confidence.MEDIUM, "LOW": Confidence.LOW}
OFFLINE = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off", "NO_COLOR": "1"}


def rules_for(language: Language) -> Path:
    """Return the directory of rules for a language."""
    return RULES / RULE_DIRECTORIES[language]


def command(binary: Path) -> list[str]:
    """Return how to start Semgrep: a Python script under its interpreter in isolated mode.

    ``binary`` is usually the ``semgrep`` console script of its virtual environment; any other
    program (a native build, a wrapper through ``env``) is started as it is.
    """
    with binary.open("rb") as handle:
        first_line = handle.readline(512)
    words = first_line[2:].split() if first_line.startswith(b"#!") else []
    interpreter = Path(os.fsdecode(words[0])) if words else None
    if interpreter is not None and interpreter.is_absolute() and interpreter.name.startswith("python"):
        return [str(interpreter), "-I", str(binary)]
    return [str(binary)]


async def scan(workspace: Workspace, *, time_limit: float, memory_mb: int) -> list[Vulnerability]:
    """Run Semgrep with the language's rules on the workspace's file and map its results."""
    binary = get_settings().resolved_semgrep_bin
    if not binary.exists():
        raise EngineFailed("semgrep is not installed (run `make install`)")
    rules = rules_for(workspace.language)
    completed = await run_limited(
        [
            *command(binary), "--experimental", "--config", str(rules),
            "--json", "--quiet", "--metrics=off", "--disable-version-check", "--no-git-ignore",
            "--timeout", str(max(1, int(time_limit) - 1)), "--max-memory", str(memory_mb),
            str(workspace.path),
        ],
        name=NAME,
        workspace=workspace,
        time_limit=time_limit,
        memory_mb=0,  # the OCaml runtime reserves address space up front: Semgrep's own limit applies
        environment=OFFLINE,
        expose=[rules, *installation(str(binary))],
    )  # fmt: skip
    try:
        report = orjson.loads(completed.stdout)
    except orjson.JSONDecodeError as error:
        raise EngineFailed(f"semgrep failed (exit {completed.returncode})") from error
    fatal = [
        e for e in report.get("errors", []) if e.get("level") == "error" and "Syntax" not in e.get("type", "")
    ]
    if fatal and not report.get("results"):
        raise EngineFailed(f"semgrep failed: {redact(str(fatal[0].get('message', 'unknown error')))[:200]}")
    return [_vulnerability(result) for result in report.get("results", [])]


def _vulnerability(result: dict[str, Any]) -> Vulnerability:
    extra = result.get("extra", {})
    metadata = extra.get("metadata", {})
    cwes = metadata.get("cwe") or []
    cwe = str(cwes[0] if isinstance(cwes, list) and cwes else cwes).split(":", 1)[0] or None
    # A rule's message may quote what it matched ($VALUE): redacted before anything else.
    message = redact(" ".join(str(extra.get("message", "")).split()))
    return Vulnerability(
        rule_id=str(result["check_id"]),
        title=redact(str(metadata.get("title") or message[:80])),
        severity=SEVERITIES.get(extra.get("severity", ""), Severity.MEDIUM),
        cwe=cwe,
        line_start=int(result["start"]["line"]),
        line_end=int(result["end"]["line"]),
        message=message,
        fix=str(metadata.get("fix") or GENERIC_FIX),
        source=Source.SEMGREP,
        confidence=CONFIDENCES.get(str(metadata.get("confidence", "")).upper(), Confidence.MEDIUM),
    )
