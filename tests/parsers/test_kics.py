"""KICS JSON reports."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.grouping import fingerprint
from bastion.parsers.kics import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "kics"

CURRENT = b"""{
 "kics_version": "v1.7.13",
 "files_scanned": 1, "files_parsed": 1, "queries_total": 1000,
 "queries": [{
  "query_name": "Container Running As Root",
  "query_id": "cf34805e-3872-4c08-bf92-6ff7bb0cfadb",
  "query_url": "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
  "severity": "CRITICAL",
  "platform": "Kubernetes",
  "cwe": "250",
  "category": "Best Practices",
  "description": "Containers should only run as non-root user.",
  "files": [{
   "file_name": "k8s/deploy.yaml",
   "similarity_id": "abc123",
   "line": 12,
   "resource_type": "Deployment",
   "resource_name": "web",
   "issue_type": "IncorrectValue",
   "search_key": "metadata.name={{web}}.spec.containers.name={{app}}.securityContext.runAsUser",
   "expected_value": "runAsUser is higher than 0",
   "actual_value": "runAsUser is 0",
   "remediation": "1000",
   "remediation_type": "replacement"
  }, {
   "file_name": "k8s/deploy.yaml",
   "similarity_id": "def456",
   "line": 40,
   "issue_type": "IncorrectValue",
   "search_key": "metadata.name={{worker}}.spec.containers.name={{app}}.securityContext.runAsUser",
   "expected_value": "runAsUser is higher than 0",
   "actual_value": "runAsUser is 0"
  }]
 }, {
  "query_name": "Trace Query", "query_id": "q-trace", "query_url": "https://kics.io/",
  "severity": "TRACE", "platform": "Common", "category": "Observability",
  "files": [{"file_name": "main.tf", "similarity_id": "t1", "line": 1, "search_key": "resource"}]
 }]
}"""


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="kics")[1])


def test_each_file_match_of_a_query_is_a_finding() -> None:
    # when
    findings = _sample("many_findings.json")
    # then
    assert len(findings) == 18
    first = findings[0]
    assert first.title == "Secret Management: Passwords And Secrets In Infrastructure Code"
    assert first.severity is Severity.HIGH
    assert first.tool == "kics"
    assert first.rule_id == "f996f3cb-00fc-480c-8973-8ab04d44a8cc"
    assert first.tool_finding_id == "70d28c075a7cda7f4b6b4a9b7f5c48a7d2213c8a4fc1332b8eabd5805a8f177a"
    assert first.location.file_path == "test/charts/example/terraform/main.tf"
    assert (first.location.line_start, first.location.line_end) == (25, 25)
    assert first.location.component == "Common"
    assert first.evidence == "module.aws_reverse_proxy.basic_auth_password"
    assert first.remediation == "Hardcoded secret key should not appear in source"
    assert first.references == ()
    assert first.tags == (
        "category:Secret Management",
        "platform:Common",
        "issue:RedundantAttribute",
    )
    assert first.fingerprint == fingerprint(
        "kics",
        "f996f3cb-00fc-480c-8973-8ab04d44a8cc",
        "test/charts/example/terraform/main.tf",
        "module.aws_reverse_proxy.basic_auth_password",
    )


def test_current_report_carries_version_cwe_remediation_and_critical() -> None:
    # when
    findings = _parse(CURRENT)
    # then
    assert len(findings) == 3
    first = findings[0]
    assert first.tool_version == "v1.7.13"
    assert first.severity is Severity.CRITICAL
    assert first.cwe_ids == (250,)
    assert first.remediation == "replacement: 1000"
    assert first.references == ("https://kubernetes.io/docs/concepts/security/pod-security-standards/",)
    assert first.description == (
        "Containers should only run as non-root user.\n\n"
        "Expected: runAsUser is higher than 0\n\n"
        "Actual: runAsUser is 0\n\n"
        "Resource: Deployment web\n\n"
        "Search key: metadata.name={{web}}.spec.containers.name={{app}}.securityContext.runAsUser"
    )
    assert findings[2].severity is Severity.INFO


def test_fingerprint_ignores_the_line_and_tells_resources_apart() -> None:
    # given: the first match, moved down by 5 lines
    moved = CURRENT.replace(b'"line": 12', b'"line": 17')
    # when
    before = _parse(CURRENT)
    after = _parse(moved)
    # then
    assert after[0].location.line_start == 17
    assert after[0].fingerprint == before[0].fingerprint
    assert len({finding.fingerprint for finding in before}) == 3


def test_report_that_repeats_a_match_repeats_its_fingerprint() -> None:
    # when: "RBAC Wildcard In Rule" lists one place four times
    findings = _sample("many_findings.json")
    # then
    repeated = [
        finding.fingerprint
        for finding in findings
        if finding.title == "Access Control: RBAC Wildcard In Rule"
    ]
    assert len(repeated) == 4
    assert len(set(repeated)) == 1
    assert len({finding.fingerprint for finding in findings}) == 15


def test_report_without_queries_has_no_findings() -> None:
    # when / then
    assert _sample("no_findings.json") == []


def test_detects_kics_reports_only() -> None:
    # then
    assert PARSER.detect((SAMPLES / "no_findings.json").read_bytes()) == 90
    assert PARSER.detect(CURRENT) == 95
    assert PARSER.detect(b'{"queries": [], "results": []}') == 0


def test_match_without_file_name_is_rejected() -> None:
    # given
    report = b'{"queries": [{"query_id": "q", "severity": "HIGH", "files": [{"line": 3}]}]}'
    # when / then
    with pytest.raises(MalformedReport, match="KeyError: 'file_name'"):
        _parse(report)


def test_files_that_are_not_an_array_are_rejected() -> None:
    # given
    report = b'{"queries": [{"query_id": "q", "severity": "HIGH", "files": "main.tf"}]}'
    # when / then
    with pytest.raises(MalformedReport, match="expected an array, found str") as error:
        _parse(report)
    assert error.value.position == "queries[0].files"
