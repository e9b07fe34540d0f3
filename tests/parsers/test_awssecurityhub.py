"""AWS Security Finding Format reports: Security Hub exports, EventBridge events, ASFF arrays."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.awssecurityhub import PARSER
from bastion.parsers.grouping import fingerprint

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "awssecurityhub"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "awssecurityhub"


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="awssecurityhub")[1])


def test_control_finding_is_read_with_resource_and_state() -> None:
    # when
    findings = _sample("config_one_finding_active.json")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert (
        finding.title
        == "IAM.5 MFA should be enabled for all IAM users that have console password - Resource: 012345678912"
    )
    assert finding.severity is Severity.MEDIUM
    assert finding.rule_id == "IAM.5"
    assert finding.location.component == "AWS::::Account:012345678912"
    assert finding.references == ("https://docs.aws.amazon.com/console/securityhub/IAM.5/remediation",)
    assert finding.tags == ("product:Security Hub", "compliance:failed", "workflow:new", "record:active")
    assert finding.fingerprint == fingerprint(
        "awssecurityhub",
        "aws/securityhub",
        "aws-foundational-security-best-practices/v/1.0.0/IAM.5",
        "012345678912",
        "AWS::::Account:012345678912",
        "",
    )


def test_several_resources_are_listed_and_sorted_into_the_fingerprint() -> None:
    # when
    findings = _sample("config_multiple_resources.json")
    # then
    first = findings[0]
    assert first.title.endswith(" - Resource: security-group/sg-0fff2222bbbb1111a and 2 more")
    assert first.evidence.count("\n") == 3
    resources = sorted(
        [
            "arn:aws:ec2:us-east-1:012345678912:security-group/sg-0fff2222bbbb1111a",
            "arn:aws:ec2:us-east-1:012345678912:security-group/sg-0aaa1111cccc2222b",
            "arn:aws:ec2:us-east-1:012345678912:vpc/vpc-0bbb3333dddd4444c",
        ]
    )
    assert first.fingerprint == fingerprint(
        "awssecurityhub",
        "aws/securityhub",
        "aws-foundational-security-best-practices/v/1.0.0/EC2.2",
        "012345678912",
        ",".join(resources),
        "",
    )


def test_inspector_finding_carries_cve_cvss_and_package() -> None:
    # when
    finding = _sample("inspector_ecr.json")[0]
    # then
    assert finding.title == (
        "CVE-2023-2650 - openssl - Image: "
        "repo-os/sha256:af965ef68c78374a5f987fce98c0ddfa45801df2395bf012c50b863e65978d74"
    )
    assert finding.severity is Severity.MEDIUM
    assert finding.advisory_ids == ("CVE-2023-2650",)
    assert finding.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H"
    assert finding.cvss_v3_score == 6.5
    assert (finding.location.package, finding.location.package_version) == ("openssl", "1.1.1n-0+deb11u4")
    assert finding.location.fixed_version == "0:1.1.1n-0+deb11u5"
    assert "Upgrade openssl to 0:1.1.1n-0+deb11u5 or later." in finding.remediation
    assert finding.references[0] == "https://security-tracker.debian.org/tracker/CVE-2023-2650"


def test_eventbridge_event_and_asff_array_are_read_with_normalized_severity_and_state_tags() -> None:
    # given: a GuardDuty finding as ASFF documents it, with only the normalized severity of old reports
    event = (VARIANTS / "eventbridge_event.json").read_bytes()
    array = (VARIANTS / "asff_array.json").read_bytes()
    # when
    from_event = _parse(event)
    from_array = _parse(array)
    # then
    assert from_event == from_array
    finding = from_event[0]
    assert finding.severity is Severity.HIGH
    assert finding.rule_id == "arn:aws:guardduty:us-east-1:111122223333:detector/d1"
    assert finding.tags == ("product:aws/guardduty", "workflow:resolved", "record:archived")
    assert detect_format(event).name == "awssecurityhub"
    assert detect_format(array).name == "awssecurityhub"


def test_object_without_findings_is_refused() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"Results": []}')
    assert caught.value.reason == "the report has no 'Findings'; it may be another tool's report"


def test_findings_that_are_not_an_array_are_refused() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"Findings": {"Id": "x"}}')
    assert caught.value.reason == "expected an array, found dict"


def test_other_json_is_not_detected() -> None:
    # when / then
    assert PARSER.detect(b'{"Findings": [{"Id": "a", "Title": "t"}]}') == 0
