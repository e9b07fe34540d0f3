"""SonarQube JSON: issue and hotspot searches, and sonar-report."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.sonarqube import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "sonarqube"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "sonarqube"


def _parse(data: bytes) -> list[NormalizedFinding]:
    _parser, findings = parse_report(io.BytesIO(data), format_name="sonarqube")
    return list(findings)


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        _parser, findings = parse_report(stream)
        return list(findings)


def _issue(line: int, line_hash: str = "9f1d", **changes: Any) -> dict[str, Any]:
    issue: dict[str, Any] = {
        "key": f"AY-{line}",
        "rule": "java:S2076",
        "component": "shop:src/main/java/Run.java",
        "project": "shop",
        "line": line,
        "hash": line_hash,
        "textRange": {"startLine": line, "endLine": line + 1, "startOffset": 0, "endOffset": 9},
        "message": "Make sure that this OS command is built safely.",
        "tags": ["cwe", "injection"],
        "type": "VULNERABILITY",
        "status": "OPEN",
    }
    issue.update(changes)
    return issue


def _api(*issues: dict[str, Any]) -> bytes:
    components = [{"key": "shop:src/main/java/Run.java", "path": "src/main/java/Run.java"}]
    return json.dumps(
        {"paging": {"total": len(issues)}, "issues": list(issues), "components": components}
    ).encode()


def test_detect_claims_each_shape_and_nothing_else() -> None:
    assert PARSER.detect((SAMPLES / "sonar-6-findings.json").read_bytes()) == 95
    assert PARSER.detect((SAMPLES / "findings_over_api_hotspots.json").read_bytes()) == 95
    assert PARSER.detect((SAMPLES / "findings_over_api.json").read_bytes()) == 85
    assert PARSER.detect(b'{"issues": [{"rule": "x"}]}') == 0


def test_api_issues_dependency_check_and_code_findings() -> None:
    # when
    findings = _sample("findings_over_api.json")
    # then
    assert len(findings) == 5
    first = findings[0]
    assert first.title == "CVE-2024-2529 in package:1.1.2"
    assert first.severity == Severity.MEDIUM
    assert first.tool == "sonarqube"
    assert first.rule_id == "OWASP:UsingComponentWithKnownVulnerability"
    assert first.tool_finding_id == "fjioefjwoefijo"
    assert first.advisory_ids == ("CVE-2024-2529",)
    assert first.cwe_ids == (120, 937)
    assert first.location.package == "package"
    assert first.location.package_version == "1.1.2"
    assert first.location.component == "testapplication"
    assert first.location.file_path is None
    second = findings[1]
    assert second.title == "Add a description to this table."
    assert second.severity == Severity.LOW
    assert second.location.file_path == "src/app/pages/fjiowefjewio/fjwieof/fjiwoe/details.html"
    assert second.location.line_start == 59
    assert second.tags == ("accessibility", "wcag2-a", "type:bug", "status:open")
    last = findings[4]
    assert last.title == "CVE-2023-52428 in nimbus-jose-jwt-9.24.4.jar"
    assert last.severity == Severity.HIGH
    assert (last.location.package, last.location.package_version) == ("nimbus-jose-jwt", "9.24.4")
    assert len({finding.fingerprint for finding in findings}) == 5


def test_api_hotspots_rate_by_probability_and_resolve_paths() -> None:
    # when
    findings = _sample("findings_over_api_hotspots.json")
    # then
    assert [finding.severity for finding in findings] == [
        Severity.HIGH,
        Severity.LOW,
        Severity.LOW,
        Severity.LOW,
    ]
    first = findings[0]
    assert first.rule_id == "typescript:7777"
    assert first.tool_finding_id == "fwafewef"
    assert first.location.file_path == "src/app/component.asdf"
    assert first.location.line_start == 47
    assert first.tags == ("status:to_review", "securitycategory:xss")
    # a component key that is not "project:path" is found in the components list
    assert findings[1].location.file_path == "src/app/2389479284379021-footer.component.html"


def test_sonar_report_uses_its_rules_map() -> None:
    # when
    findings = _sample("sonar-6-findings.json")
    # then
    assert len(findings) == 6
    first = findings[0]
    assert first.title == "Make sure disabling CSRF protection is safe here."
    assert first.severity == Severity.HIGH
    assert first.rule_id == "python:S4502"
    assert first.cwe_ids == (352,)
    assert first.description.startswith(
        "Make sure disabling CSRF protection is safe here.\n\n"
        "Disabling CSRF protections is security-sensitive\n\n"
        "A cross-site request forgery (CSRF) attack"
    )
    assert first.location.file_path == "vulnerable-flask-app.py"
    assert first.location.component == "vulnerable-flask-app"
    assert first.references == (
        "https://sonar.192-168-38-31.nip.io/coding_rules?open=python:S4502&rule_key=python:S4502",
    )
    assert [finding.severity for finding in findings[1:]] == [Severity.LOW] * 5
    assert len({finding.fingerprint for finding in findings}) == 6


def test_report_without_issues_yields_nothing() -> None:
    assert _sample("sonar-no-finding.json") == []


def test_fingerprint_follows_sonarqubes_line_hash_not_the_line() -> None:
    [before] = _parse(_api(_issue(10)))
    [after] = _parse(_api(_issue(30)))
    [other] = _parse(_api(_issue(10, line_hash="0c2e")))
    assert before.fingerprint == after.fingerprint
    assert before.fingerprint != other.fingerprint
    assert before.location.file_path == "src/main/java/Run.java"
    assert (before.location.line_start, before.location.line_end) == (10, 11)


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        ("BLOCKER", Severity.CRITICAL),
        ("CRITICAL", Severity.HIGH),
        ("MAJOR", Severity.MEDIUM),
        ("MINOR", Severity.LOW),
        ("INFO", Severity.INFO),
    ],
)
def test_issue_severities(severity: str, expected: Severity) -> None:
    [finding] = _parse(_api(_issue(10, severity=severity)))
    assert finding.severity == expected


def test_impacts_rate_an_issue_without_a_severity() -> None:
    impacts = [
        {"softwareQuality": "MAINTAINABILITY", "severity": "LOW"},
        {"softwareQuality": "SECURITY", "severity": "HIGH"},
    ]
    [finding] = _parse(_api(_issue(10, impacts=impacts)))
    assert finding.severity == Severity.HIGH


def test_an_issue_without_a_rule_is_rejected() -> None:
    issue = _issue(10)
    del issue["rule"]
    with pytest.raises(MalformedReport, match="the finding names no rule") as caught:
        _parse(_api(issue))
    assert caught.value.position == "issues[0]"


def test_a_document_without_issues_or_hotspots_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="no issues or hotspots array"):
        _parse(b'{"paging": {"total": 0}}')


def test_a_truncated_report_is_rejected() -> None:
    data = (SAMPLES / "findings_over_api.json").read_bytes()[:2000]
    with pytest.raises(MalformedReport, match="invalid JSON"):
        _parse(data)


def test_a_report_cut_before_its_issues_is_rejected_as_invalid_json() -> None:
    data = (SAMPLES / "sonar-6-findings.json").read_bytes()[:3000]  # inside the rules map
    with pytest.raises(MalformedReport, match="invalid JSON") as caught:
        _parse(data)
    assert caught.value.position == "rules"


# sonar-report's HTML (its default output), shaped as its template writes it.
HTML_REPORT = (VARIANTS / "sonar_report.html").read_bytes()


def test_sonar_report_html_is_detected_and_read() -> None:
    # when
    _parser, found = parse_report(io.BytesIO(HTML_REPORT))
    findings = list(found)
    # then
    assert PARSER.detect(HTML_REPORT) == 90
    assert len(findings) == 2
    credentials, injection = findings
    assert credentials.rule_id == "squid:S2068"
    assert credentials.severity is Severity.CRITICAL
    assert credentials.title == (
        "'PASSWORD' detected in this expression, review this potentially hardcoded credential."
    )
    assert credentials.location.file_path == "src/main/java/DataSourceFactory.java"
    assert credentials.location.line_start == 66
    assert credentials.tool_finding_id == "AWK40IMu-pl6AHs22MnV"
    assert credentials.cwe_ids == (798,)
    assert "Because it is easy to extract strings from an application" in credentials.description
    assert "Credentials should not be hard-coded" in credentials.description
    assert injection.severity is Severity.HIGH
    assert injection.location.line_start == 12
    assert injection.description.startswith("Change this code to not construct SQL queries")
    assert "nested" in injection.description


def test_html_fingerprint_is_rule_file_and_issue_key_not_the_line() -> None:
    moved = HTML_REPORT.replace(b"<td>66</td>", b"<td>70</td>")
    assert _parse(moved)[0].fingerprint == _parse(HTML_REPORT)[0].fingerprint


def test_html_without_an_issue_table_is_rejected() -> None:
    data = b"<!DOCTYPE html><html><title>SonarQube Vulnerability Report</title><table></table></html>"
    with pytest.raises(MalformedReport, match="no table of issues") as caught:
        _parse(data)
    assert caught.value.position == "top level"


def test_other_html_is_not_detected() -> None:
    assert PARSER.detect(b"<!DOCTYPE html><html><title>ZAP Scanning Report</title></html>") == 0
