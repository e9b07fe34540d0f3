"""Horusec JSON reports."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.horusec import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "horusec"


def _parse(data: bytes) -> list[NormalizedFinding]:
    _parser, findings = parse_report(io.BytesIO(data), format_name="horusec")
    return list(findings)


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        _parser, findings = parse_report(stream)
        return list(findings)


def _vulnerability(line: int, code: str = 'password = "hunter2"', **changes: Any) -> dict[str, Any]:
    vulnerability: dict[str, Any] = {
        "vulnerabilityID": "c5b8c19c-80e7-47c0-a493-edffd00c8337",
        "line": str(line),
        "column": "4",
        "confidence": "HIGH",
        "file": "app/settings.py",
        "code": code,
        "details": "Hard-coded password\nThe software contains hard-coded credentials."
        " For more information checkout the CWE-798 advisory.",
        "securityTool": "HorusecEngine",
        "language": "Leaks",
        "severity": "CRITICAL",
        "type": "Vulnerability",
        "vulnHash": f"hash-{line}",
    }
    vulnerability.update(changes)
    return vulnerability


def _report(*vulnerabilities: dict[str, Any]) -> bytes:
    wrapped = [{"vulnerabilities": vulnerability} for vulnerability in vulnerabilities]
    return json.dumps({"version": "v2.8.0", "analysisVulnerabilities": wrapped}).encode()


def test_detect_claims_horusec_reports_and_nothing_else() -> None:
    assert PARSER.detect((SAMPLES / "pr_6563.json").read_bytes()) == 100
    assert PARSER.detect(b'{"vulnHash": "x", "securityTool": "GoSec"}') == 80
    assert PARSER.detect(b'{"vulnerabilities": []}') == 0


def test_sample_findings_split_rule_name_from_explanation() -> None:
    # when
    findings = _sample("version_2.6.3.json")
    # then
    assert len(findings) == 267
    first = findings[0]
    assert first.title == "Hard-coded password"
    assert first.description.startswith("The software contains hard-coded credentials")
    assert first.severity == Severity.CRITICAL
    assert first.tool == "horusec"
    assert first.tool_version == "v2.6.3"
    assert first.tool_finding_id == ("da68b2b043efad431c84d3f3ec3439ad53dd69f58a00d651138fef86aea1f989")
    assert first.cwe_ids == (798,)
    assert first.location.file_path == "docker/entrypoint.sh"
    assert first.location.line_start == 20
    assert first.evidence == 'DD_ADMIN_PASSWORD="admin"'
    assert first.tags == ("confidence:medium", "engine:HorusecEngine", "language:Leaks")


def test_sample_repeats_one_finding_and_keeps_the_rest_apart() -> None:
    # The Bandit engine reports one place twice (same line, same hash): one repeat.
    findings = _sample("version_2.6.3.json")
    assert len({finding.fingerprint for finding in findings}) == 266


def test_finding_without_line_or_code() -> None:
    # when
    [finding] = _sample("pr_6563.json")
    # then
    assert finding.title == "No use eval"
    assert finding.cwe_ids == (94,)
    assert finding.location.file_path == (
        "GetGestaoVisaoWeb/src/main/webapp/js/jquery/jquery-ui-1.9.1.custom.min.js"
    )
    assert finding.location.line_start is None
    assert finding.evidence == ""


def test_fingerprint_follows_the_code_not_the_line() -> None:
    [before] = _parse(_report(_vulnerability(10)))
    [after] = _parse(_report(_vulnerability(25)))
    [other] = _parse(_report(_vulnerability(10, code='token = "abc"')))
    assert before.fingerprint == after.fingerprint
    assert before.fingerprint != other.fingerprint


def test_the_same_code_at_two_places_gets_two_fingerprints() -> None:
    findings = _parse(_report(_vulnerability(10), _vulnerability(90)))
    assert findings[0].fingerprint != findings[1].fingerprint
    assert findings[0].fingerprint == _parse(_report(_vulnerability(10)))[0].fingerprint


def test_reviewed_findings_are_tagged_and_dependency_advisories_kept() -> None:
    # given
    vulnerability = _vulnerability(
        3,
        code="lodash",
        details="(1/1) * Possible vulnerability detected: Prototype Pollution\nCVE-2020-8203",
        securityTool="NpmAudit",
        severity="HIGH",
        type="Risk Accepted",
    )
    # when
    [finding] = _parse(_report(vulnerability))
    # then
    assert finding.title == "(1/1) * Possible vulnerability detected: Prototype Pollution"
    assert finding.severity == Severity.HIGH
    assert finding.advisory_ids == ("CVE-2020-8203",)
    assert finding.tags == (
        "confidence:high",
        "engine:NpmAudit",
        "language:Leaks",
        "status:risk accepted",
    )


def test_an_entry_without_its_vulnerability_is_rejected() -> None:
    data = json.dumps({"version": "v2", "analysisVulnerabilities": [{"analysisID": "x"}]})
    with pytest.raises(MalformedReport, match="KeyError: 'vulnerabilities'") as caught:
        _parse(data.encode())
    assert caught.value.position == "finding[0]"


def test_a_vulnerability_that_is_not_an_object_is_rejected() -> None:
    data = b'{"analysisVulnerabilities": [{"vulnerabilities": "x"}]}'
    with pytest.raises(MalformedReport, match="expected an object, found str") as caught:
        _parse(data)
    assert caught.value.position == "analysisVulnerabilities[0].vulnerabilities"


def test_a_truncated_report_is_rejected() -> None:
    data = (SAMPLES / "pr_6563.json").read_bytes()[:1500]
    with pytest.raises(MalformedReport, match="invalid JSON"):
        _parse(data)
