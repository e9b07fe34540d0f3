"""Wiz CSV exports: Issues and Vulnerability Findings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.grouping import fingerprint
from bastion.parsers.wiz import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "wiz"

# An Issues export with the columns Wiz documents, a resolved issue of unknown severity.
ISSUES = (
    b"Created At,Title,Severity,Status,Description,Resource Type,Resource external ID,Control ID,"
    b"Resource Name,Issue ID,Remediation Recommendation,Wiz URL\r\n"
    b"2024-01-02T00:00:00Z,Public bucket,SEVERE,RESOLVED,Bucket is public,bucket,"
    b"arn:aws:s3:::b1,wc-id-1,b1,iss-1,Block public access,https://app.wiz.io/issues#1\r\n"
)


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="wiz")[1])


def test_issue_row_is_read_with_control_resource_and_status() -> None:
    # when
    findings = _sample("multiple_findings.csv")
    # then
    assert len(findings) == 98
    first = findings[0]
    assert first.title == "AKS role/cluster role assigned permissions that contain wildcards"
    assert first.severity is Severity.INFO
    assert first.rule_id == "5bd69891-b61f-49c8-85a5-c8f90c3eff80"
    assert first.tool_finding_id == "0029ee49-c676-432f-8690-12f2862ec708"
    resource = "k8s/user/42cfa6ccd681025c90a26bea65c39fa80ca8837a0bd3b5c7889165217fa4931e/aks-support"
    assert first.location.component == resource
    assert first.tags == ("status:open", "platform:Kubernetes")
    assert first.fingerprint == fingerprint("wiz", "issue", "5bd69891-b61f-49c8-85a5-c8f90c3eff80", resource)
    assert sorted({tag for finding in findings for tag in finding.tags if tag.startswith("status:")}) == [
        "status:ignored",
        "status:in_progress",
        "status:open",
        "status:resolved",
    ]


def test_vulnerability_row_is_read_with_package_and_fix() -> None:
    # when
    findings = _sample("sca_format.csv")
    # then
    assert len(findings) == 5
    first = findings[0]
    assert first.title == "github.com/containerd/containerd: CVE-2024-39474"
    assert first.severity is Severity.LOW
    assert first.advisory_ids == ("CVE-2024-39474",)
    assert first.location.package == "github.com/containerd/containerd"
    assert (first.location.package_version, first.location.fixed_version) == ("1.4.0", "1.5.11")
    assert first.location.file_path == "/home/kubernetes/bin/containerd-gcfs-grpc"
    assert first.location.component == "k8s-bigcorp-default-zone-0dd0efbc-46n6"
    assert first.fingerprint == fingerprint(
        "wiz",
        "vulnerability",
        "a2ca5de0-7223-11ef-af4c-032d5da2afbf",
        "CVE-2024-39474",
        "github.com/containerd/containerd",
        "/home/kubernetes/bin/containerd-gcfs-grpc",
    )


def test_issue_export_with_fewer_columns_is_read_and_an_unknown_severity_is_info() -> None:
    # when
    findings = _parse(ISSUES)
    # then
    assert [(f.title, f.severity, f.tags, f.references) for f in findings] == [
        ("Public bucket", Severity.INFO, ("status:resolved",), ("https://app.wiz.io/issues#1",))
    ]
    assert detect_format(ISSUES).name == "wiz"


def test_export_without_findings_has_none() -> None:
    # when / then
    assert _sample("no_findings.csv") == []


def test_csv_of_another_tool_is_refused() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(b"Plugin ID,Host,Risk\r\n1,h,High\r\n")
    assert caught.value.reason == "no CSV header row naming the Name and DetailedName columns"


def test_row_with_missing_fields_is_refused() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(ISSUES + b"2024-01-02,Only two\r\n")
    assert caught.value.position == "line 3"


def test_generic_title_severity_csv_is_not_detected() -> None:
    # when / then
    assert PARSER.detect(b"title,severity,description\r\nx,high,y\r\n") == 0
