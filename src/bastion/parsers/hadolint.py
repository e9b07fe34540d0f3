"""Hadolint JSON (``hadolint -f json Dockerfile...``): a flat array of rule violations.

Severity: hadolint's levels ``error`` → high, ``warning`` → medium, ``info`` → low,
``style`` (and anything unknown) → info.

Fingerprint: rule code (``DL3008``, ``SC2086``), file path and line. Hadolint
reports no code snippet, so the line is the only anchor that tells two
violations of one rule in one Dockerfile apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser

LEVELS = {
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "info": Severity.LOW,
    "style": Severity.INFO,
}
# A hadolint rule ("DL3008") or a ShellCheck rule it runs on RUN lines ("SC2086").
RULE_CODE = re.compile(r'"code"\s*:\s*"(?:DL|SC)\d{4}"')


class HadolintParser(ReportParser):
    """Hadolint's JSON report."""

    name = "hadolint"
    label = "Hadolint JSON"
    defectdojo_scan_types = ("Hadolint Dockerfile check",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("["):
            return 0
        markers = ('"level"', '"message"', '"column"', '"file"')
        if RULE_CODE.search(text) and all(marker in text for marker in markers):
            return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        for position, item in readers.iter_json(stream, "item", required=True):
            violation = readers.expect_mapping(item, position)
            code = str(violation["code"])
            path = str(violation["file"])
            line = values.as_int(violation.get("line"))
            level = str(violation.get("level") or "").lower()
            message = violation.get("message")
            yield NormalizedFinding(
                title=text.title(message, fallback=code),
                severity=LEVELS.get(level, Severity.INFO),
                tool="hadolint",
                rule_id=code,
                description=text.clip(message),
                location=FindingLocation(file_path=path, line_start=line, line_end=line),
                references=_references(code),
                tags=(f"level:{level}",) if level else (),
                fingerprint=grouping.fingerprint("hadolint", code, path, line),
            )


def _references(code: str) -> tuple[str, ...]:
    if code.startswith("DL"):
        return (f"https://github.com/hadolint/hadolint/wiki/{code}",)
    if code.startswith("SC"):
        return (f"https://www.shellcheck.net/wiki/{code}",)
    return ()


PARSER = HadolintParser()
