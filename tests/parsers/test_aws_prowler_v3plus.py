"""Prowler v3 JSON and v4+ OCSF JSON reports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.aws_prowler_v3plus import PARSER
from bastion.parsers.grouping import fingerprint

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "aws_prowler_v3plus"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "aws_prowler_v3plus"

# Prowler v3 JSON (``-M json``), as its documentation shows a check.
V3 = json.loads((VARIANTS / "v3.json").read_bytes())


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="aws_prowler_v3plus")[1])


def test_ocsf_failed_check_is_read_with_resource_and_remediation() -> None:
    # when
    findings = _sample("one_vuln.ocsf.json")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == (
        "IAM Role myAdministratorExecutionRole has AdministratorAccess policy attached "
        "that has too permissive trust relationship."
    )
    assert finding.severity is Severity.HIGH
    assert finding.rule_id == "iam_role_administratoraccess_policy_permissive_trust_relationship"
    assert finding.tool_finding_id == (
        "prowler-aws-iam_role_administratoraccess_policy_permissive_trust_relationship"
        "-123456789012-us-east-1-myAdministratorExecutionRole"
    )
    assert finding.tool_version == "4.2.1"
    assert finding.location.component == "arn:aws:iam::123456789012:role/myAdministratorExecutionRole"
    assert finding.cwe_ids == (1032,)
    assert finding.references == (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html#jf_administrator",
    )
    assert finding.remediation.startswith("Apply the principle of least privilege.")
    assert finding.tags == ("provider:aws", "service:iam", "category:trustboundaries")
    assert finding.fingerprint == fingerprint(
        "aws_prowler_v3plus",
        "aws",
        "123456789012",
        "us-east-1",
        "iam_role_administratoraccess_policy_permissive_trust_relationship",
        "arn:aws:iam::123456789012:role/myAdministratorExecutionRole",
    )


def test_ocsf_muted_check_is_not_a_finding() -> None:
    # when: the third check of the report is muted (status Suppressed)
    findings = _sample("many_vuln.ocsf.json")
    # then
    assert [finding.rule_id for finding in findings] == [
        "iam_role_administratoraccess_policy_permissive_trust_relationship",
        "iam_role_cross_account_readonlyaccess_policy",
    ]


def test_v3_json_failed_check_is_read_and_passed_one_skipped() -> None:
    # when
    findings = _parse(json.dumps(V3).encode())
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "S3 Bucket my-bucket is public."
    assert finding.severity is Severity.CRITICAL
    assert finding.rule_id == "s3_bucket_public_access"
    assert finding.location.component == "arn:aws:s3:::my-bucket"
    assert (
        finding.remediation
        == "Block public access.\nCLI: aws s3api put-public-access-block --bucket my-bucket"
    )
    assert finding.references == (
        "https://aws.amazon.com/s3/features/",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
    )
    assert "Compliance: CIS-1.5: 2.1.5" in finding.description
    assert finding.tags == ("provider:aws", "service:s3", "category:internet-exposed")
    assert finding.fingerprint == fingerprint(
        "aws_prowler_v3plus",
        "aws",
        "123456789012",
        "eu-west-1",
        "s3_bucket_public_access",
        "arn:aws:s3:::my-bucket",
    )


def test_v3_json_is_detected() -> None:
    # when / then
    assert detect_format(json.dumps(V3, indent=2).encode()).name == "aws_prowler_v3plus"


def test_ocsf_of_another_product_is_not_detected() -> None:
    # given: an OCSF finding that no Prowler wrote
    report = json.dumps([{"finding_info": {"uid": "x-1", "title": "t"}, "status_code": "FAIL"}]).encode()
    # when / then
    assert PARSER.detect(report) == 0


def test_object_report_is_refused() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"Results": []}')
    assert caught.value.reason == "expected an array, found dict"


def test_record_of_another_shape_is_refused_naming_it() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(b'[{"Status": "FAIL", "CheckID": "a"}, {"name": "other"}]')
    assert caught.value.position == "[1]"
    assert "neither 'status_code'" in caught.value.reason


def test_truncated_report_is_refused() -> None:
    # given
    data = (SAMPLES / "one_vuln.ocsf.json").read_bytes()[:500]
    # when / then
    with pytest.raises(MalformedReport):
        _parse(data)
