"""Brakeman JSON reports."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.brakeman import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "brakeman"


def _parse(data: bytes) -> list[NormalizedFinding]:
    _parser, findings = parse_report(io.BytesIO(data), format_name="brakeman")
    return list(findings)


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        _parser, findings = parse_report(stream)
        return list(findings)


def _warning(line: int, **changes: Any) -> dict[str, Any]:
    warning: dict[str, Any] = {
        "warning_type": "SQL Injection",
        "warning_code": 0,
        "fingerprint": "6c9bb7d3c5ef3a6f4b6a3f2a3e0b1f5f9d36d1a1f0f6a9e2a0b0c4a3a2f1e0d9",
        "check_name": "SQL",
        "message": "Possible SQL injection",
        "file": "app/models/user.rb",
        "line": line,
        "link": "https://brakemanscanner.org/docs/warning_types/sql_injection/",
        "code": 'User.where("name = #{params[:name]}")',
        "render_path": None,
        "location": {"type": "method", "class": "User", "method": "search"},
        "user_input": "params[:name]",
        "confidence": "High",
        "cwe_id": [89],
    }
    warning.update(changes)
    return warning


def _report(*warnings: dict[str, Any]) -> bytes:
    scan_info = {"app_path": "/app", "brakeman_version": "6.1.2", "checks_performed": ["SQL"]}
    return json.dumps({"scan_info": scan_info, "warnings": list(warnings)}).encode()


def test_detect_claims_brakeman_reports_and_nothing_else() -> None:
    assert PARSER.detect((SAMPLES / "many_findings.json").read_bytes()) == 100
    assert PARSER.detect((SAMPLES / "no_finding.json").read_bytes()) == 100
    assert PARSER.detect(b'{"warnings": [], "errors": []}') == 0


def test_sample_warnings_keep_check_advisory_and_brakeman_fingerprint() -> None:
    # when
    findings = _sample("many_findings.json")
    # then
    assert len(findings) == 18
    first = findings[0]
    assert first.title == (
        "Cross-Site Scripting: Rails 3.2.3 does not escape single quotes (CVE-2012-3464)."
        " Upgrade to Rails 3.2.8"
    )
    assert first.severity == Severity.MEDIUM
    assert first.tool == "brakeman"
    assert first.tool_version == "4.7.2"
    assert first.rule_id == "SingleQuotes"
    assert first.tool_finding_id == ("0690cb1eacdd68356391afb20a53468bd1f29726fe7e2b808ed1f52efefecb41")
    assert first.advisory_ids == ("CVE-2012-3464",)
    assert first.location.file_path == "Gemfile.lock"
    assert first.location.line_start == 64
    assert first.references == (
        "https://groups.google.com/d/topic/rubyonrails-security/kKGNeMrnmiY/discussion",
    )
    assert findings[-1].severity == Severity.HIGH
    assert len({finding.fingerprint for finding in findings}) == 18


def test_report_without_warnings_yields_nothing() -> None:
    assert _sample("no_finding.json") == []


@pytest.mark.parametrize(
    ("confidence", "severity"),
    [("High", Severity.HIGH), ("Medium", Severity.MEDIUM), ("Weak", Severity.LOW)],
)
def test_confidence_is_the_severity(confidence: str, severity: Severity) -> None:
    [finding] = _parse(_report(_warning(12, confidence=confidence)))
    assert finding.severity == severity
    assert finding.tags == (f"confidence:{confidence.lower()}",)


def test_current_warning_keeps_cwe_code_and_where() -> None:
    # when
    [finding] = _parse(_report(_warning(12)))
    # then
    assert finding.title == "SQL Injection: Possible SQL injection"
    assert finding.cwe_ids == (89,)
    assert finding.evidence == 'User.where("name = #{params[:name]}")'
    assert finding.description == (
        "Possible SQL injection\n\nLocation: User#search\n\nUser input: params[:name]"
    )
    assert finding.location.line_start == 12


def test_fingerprint_is_brakemans_own_whatever_the_line() -> None:
    [before] = _parse(_report(_warning(12)))
    [after] = _parse(_report(_warning(40)))
    [other] = _parse(_report(_warning(12, fingerprint="0" * 64)))
    assert before.fingerprint == after.fingerprint
    assert before.fingerprint != other.fingerprint


def test_without_brakemans_fingerprint_the_code_anchors_it() -> None:
    [before] = _parse(_report(_warning(12, fingerprint=None)))
    [after] = _parse(_report(_warning(40, fingerprint=None)))
    [other] = _parse(_report(_warning(12, fingerprint=None, code="User.where(params[:q])")))
    assert before.tool_finding_id is None
    assert before.fingerprint == after.fingerprint
    assert before.fingerprint != other.fingerprint


def test_a_warning_without_file_is_rejected() -> None:
    warning = _warning(12)
    del warning["file"]
    with pytest.raises(MalformedReport, match="KeyError: 'file'") as caught:
        _parse(_report(warning))
    assert caught.value.position == "finding[0]"


def test_warnings_that_are_not_objects_are_rejected() -> None:
    with pytest.raises(MalformedReport, match="expected an object, found int") as caught:
        _parse(b'{"scan_info": {}, "warnings": [7]}')
    assert caught.value.position == "warnings[0]"


def test_a_truncated_report_is_rejected() -> None:
    data = (SAMPLES / "many_findings.json").read_bytes()[:3000]
    with pytest.raises(MalformedReport, match="invalid JSON"):
        _parse(data)
