"""detect-secrets: committed credentials. The secret itself never leaves this module.

Started as ``python -I -m detect_secrets -C CODE_DIR scan FILE``: ``-C`` makes the code
directory the scan's root (a file outside the root is skipped) without it being the working
directory.
"""

from __future__ import annotations

import sys
from typing import Any

import orjson

from bastion.agent.engines.base import Workspace
from bastion.agent.engines.runner import run_limited
from bastion.agent.exceptions import EngineFailed
from bastion.agent.knowledge.cwe import CATALOGUE
from bastion.agent.redaction import redact
from bastion.contracts.analysis import Confidence, Source, Vulnerability
from bastion.contracts.finding import Severity

NAME = "detect-secrets"
LANGUAGES = frozenset({"python", "javascript", "typescript", "java", "go"})
# Detectors whose matches are almost never accidental.
PRECISE = frozenset({"AWS Access Key", "Private Key", "GitHub Token", "Slack Token", "Stripe Access Key"})


async def scan(workspace: Workspace, *, time_limit: float, memory_mb: int) -> list[Vulnerability]:
    """Run detect-secrets on the workspace's file; report where and what kind, never the value."""
    completed = await run_limited(
        [
            sys.executable, "-I", "-m", "detect_secrets", "-C", str(workspace.code), "--cores", "1",
            "scan", str(workspace.path),
        ],
        name=NAME,
        workspace=workspace,
        time_limit=time_limit,
        memory_mb=memory_mb,
    )  # fmt: skip
    if completed.returncode != 0:
        raise EngineFailed(f"detect-secrets failed (exit {completed.returncode})")
    try:
        report = orjson.loads(completed.stdout)
    except orjson.JSONDecodeError as error:
        raise EngineFailed("detect-secrets wrote no JSON report") from error
    results: list[dict[str, Any]] = [
        result for found in report.get("results", {}).values() for result in found
    ]
    return [_vulnerability(result) for result in results]


def _vulnerability(result: dict[str, Any]) -> Vulnerability:
    # Only the kind and the line are read: hashed_secret and the value are dropped here.
    kind = redact(str(result.get("type", "Secret")))
    line = int(result.get("line_number", 1))
    slug = kind.lower().replace(" ", "-")
    is_precise = kind in PRECISE
    return Vulnerability(
        rule_id=f"detect-secrets.{slug}",
        title=f"{kind} in source code",
        severity=Severity.HIGH if is_precise else Severity.MEDIUM,
        cwe="CWE-798",
        line_start=line,
        line_end=line,
        message=f"A value that looks like a {kind.lower()} is written in the code on line {line}.",
        fix=CATALOGUE[798].fix,
        source=Source.DETECT_SECRETS,
        confidence=Confidence.HIGH if is_precise else Confidence.MEDIUM,
    )
