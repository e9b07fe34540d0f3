"""Brakeman JSON (``brakeman -f json``), the Ruby on Rails security scanner.

Findings are the ``warnings`` array, streamed; ``ignored_warnings`` (silenced by the
user's ignore file) are not findings. The Brakeman version is read from
``scan_info``, which comes first in the report (in the same pass).

Severity: Brakeman rates only its confidence in a warning, so that is the scale:
``High`` is high, ``Medium`` medium, ``Weak`` (``Low`` in some versions) low.

Fingerprint: Brakeman's own warning ``fingerprint``, a hash of the warning type,
location and code that Brakeman keeps stable from run to run (its ignore file
relies on it). Without it: check name, file path and the flagged code with
whitespace folded (the message when there is no code), not the line number.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser

_CONFIDENCE: Mapping[str, Severity] = {
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "weak": Severity.LOW,
    "low": Severity.LOW,
}


class BrakemanParser(ReportParser):
    """Brakeman's JSON report."""

    name = "brakeman"
    label = "Brakeman JSON"
    defectdojo_scan_types = ("Brakeman Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{") or '"scan_info"' not in text:
            return 0
        markers = ('"brakeman_version"', '"checks_performed"', '"warning_type"')
        return 100 if any(marker in text for marker in markers) else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        reader = readers.JsonReader(
            stream, ["warnings.item"], late=["scan_info.brakeman_version"], required=["warnings"]
        )
        for record in reader:
            position = record.position
            version = values.text(record.context.get("scan_info.brakeman_version"))
            warning = readers.expect_mapping(record.value, position)
            check = str(warning.get("check_name") or "").strip()
            kind = str(warning.get("warning_type") or "").strip()
            message = str(warning.get("message") or "").strip()
            path = str(warning["file"])
            code = str(warning.get("code") or "")
            stated = str(warning.get("fingerprint") or "").strip()
            line = values.line_number(warning.get("line"))
            if stated:
                key = grouping.fingerprint("brakeman", stated)
            else:
                anchor = " ".join(code.split()) or " ".join(message.split())
                key = grouping.fingerprint("brakeman", check, path, anchor)
            confidence = str(warning.get("confidence") or "").strip().lower()
            yield NormalizedFinding(
                title=text.title(f"{kind}: {message}" if kind and message else kind or message),
                severity=_CONFIDENCE.get(confidence, Severity.INFO),
                tool="brakeman",
                tool_version=version,
                rule_id=check or kind or None,
                tool_finding_id=stated or None,
                description=text.clip(_description(warning, message)),
                advisory_ids=values.advisory_ids([message, warning.get("link")]),
                cwe_ids=values.cwe_ids(_cwe_values(warning.get("cwe_id"))),
                location=FindingLocation(file_path=path, line_start=line, line_end=line),
                evidence=text.clip(code),
                references=tuple(filter(None, [values.text(warning.get("link"))])),
                tags=tuple(filter(None, [f"confidence:{confidence}" if confidence else ""])),
                fingerprint=key,
            )


def _description(warning: Mapping[str, Any], message: str) -> str:
    """Return the message with where in the app it was found and the user input involved."""
    parts = [message]
    location = warning.get("location")
    if isinstance(location, dict):
        owner = location.get("class") or location.get("controller") or location.get("model")
        method = location.get("method")
        where = "#".join(str(part) for part in (owner, method) if part)
        if where:
            parts.append(f"Location: {where}")
        elif location.get("template"):
            parts.append(f"Template: {location['template']}")
    user_input = warning.get("user_input")
    if user_input:
        parts.append(f"User input: {user_input}")
    return "\n\n".join(part for part in parts if part)


def _cwe_values(value: Any) -> list[object]:
    return value if isinstance(value, list) else [value]


PARSER = BrakemanParser()
