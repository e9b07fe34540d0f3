"""tfsec JSON reports: legacy, 0.x and 1.x."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.grouping import fingerprint
from bastion.parsers.tfsec import PARSER

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "tfsec"
SAMPLES = SCANS / "tfsec"


def _result(status: int, resource: str, line: int) -> dict[str, object]:
    """Return one tfsec 1.x result."""
    return {
        "rule_id": "AVD-AWS-0107",
        "long_id": "aws-ec2-no-public-ingress-sgr",
        "rule_description": "An ingress security group rule allows traffic from /0.",
        "rule_provider": "aws",
        "rule_service": "ec2",
        "impact": "Your port exposed to the internet",
        "resolution": "Set a more restrictive cidr range",
        "links": ["https://aquasecurity.github.io/tfsec/v1.28.1/checks/aws/ec2/no-public-ingress-sgr/"],
        "description": "Security group rule allows ingress from public internet.",
        "severity": "CRITICAL",
        "warning": False,
        "status": status,
        "resource": resource,
        "location": {"filename": "/src/network/main.tf", "start_line": line, "end_line": line},
    }


# tfsec 1.x: AVD rule ids, long_id, resource, and status 0 (failed), 1 (passed) or 2 (ignored).
VERSION_1 = json.loads((VARIANTS / "version_1.json").read_bytes())


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(document: object) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(json.dumps(document).encode()), format_name="tfsec")[1])


def test_current_report_groups_one_rule_at_one_place() -> None:
    # when
    findings = _sample("many_findings_current.json")
    # then: 19 results, 13 rule-and-place groups
    assert len(findings) == 13
    first = findings[0]
    assert first.title == "An ingress Network ACL rule allows ALL ports."
    assert first.severity is Severity.CRITICAL
    assert first.rule_id == "aws-vpc-no-excessive-port-access"
    assert first.location.file_path == "/tmp/aws-eks/modules/vpc-subnets/resources.tf"  # noqa: S108 - a path in the report
    assert (first.location.line_start, first.location.line_end) == (155, 155)
    assert first.remediation == "Set specific allowed ports"
    assert first.tags == ("provider:aws", "legacy_id:AWS050", "instances:1")
    assert len(first.references) == 3
    grouped = [f for f in findings if f.tags[-1] != "instances:1"]
    assert [f.tags[-1] for f in grouped] == ["instances:6", "instances:2"]
    assert "Other instances (5):" in grouped[0].evidence
    assert len({f.fingerprint for f in findings}) == 13


def test_legacy_report_reads_the_link_sentence_and_warning_severity() -> None:
    # when
    (finding,) = _sample("one_finding_legacy.json")
    # then
    assert finding.severity is Severity.MEDIUM
    assert finding.rule_id == "GEN003"
    assert finding.title == "Potentially sensitive data stored in block attribute."
    assert (finding.location.file_path, finding.location.line_start) == ("tfsec-test/identity.tf", 226)
    assert finding.references == ("https://tfsec.dev/docs/general/GEN003/",)
    assert finding.fingerprint == fingerprint(
        "tfsec",
        "GEN003",
        "tfsec-test/identity.tf",
        "Block 'keycloak_oidc_identity_provider.google' includes a potentially sensitive attribute which is "
        "defined within the project.",
    )


def test_version_1_skips_passed_and_ignored_checks_and_names_the_resource() -> None:
    # when
    findings = _parse(VERSION_1)
    # then
    (finding,) = findings
    assert finding.location.component == "aws_security_group_rule.ssh"
    assert finding.tags == (
        "provider:aws",
        "service:ec2",
        "long_id:aws-ec2-no-public-ingress-sgr",
        "instances:1",
    )
    assert finding.fingerprint == fingerprint(
        "tfsec", "AVD-AWS-0107", "/src/network/main.tf", "aws_security_group_rule.ssh"
    )


def test_fingerprint_survives_lines_moving() -> None:
    # when
    before = _parse({"results": [_result(0, "aws_security_group_rule.ssh", 10)]})
    after = _parse({"results": [_result(0, "aws_security_group_rule.ssh", 42)]})
    # then
    assert after[0].location.line_start == 42
    assert after[0].fingerprint == before[0].fingerprint


def test_no_results_is_a_report_without_findings() -> None:
    # then
    assert _sample("no_findings.json") == []
    assert PARSER.detect((SAMPLES / "no_findings.json").read_bytes()) == 20
    assert _parse({"results": []}) == []


def test_detects_tfsec_reports_only() -> None:
    # then
    assert PARSER.detect((SAMPLES / "many_findings_current.json").read_bytes()) == 90
    assert PARSER.detect(json.dumps(VERSION_1).encode()) == 90
    assert detect_format(json.dumps(VERSION_1).encode()).name == "tfsec"
    for other in ("checkov", "semgrep", "osv_scanner", "kics"):
        assert all(PARSER.detect(path.read_bytes()) == 0 for path in (SCANS / other).glob("*.json"))


@pytest.mark.parametrize(
    ("document", "reason", "position"),
    [
        (b'{"errors": []}', "the report has no 'results'", "top level"),
        (b'{"results": [{"location": {}}]}', "a result has no rule_id", "results[0]"),
        (
            b'{"results": [{"rule_id": "X", "location": 3}]}',
            "expected an object, found int",
            "results[0].location",
        ),
        (b'{"results": [{"rule_id": "X"', "invalid JSON", "results[0]"),
    ],
)
def test_malformed_report_is_refused_naming_where(document: bytes, reason: str, position: str) -> None:
    # when
    with pytest.raises(MalformedReport) as refused:
        list(parse_report(io.BytesIO(document), format_name="tfsec")[1])
    # then
    assert refused.value.reason.startswith(reason)
    assert refused.value.position == position
