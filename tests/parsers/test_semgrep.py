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
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "semgrep"


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


def _sca_result(*, reachable: bool, path: str, line: int, version: str) -> dict[str, Any]:
    """A Supply Chain result as ``semgrep ci --supply-chain --json`` writes it."""
    return {
        "check_id": "ssc-82207871-bbda-49be-b1af-49fd927a2f93",
        "path": path,
        "start": {"line": line, "col": 1, "offset": 0},
        "end": {"line": line, "col": 20, "offset": 19},
        "extra": {
            "message": "grpcio versions before 1.53.0 are vulnerable to Reachable Assertion.",
            "severity": "ERROR",
            "lines": f"grpcio=={version}",
            "metadata": {
                "category": "security",
                "cwe": ["CWE-617: Reachable Assertion"],
                "references": ["https://github.com/advisories/GHSA-6628-q6j9-w8vg"],
                "sca-fix-versions": [{"grpc": "1.53.0"}, {"grpcio": "1.53.0"}],
                "sca-kind": "upgrade-only",
                "sca-severity": "MODERATE",
                "sca-vuln-database-identifier": "CVE-2023-1428",
            },
            "sca_info": {
                "reachable": reachable,
                "reachability_rule": True,
                "sca_finding_schema": 20220913,
                "dependency_match": {
                    "dependency_pattern": {
                        "ecosystem": "pypi",
                        "package": "grpcio",
                        "semver_range": "< 1.53.0",
                    },
                    "found_dependency": {
                        "package": "grpcio",
                        "version": version,
                        "ecosystem": "pypi",
                        "allowed_hashes": {},
                        "transitivity": "direct",
                        "line_number": line,
                    },
                    "lockfile": "requirements.txt",
                },
            },
        },
    }


def test_supply_chain_lockfile_result_is_read() -> None:
    # when
    finding = _parse((VARIANTS / "supply_chain.json").read_bytes())[0]
    # then
    assert finding.severity is Severity.MEDIUM  # the advisory's MODERATE, not the rule's ERROR
    assert finding.advisory_ids == ("CVE-2023-1428",)
    assert finding.cwe_ids == (617,)
    assert finding.location.file_path == "requirements.txt"
    assert finding.location.package == "grpcio"
    assert finding.location.package_version == "1.47.0"
    assert finding.location.fixed_version == "1.53.0"
    assert finding.remediation == "Upgrade grpcio to 1.53.0."
    assert finding.tags == ("category:security", "supply-chain", "unreachable", "transitivity:direct")


def test_supply_chain_fingerprint_ignores_the_lockfile_line_and_version() -> None:
    before = _parse(_report(_sca_result(reachable=False, path="requirements.txt", line=80, version="1.47.0")))
    after = _parse(_report(_sca_result(reachable=False, path="requirements.txt", line=95, version="1.51.3")))
    assert before[0].fingerprint == after[0].fingerprint


def test_reachable_supply_chain_result_in_code_keeps_the_code_anchor() -> None:
    # given: the same advisory matched in the lockfile and reached in the code
    lockfile = _sca_result(reachable=True, path="requirements.txt", line=80, version="1.47.0")
    code = _sca_result(reachable=True, path="app/rpc.py", line=12, version="1.47.0")
    code["extra"]["lines"] = "channel = grpc.insecure_channel(target)"
    # when
    findings = _parse(_report(lockfile, code))
    # then
    assert [finding.location.file_path for finding in findings] == ["requirements.txt", "app/rpc.py"]
    assert findings[1].tags[-2:] == ("reachable", "transitivity:direct")
    assert findings[0].fingerprint != findings[1].fingerprint


# The AppSec Platform's Supply Chain export (its API's ssc-vulns), trimmed to the fields read.
PLATFORM_EXPORT = json.loads((VARIANTS / "platform_export.json").read_bytes())


def test_platform_supply_chain_export_is_detected_and_read() -> None:
    # given
    data = json.dumps(PLATFORM_EXPORT).encode()
    # when
    _parser, found = parse_report(io.BytesIO(data))
    finding = next(found)
    # then
    assert PARSER.detect(data) == 90
    assert finding.title == "Reachable Assertion in grpc"
    assert finding.severity is Severity.HIGH
    assert finding.advisory_ids == ("CVE-2023-1428", "GHSA-6628-q6j9-w8vg")
    assert finding.cwe_ids == (617,)
    assert finding.location.file_path == "requirements3.txt"
    assert finding.location.line_start == 222
    assert finding.location.package == "grpcio"
    assert finding.location.fixed_version == "1.53.0"
    assert finding.location.component == "example/rfv"
    assert finding.tags == ("supply-chain", "reachable", "transitivity:direct")


def test_platform_export_entry_without_rule_is_rejected() -> None:
    data = json.dumps({"vulns": [{"title": "x", "advisory": {}}]}).encode()
    with pytest.raises(MalformedReport, match="no advisory.ruleId") as caught:
        _parse(data)
    assert caught.value.position == "vulns[0]"
