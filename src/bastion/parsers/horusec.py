"""Horusec JSON (``horusec start -o json``), one analysis of many engines' findings.

Findings are the ``analysisVulnerabilities`` array, streamed; each wraps the finding
proper in ``vulnerabilities``. The Horusec version is the report's first key, read
in the same pass. The
finding's ``details`` is its rule's name, a newline, then the explanation (which
names the CWE).

Severity: Horusec's own words (``CRITICAL`` ... ``INFO``); ``UNKNOWN`` is info.

Fingerprint: the engine (``securityTool``), the rule name (first line of
``details``), file path and the flagged code with whitespace folded — not the line
number, which moves whenever lines are added above, nor ``vulnHash`` (kept as the
tool's id), which hashes the line in. The same code flagged by the same rule at
several places in one file is numbered in report order (the first keeps the plain
fingerprint), so each place keeps its own fingerprint.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser


class HorusecParser(ReportParser):
    """Horusec's JSON report."""

    name = "horusec"
    label = "Horusec JSON"
    defectdojo_scan_types = ("Horusec Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        if '"analysisVulnerabilities"' in text:
            return 100
        return 80 if '"vulnHash"' in text and '"securityTool"' in text else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        repeats = grouping.RepeatCounter()
        for record in readers.JsonReader(
            stream,
            ["analysisVulnerabilities.item"],
            late=["version"],
            required=["analysisVulnerabilities"],
        ):
            wrapper = readers.expect_mapping(record.value, record.position)
            vulnerability = readers.expect_mapping(
                wrapper["vulnerabilities"], f"{record.position}.vulnerabilities"
            )
            version = values.text(record.context.get("version"))
            yield _finding(vulnerability, version, repeats)


def _finding(
    vulnerability: Mapping[str, Any], version: str | None, repeats: grouping.RepeatCounter
) -> NormalizedFinding:
    details = str(vulnerability.get("details") or "").strip()
    heading, _, explanation = details.partition("\n")
    engine = str(vulnerability.get("securityTool") or "").strip()
    rule_id = str(vulnerability.get("rule_id") or vulnerability.get("ruleID") or "").strip()
    path = str(vulnerability["file"])
    code = str(vulnerability.get("code") or "")
    line = values.line_number(vulnerability.get("line"))
    anchor = (engine, heading.strip(), path, " ".join(code.split()))
    occurrence = repeats.number(grouping.fingerprint(*anchor), line)
    # The first place keeps the plain anchor; later ones add their number.
    place = (occurrence,) if occurrence else ()
    return NormalizedFinding(
        title=text.title(heading or rule_id or engine),
        severity=values.severity_from_word(vulnerability.get("severity")),
        tool="horusec",
        tool_version=version,
        rule_id=rule_id or None,
        tool_finding_id=values.text(vulnerability.get("vulnHash")),
        description=text.clip(explanation.strip() or details),
        advisory_ids=values.advisory_ids([details]),
        cwe_ids=values.cwe_ids([details]),
        location=FindingLocation(file_path=path, line_start=line, line_end=line),
        evidence=text.clip(code),
        tags=_tags(vulnerability, engine),
        fingerprint=grouping.fingerprint("horusec", *anchor, *place),
    )


def _tags(vulnerability: Mapping[str, Any], engine: str) -> tuple[str, ...]:
    tags = []
    confidence = str(vulnerability.get("confidence") or "").strip().lower()
    if confidence:
        tags.append(f"confidence:{confidence}")
    if engine:
        tags.append(f"engine:{engine}")
    language = str(vulnerability.get("language") or "").strip()
    if language:
        tags.append(f"language:{language}")
    kind = str(vulnerability.get("type") or "").strip()
    if kind and kind.lower() != "vulnerability":  # "False Positive", "Risk Accepted", ...
        tags.append(f"status:{kind.lower()}")
    return tuple(tags)


PARSER = HorusecParser()
