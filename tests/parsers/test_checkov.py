"""Checkov JSON reports, single and multi-framework."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.checkov import PARSER
from bastion.parsers.grouping import fingerprint

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "checkov"

SCA = b"""{
 "check_type": "sca_package",
 "results": {"failed_checks": [{
  "check_id": "CKV_CVE_2020_29651",
  "check_name": "SCA package scan",
  "check_result": {"result": "FAILED"},
  "file_path": "/requirements.txt",
  "file_line_range": [0, 0],
  "resource": "requirements.txt.py",
  "check_class": "checkov.sca_package.checks.SCA",
  "severity": "HIGH",
  "vulnerability_details": {
   "id": "CVE-2020-29651",
   "package_name": "py",
   "package_version": "1.9.0",
   "lowest_fixed_version": "1.10.0",
   "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
   "link": "https://nvd.nist.gov/vuln/detail/CVE-2020-29651",
   "description": "A denial of service via regular expression in the py.path.svnwc component."
  }
 }]},
 "summary": {"failed": 1, "checkov_version": "2.3.0"}
}"""


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="checkov")[1])


def test_failed_check_is_read_with_resource_file_and_lines() -> None:
    # when
    findings = _sample("checkov-report-1-vuln.json")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "Ensure the key vault is recoverable"
    assert finding.severity is Severity.MEDIUM
    assert finding.tool == "checkov"
    assert finding.rule_id == "CKV_AZURE_42"
    assert finding.location.file_path == "file_path"
    assert (finding.location.line_start, finding.location.line_end) == (1, 16)
    assert finding.location.component == "azurerm_key_vault.main"
    assert finding.references == ("https://docs.bridgecrew.io/docs/ensure-the-key-vault-is-recoverable",)
    assert finding.tags == ("framework:terraform",)
    assert finding.fingerprint == fingerprint(
        "checkov", "CKV_AZURE_42", "file_path", "azurerm_key_vault.main", None
    )


def test_array_of_frameworks_yields_the_failed_checks_of_each() -> None:
    # when
    findings = _sample("checkov-report-multiple-check_type.json")
    # then
    assert len(findings) == 13
    assert findings[0].rule_id == "CKV_AWS_161"
    assert findings[0].location.component == "aws_db_instance.default"
    assert findings[0].location.file_path == "/aws/db-app.tf"
    assert findings[0].location.line_start == 1
    assert findings[0].evidence.startswith('1: resource "aws_db_instance" "default" {\n')
    assert [finding.rule_id for finding in findings[11:]] == ["CKV_DOCKER_3", "CKV_DOCKER_2"]
    assert findings[11].tags == ("framework:dockerfile",)
    assert findings[11].location.line_start == 0


def test_severity_is_read_when_the_report_has_it() -> None:
    # when
    findings = _sample("checkov-report-severity.json")
    # then
    assert [(finding.rule_id, finding.severity) for finding in findings] == [
        ("CKV_GCP_29", Severity.MEDIUM),
        ("CKV_GCP_62", Severity.MEDIUM),
        ("CKV_GCP_78", Severity.LOW),
        ("CKV_GCP_28", Severity.HIGH),
    ]
    assert findings[0].tags == ("framework:terraform", "BC_GCP_GCS_2", "category:Storage")


def test_empty_report_has_no_findings() -> None:
    # when / then
    assert _sample("checkov-report-0-vuln.json") == []


def test_package_check_carries_the_cve_package_and_fix() -> None:
    # when
    findings = _parse(SCA)
    # then
    finding = findings[0]
    assert finding.severity is Severity.HIGH
    assert finding.advisory_ids == ("CVE-2020-29651",)
    assert finding.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"
    assert finding.cvss_v3_score == 7.5
    assert (finding.location.package, finding.location.package_version) == ("py", "1.9.0")
    assert finding.location.fixed_version == "1.10.0"
    assert finding.remediation == "Upgrade py to 1.10.0 or later."
    assert finding.references == ("https://nvd.nist.gov/vuln/detail/CVE-2020-29651",)
    assert finding.fingerprint == fingerprint(
        "checkov",
        "CKV_CVE_2020_29651",
        "/requirements.txt",
        "requirements.txt.py",
        "CVE-2020-29651",
    )


def test_same_check_in_two_reports_has_the_same_fingerprint_and_distinct_checks_differ() -> None:
    # given: the same check, found again after lines moved
    moved = (SAMPLES / "checkov-report-1-vuln.json").read_bytes().replace(b"16\n", b"18\n")
    # when
    before = _sample("checkov-report-1-vuln.json")
    after = _parse(moved)
    many = _sample("checkov-report-multiple-check_type.json")
    # then
    assert after[0].location.line_end == 18
    assert after[0].fingerprint == before[0].fingerprint
    assert len({finding.fingerprint for finding in many}) == 13


def test_detects_checkov_reports_only() -> None:
    # given
    summary_only = (
        b'{"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "checkov_version": "3.0.0"}'
    )
    # then
    assert PARSER.detect((SAMPLES / "checkov-report-severity.json").read_bytes()) == 90
    assert PARSER.detect(summary_only) == 85
    assert PARSER.detect(b'{"results": [], "errors": []}') == 0


def test_failed_check_without_id_is_rejected() -> None:
    # given
    report = b'{"check_type": "terraform", "results": {"failed_checks": [{"check_name": "x"}]}}'
    # when / then
    with pytest.raises(MalformedReport, match="KeyError: 'check_id'"):
        _parse(report)


def test_truncated_report_is_rejected() -> None:
    # given
    report = (SAMPLES / "checkov-report-1-vuln.json").read_bytes()[:300]
    # when / then
    with pytest.raises(MalformedReport, match="invalid JSON"):
        _parse(report)


def _framework_report(*failed_checks: object) -> dict[str, object]:
    return {"check_type": "terraform", "results": {"passed_checks": [], "failed_checks": list(failed_checks)}}


def test_array_of_frameworks_names_a_bad_check_by_its_framework_and_place() -> None:
    # given: the second framework's second check is not an object
    check = {"check_id": "CKV_AWS_1", "file_path": "/main.tf", "resource": "aws_s3_bucket.logs"}
    report = orjson.dumps([_framework_report(check), _framework_report(check, ["not", "a", "check"])])
    # when / then
    with pytest.raises(MalformedReport, match="expected an object, found list") as caught:
        _parse(report)
    assert caught.value.position == "[1].results.failed_checks[1]"


def test_array_without_failed_checks_is_not_a_checkov_report() -> None:
    with pytest.raises(MalformedReport, match="'item.results.failed_checks'") as caught:
        _parse(b'[{"results": {}}, 5]')
    assert caught.value.position == "top level"


def test_code_blocks_that_differ_only_in_types_keep_their_own_text() -> None:
    # given: the same lines, numbered as an int, a float and a null (a repeated block's text is reused)
    checks = [
        {"check_id": "CKV_1", "code_block": [[number, "resource  "], [2, "}"]]}
        for number in (1, 1.0, None, 1)
    ]
    # when
    findings = _parse(orjson.dumps([_framework_report(*checks)]))
    # then
    assert [finding.evidence for finding in findings] == [
        "1: resource\n2: }",
        "1.0: resource\n2: }",
        "None: resource\n2: }",
        "1: resource\n2: }",
    ]
