"""detect-secrets: committed credentials. The secret itself never leaves this module.

Started as ``python -I -m detect_secrets -C CODE_DIR scan FILE...``: ``-C`` makes the code
directory the scan's root (a file outside the root is skipped) without it being the working
directory. A repository's text files go to one run (``scan_files``).

A repository scan also says which value was found without saying the value: a SHA-256 hash of it
(the same secret in two files, or committed again, is recognisable) and its first characters
(``AKIA****``), enough to tell a cloud key from a password. detect-secrets reports only a SHA-1
hash of the value; the value is found again here by hashing the pieces of the reported line until
one matches that hash, so what is hashed and masked is exactly what the detector saw, or nothing.
"""

from __future__ import annotations

import asyncio
import bisect
import hashlib
import itertools
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
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


# Recovering a value: only lines this long are searched, for values at most this long.
MAX_SEARCHED_LINE = 1000
MAX_VALUE_LENGTH = 256
MAX_PIECES = 50_000  # a few hundredths of a second a line, whatever the line
# Where a value can start or end: next to any character that is not a letter or a digit.
BOUNDARY = re.compile(r"(?<![A-Za-z0-9])|(?![A-Za-z0-9])")
# At most this many characters of a value are shown, and never more than a quarter of it.
MASKED_PREFIX = 4
MASK = "****"


@dataclass(frozen=True)
class Found:
    """A secret detect-secrets found: where and what kind, and the value's hash and prefix, never the value.

    ``value_sha256`` and ``masked`` are None when the value could not be found again on its line.
    """

    vulnerability: Vulnerability
    value_sha256: str | None
    masked: str | None


async def scan(workspace: Workspace, *, time_limit: float, memory_mb: int) -> list[Vulnerability]:
    """Run detect-secrets on the workspace's file; report where and what kind, never the value."""
    results = await _detect(workspace, [workspace.path], time_limit=time_limit, memory_mb=memory_mb)
    return [_vulnerability(result) for result in results]


async def scan_files(
    workspace: Workspace, paths: Sequence[Path], *, time_limit: float, memory_mb: int
) -> dict[Path, list[Found]]:
    """Run detect-secrets once on many files under the workspace's ``code/``; return what each holds."""
    results = await _detect(workspace, paths, time_limit=time_limit, memory_mb=memory_mb)
    return await asyncio.to_thread(_found, results)


def _found(results: list[dict[str, Any]]) -> dict[Path, list[Found]]:
    """Map results to each file, with the hash and prefix of the value read back from its line."""
    found: dict[Path, list[Found]] = defaultdict(list)
    lines: dict[Path, list[str]] = {}
    for result in results:
        path = Path(str(result.get("filename")))
        if path not in lines:
            lines[path] = path.read_text(encoding="utf-8", errors="replace").splitlines()
        line_number = int(result.get("line_number", 1))
        text = lines[path][line_number - 1] if 0 < line_number <= len(lines[path]) else ""
        value = _value(text, str(result.get("hashed_secret", "")))
        found[path].append(
            Found(
                vulnerability=_vulnerability(result),
                value_sha256=hashlib.sha256(value.encode()).hexdigest() if value else None,
                masked=_masked(value) if value else None,
            )
        )
    return dict(found)


async def _detect(
    workspace: Workspace, paths: Sequence[Path], *, time_limit: float, memory_mb: int
) -> list[dict[str, Any]]:
    """Run detect-secrets on the files and return its results, each naming its file."""
    completed = await run_limited(
        [
            sys.executable, "-I", "-m", "detect_secrets", "-C", str(workspace.code), "--cores", "1",
            "scan", "--", *(str(path) for path in paths),
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
    return [result for found in report.get("results", {}).values() for result in found]


def _value(line: str, hashed_secret: str) -> str | None:
    """Return the piece of the line whose SHA-1 is detect-secrets' hash of the value, if there is one."""
    if not hashed_secret or len(line) > MAX_SEARCHED_LINE:
        return None
    for candidate in itertools.islice(_pieces(line), MAX_PIECES):
        if hashlib.sha1(candidate.encode(), usedforsecurity=False).hexdigest() == hashed_secret:
            return candidate
    return None


def _pieces(line: str) -> Iterator[str]:
    """Yield the line's pieces that start and end at a word boundary, up to ``MAX_VALUE_LENGTH`` long.

    A value is a word, a run of words and punctuation (a key in a quoted string, a password with
    symbols), or the whole of a quoted string: each starts and ends next to a character that is
    not a letter or a digit, or at the line's ends.
    """
    positions = sorted({match.start() for match in BOUNDARY.finditer(line)})
    for index, start in enumerate(positions):
        last = bisect.bisect_right(positions, start + MAX_VALUE_LENGTH)
        for end in positions[index + 1 : last]:
            yield line[start:end]


def _masked(value: str) -> str:
    """Return the value's first characters (at most a quarter of it) followed by a mask."""
    return value[: min(MASKED_PREFIX, len(value) // 4)] + MASK


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
