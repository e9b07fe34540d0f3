"""Bandit JSON (``bandit -f json``).

Fingerprint: test id (``B303``), file path and the flagged code with whitespace
folded — not the line number, which moves whenever lines are added above.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser


class BanditParser(ReportParser):
    """Bandit's JSON report."""

    name = "bandit"
    label = "Bandit JSON"
    defectdojo_scan_types = ("Bandit Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        # "results" may come after a long "metrics" map, beyond the head: the
        # per-file counters of confidence and severity are Bandit's own marker.
        markers = ('"generated_at"', '"metrics"', '"CONFIDENCE.HIGH"', '"SEVERITY.')
        return 90 if all(marker in text for marker in markers) else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        for position, item in readers.iter_json(stream, "results.item", required=True):
            result = readers.expect_mapping(item, position)
            test_id = str(result.get("test_id") or "")
            test_name = str(result.get("test_name") or "")
            path = str(result["filename"])
            code = " ".join(str(result.get("code") or "").split())
            line = values.as_int(result.get("line_number"))
            line_range = [
                values.as_int(n)
                for n in readers.expect_list(result.get("line_range"), f"{position}.line_range")
            ]
            lines = [n for n in line_range if n is not None]
            cwe = result.get("issue_cwe") or {}
            yield NormalizedFinding(
                title=text.title(result.get("issue_text")),
                severity=values.severity_from_word(result.get("issue_severity")),
                tool="bandit",
                rule_id=f"{test_name}:{test_id}" if test_name else test_id or None,
                description=text.clip(result.get("issue_text")),
                cwe_ids=values.cwe_ids([cwe.get("id")] if isinstance(cwe, dict) else []),
                location=FindingLocation(
                    file_path=path,
                    line_start=min(lines) if lines else line,
                    line_end=max(lines) if lines else line,
                ),
                evidence=text.clip(result.get("code")),
                references=tuple(filter(None, [result.get("more_info")])),
                tags=tuple(filter(None, [f"confidence:{str(result.get('issue_confidence', '')).lower()}"])),
                fingerprint=grouping.fingerprint("bandit", test_id, path, code),
            )


PARSER = BanditParser()
