"""Semgrep JSON reports."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.semgrep import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "semgrep"


def _parse(data: bytes) -> list[NormalizedFinding]:
    _parser, findings = parse_report(io.BytesIO(data), format_name="semgrep")
    return list(findings)


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        _parser, findings = parse_report(stream)
        return list(findings)


def _result(line: int, code: str, *, severity: str = "ERROR", **extra: Any) -> dict[str, Any]:
    return {
        "check_id": "python.lang.security.audit.eval-detected.eval-detected",
        "path": "app/views.py",
        "start": {"line": line, "col": 5, "offset": 100},
        "end": {"line": line, "col": 5 + len(code), "offset": 100 + len(code)},
        "extra": {
            "message": "Detected the use of eval(). eval() can be dangerous.",
            "severity": severity,
            "lines": f"    {code}",
            "fingerprint": "requires login",
            "metadata": {
                "cwe": ["CWE-95: Improper Neutralization of Directives in Eval"],
                "references": ["https://owasp.org/Top10/A03_2021-Injection"],
                "source-rule-url": "https://semgrep.dev/r/eval-detected",
                "confidence": "LOW",
                "category": "security",
            },
            **extra,
        },
    }


def _report(*results: dict[str, Any]) -> bytes:
    return json.dumps({"results": list(results), "errors": [], "version": "1.50.0"}).encode()


def test_detect_claims_semgrep_reports_and_nothing_else() -> None:
    assert PARSER.detect((SAMPLES / "high-medium-low-severities.json").read_bytes()) == 95
    assert PARSER.detect((SAMPLES / "one_finding.json").read_bytes()) == 90
    assert PARSER.detect((SAMPLES / "empty.json").read_bytes()) == 20
    checkov = b'{"check_type": "terraform", "results": {"failed_checks": [{"check_id": "CKV_1"}]}}'
    assert PARSER.detect(checkov) == 0


def test_one_finding_keeps_rule_location_and_metadata() -> None:
    # when
    [finding] = _sample("one_finding.json")
    # then
    assert finding.title == "Using CBC with PKCS5Padding is susceptible to padding orcale attacks."
    assert finding.severity == Severity.MEDIUM
    assert finding.tool == "semgrep"
    assert finding.rule_id == "java.lang.security.audit.cbc-padding-oracle.cbc-padding-oracle"
    assert finding.cwe_ids == (696,)
    assert finding.location.file_path == (
        "src/main/java/org/owasp/benchmark/testcode/BenchmarkTest02194.java"
    )
    assert finding.location.line_start == 64
    assert finding.location.line_end == 64
    assert finding.evidence == (
        '\t\t\tjavax.crypto.Cipher c = javax.crypto.Cipher.getInstance("DES/CBC/PKCS5Padding");'
    )
    assert finding.remediation == 'javax crypto Cipher.getInstance("AES/GCM/NoPadding");'
    assert finding.references == (
        "https://capec.mitre.org/data/definitions/463.html",
        "https://find-sec-bugs.github.io/bugs.htm#PADDING_ORACLE",
    )


def test_a_match_reported_twice_is_one_finding() -> None:
    # when
    findings = _sample("repeated_findings.json")
    # then
    assert len(findings) == 1
    assert findings[0].location.line_start == 66


def test_current_severities_version_and_match_ids() -> None:
    # when
    findings = _sample("high-medium-low-severities.json")
    # then
    assert [finding.severity for finding in findings] == [Severity.LOW] * 3
    assert [finding.location.line_start for finding in findings] == [48, 49, 50]
    assert {finding.tool_version for finding in findings} == {"1.84.1"}
    assert findings[0].tool_finding_id is not None
    assert findings[0].tool_finding_id.endswith("_0")
    assert findings[0].tags == ("category:security",)
    assert len({finding.fingerprint for finding in findings}) == 3


def test_empty_report_yields_nothing() -> None:
    assert _sample("empty.json") == []


@pytest.mark.parametrize(
    ("word", "severity"),
    [
        ("ERROR", Severity.HIGH),
        ("WARNING", Severity.MEDIUM),
        ("INFO", Severity.LOW),
        ("CRITICAL", Severity.CRITICAL),
        ("INVENTORY", Severity.INFO),
    ],
)
def test_severity_words(word: str, severity: Severity) -> None:
    [finding] = _parse(_report(_result(3, "eval(x)", severity=word)))
    assert finding.severity == severity


def test_fingerprint_follows_the_code_not_the_line() -> None:
    # given: the same match, moved down by ten lines, in a later report
    [before] = _parse(_report(_result(3, "eval(x)")))
    [after] = _parse(_report(_result(13, "eval(x)")))
    [other] = _parse(_report(_result(3, "eval(y)")))
    # then
    assert before.fingerprint == after.fingerprint
    assert before.fingerprint != other.fingerprint
    assert before.cwe_ids == (95,)
    assert before.tool_finding_id is None  # "requires login" is no id


def test_the_same_code_at_two_places_gets_two_fingerprints() -> None:
    # when
    findings = _parse(_report(_result(3, "eval(x)"), _result(30, "eval(x)")))
    # then
    assert len(findings) == 2
    assert findings[0].fingerprint != findings[1].fingerprint
    assert findings[0].fingerprint == _parse(_report(_result(3, "eval(x)")))[0].fingerprint


def test_supply_chain_findings_name_the_package_and_advisory() -> None:
    # given
    result = _result(
        7,
        "lodash==4.17.20",
        sca_info={"dependency_match": {"found_dependency": {"package": "lodash", "version": "4.17.20"}}},
    )
    result["extra"]["metadata"]["sca-vuln-database-identifier"] = "GHSA-35JH-R3H4-6JHM"
    result["extra"]["metadata"]["cve"] = "CVE-2021-23337"
    # when
    [finding] = _parse(_report(result))
    # then
    assert finding.location.package == "lodash"
    assert finding.location.package_version == "4.17.20"
    assert finding.advisory_ids == ("CVE-2021-23337", "GHSA-35jh-r3h4-6jhm")


def test_a_result_without_check_id_is_rejected() -> None:
    result = _result(3, "eval(x)")
    del result["check_id"]
    with pytest.raises(MalformedReport, match="KeyError: 'check_id'") as caught:
        _parse(_report(result))
    assert caught.value.position == "finding[0]"


def test_a_result_that_is_not_an_object_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="expected an object, found list") as caught:
        _parse(b'{"results": [[1, 2]], "errors": []}')
    assert caught.value.position == "results[0]"


def test_a_truncated_report_is_rejected() -> None:
    data = (SAMPLES / "one_finding.json").read_bytes()[:700]
    with pytest.raises(MalformedReport, match="invalid JSON"):
        _parse(data)
