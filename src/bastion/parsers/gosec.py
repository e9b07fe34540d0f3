"""gosec JSON (``gosec -fmt=json``), the Go security checker.

Findings are the ``Issues`` array, streamed. Current versions state the gosec
version (``GosecVersion``) after the issues, so it is read by a second pass when
the stream can seek. ``line`` is a number or a range (``"42-44"``) as a string.

Fingerprint: rule id (``G104``), file path and the flagged code with whitespace
folded — not the line number, which moves whenever lines are added above. Since
gosec 2.x the ``code`` field holds the flagged lines with a line of context either
side, each prefixed ``"<number>: "``; only the flagged lines, without their numbers,
go into the fingerprint, so neither moved lines nor edited neighbours change it.
The same code flagged by the same rule at several places in one file is numbered
in report order (the first keeps the plain fingerprint), so each place keeps its
own fingerprint; a report that repeats one place repeats its fingerprint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser

_RULE_ID = re.compile(r'"rule_id"\s*:\s*"G\d{3}"')
_NUMBERED = re.compile(r"^(\d+):\s?(.*)$")


class GosecParser(ReportParser):
    """gosec's JSON report."""

    name = "gosec"
    label = "gosec JSON"
    defectdojo_scan_types = ("Gosec Scanner",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        if '"Golang errors"' in text or '"GosecVersion"' in text:
            return 100
        if '"Issues"' in text and _RULE_ID.search(text):
            return 90
        # Older reports with no issues: {"Issues": [], "Stats": {..., "nosec": 0, "found": 0}}
        if '"Issues"' in text and '"Stats"' in text and '"nosec"' in text:
            return 80
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        repeats = grouping.RepeatCounter()
        for record in readers.JsonReader(stream, ["Issues.item"], late=["GosecVersion"], required=["Issues"]):
            version = values.text(record.context.get("GosecVersion"))
            issue = readers.expect_mapping(record.value, record.position)
            rule_id = str(issue["rule_id"])
            path = str(issue["file"])
            details = str(issue.get("details") or "").strip()
            line_start, line_end = _lines(issue.get("line"))
            code = str(issue.get("code") or "")
            flagged = _flagged(code, line_start, line_end)
            cwe = readers.as_mapping(issue.get("cwe"))
            confidence = str(issue.get("confidence") or "").strip().lower()
            anchor = (rule_id, path, " ".join(flagged.split()))
            occurrence = repeats.number(grouping.fingerprint(*anchor), line_start)
            # The first place keeps the plain anchor; later ones add their number.
            place = (occurrence,) if occurrence else ()
            yield NormalizedFinding(
                title=text.title(details or rule_id),
                severity=values.severity_from_word(issue.get("severity")),
                tool="gosec",
                tool_version=version,
                rule_id=rule_id,
                description=text.clip(details),
                cwe_ids=values.cwe_ids([cwe.get("id")] if cwe.get("id") else []),
                location=FindingLocation(
                    file_path=path,
                    line_start=line_start,
                    line_end=line_end,
                ),
                evidence=text.clip(code),
                remediation=text.clip(issue.get("autofix") or ""),
                references=tuple(filter(None, [values.text(cwe.get("url"))])),
                tags=_tags(issue, confidence),
                fingerprint=grouping.fingerprint("gosec", *anchor, *place),
            )


def _lines(value: Any) -> tuple[int | None, int | None]:
    """Return the first and last line of ``"42"``, ``"42-44"`` or ``42``."""
    text = str(value or "").strip()
    first, _, last = text.partition("-")
    start = values.line_number(first)
    end = (values.line_number(last) if last else start) or start
    return start, end


def _flagged(code: str, line_start: int | None, line_end: int | None) -> str:
    """Return the flagged lines of ``code`` without the context and line numbers around them."""
    numbered = [_NUMBERED.match(line) for line in code.splitlines() if line.strip()]
    if not numbered or not all(numbered) or line_start is None:
        return code
    last = line_end if line_end is not None else line_start
    flagged = "\n".join(
        match.group(2)
        for match in numbered
        if match is not None and line_start <= int(match.group(1)) <= last
    )
    return flagged or code


def _tags(issue: Mapping[str, Any], confidence: str) -> tuple[str, ...]:
    tags = [f"confidence:{confidence}"] if confidence else []
    if issue.get("nosec") is True or issue.get("suppressions"):
        tags.append("suppressed")
    return tuple(tags)


PARSER = GosecParser()
