"""gosec JSON reports."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.gosec import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "gosec"


def _parse(data: bytes) -> list[NormalizedFinding]:
    _parser, findings = parse_report(io.BytesIO(data), format_name="gosec")
    return list(findings)


def _sample() -> list[NormalizedFinding]:
    with (SAMPLES / "many_vulns.json").open("rb") as stream:
        _parser, findings = parse_report(stream)
        return list(findings)


def _issue(line: int, *, before: str = "func main() {") -> dict[str, Any]:
    """Return a gosec 2.x issue, whose code carries a line of context either side."""
    return {
        "severity": "HIGH",
        "confidence": "MEDIUM",
        "cwe": {"id": "22", "url": "https://cwe.mitre.org/data/definitions/22.html"},
        "rule_id": "G304",
        "details": "Potential file inclusion via variable",
        "file": "/src/app/files.go",
        "code": f"{line - 1}: {before}\n{line}: \tdata, _ := os.ReadFile(name)\n{line + 1}: }}\n",
        "line": str(line),
        "column": "13",
        "nosec": False,
        "suppressions": None,
    }


def _report(*issues: dict[str, Any]) -> bytes:
    return json.dumps(
        {"Golang errors": {}, "Issues": list(issues), "Stats": {}, "GosecVersion": "2.18.2"}
    ).encode()


def test_detect_claims_gosec_reports_and_nothing_else() -> None:
    assert PARSER.detect((SAMPLES / "many_vulns.json").read_bytes()) == 90
    assert PARSER.detect(_report()) == 100
    assert PARSER.detect(b'{"Issues": [], "Stats": {"files": 1, "nosec": 0, "found": 0}}') == 80
    assert PARSER.detect(b'{"issues": [{"rule": "python:S1"}]}') == 0


def test_sample_findings_keep_rule_cwe_and_location() -> None:
    # when
    findings = _sample()
    # then
    assert len(findings) == 28
    first = findings[0]
    assert first.title == "Errors unhandled."
    assert first.severity == Severity.LOW
    assert first.tool == "gosec"
    assert first.tool_version is None  # this old report states no version
    assert first.rule_id == "G104"
    assert first.cwe_ids == (252,)
    assert first.location.file_path == "/vagrant/go/src/govwa/app.go"
    assert first.location.line_start == 79
    assert first.evidence == "s.ListenAndServe()"
    assert first.references == ("https://cwe.mitre.org/data/definitions/252.html",)
    assert first.tags == ("confidence:high",)
    assert findings[3].severity == Severity.MEDIUM
    assert findings[3].rule_id == "G501"
    assert findings[3].cwe_ids == (327,)


def test_sample_findings_each_get_their_own_fingerprint() -> None:
    # The sample flags "p.GetData(sid)" at four lines of one file: four findings.
    findings = _sample()
    assert len({finding.fingerprint for finding in findings}) == 28


def test_current_report_with_context_lines_and_a_range() -> None:
    # given
    issue = _issue(42)
    issue["line"] = "42-43"
    # when
    [finding] = _parse(_report(issue))
    # then
    assert finding.severity == Severity.HIGH
    assert finding.tool_version == "2.18.2"
    assert finding.location.line_start == 42
    assert finding.location.line_end == 43
    assert finding.cwe_ids == (22,)
    assert finding.tags == ("confidence:medium",)


def test_fingerprint_ignores_line_numbers_and_context() -> None:
    # given: the same issue, moved down and with a changed line above it
    [before] = _parse(_report(_issue(42)))
    [after] = _parse(_report(_issue(50, before="func load(name string) {")))
    # then
    assert before.fingerprint == after.fingerprint
    assert before.evidence != after.evidence


def test_suppressed_issue_is_tagged() -> None:
    issue = _issue(42)
    issue["suppressions"] = [{"kind": "inSource", "justification": "checked"}]
    [finding] = _parse(_report(issue))
    assert finding.tags == ("confidence:medium", "suppressed")


def test_an_issue_without_rule_id_is_rejected() -> None:
    issue = _issue(42)
    del issue["rule_id"]
    with pytest.raises(MalformedReport, match="KeyError: 'rule_id'") as caught:
        _parse(_report(issue))
    assert caught.value.position == "finding[0]"


def test_an_issue_that_is_not_an_object_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="expected an object, found str") as caught:
        _parse(b'{"Issues": ["G104"]}')
    assert caught.value.position == "Issues[0]"


def test_a_truncated_report_is_rejected() -> None:
    data = (SAMPLES / "many_vulns.json").read_bytes()[:1000]
    with pytest.raises(MalformedReport, match="invalid JSON"):
        _parse(data)
