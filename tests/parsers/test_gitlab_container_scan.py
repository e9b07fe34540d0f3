"""GitLab container scanning reports, schema 14 and 15, and cluster image scanning."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.gitlab_container_scan import PARSER
from bastion.parsers.grouping import fingerprint

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "gitlab_container_scan"
SAMPLES = SCANS / "gitlab_container_scan"

# A cluster image scanning report (schema 15): the container scanning shape with a Kubernetes resource.
CLUSTER = json.loads((VARIANTS / "cluster_image_scanning.json").read_bytes())


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(document: object) -> list[NormalizedFinding]:
    return list(
        parse_report(io.BytesIO(json.dumps(document).encode()), format_name="gitlab_container_scan")[1]
    )


def test_vulnerable_package_is_read_with_image_and_fix() -> None:
    # when
    findings = _sample("issue6639_v14.json")
    # then
    assert len(findings) == 98
    first = findings[0]
    assert first.title == "busybox: remote attackers may execute arbitrary code if netstat is used"
    assert first.severity is Severity.CRITICAL
    assert first.advisory_ids == ("CVE-2022-28391",)
    assert (first.location.package, first.location.package_version) == ("busybox", "1.34.1-r4")
    assert first.location.fixed_version == "1.34.1-r5"
    assert (
        first.location.component == "XXXXXX.dkr.ecr.eu-west-3.amazonaws.com/XXX/admintools/tools:pipeline-ci"
    )
    assert first.tags == ("scanner:trivy",)
    assert first.fingerprint == fingerprint(
        "gitlab_container_scan",
        "XXXXXX.dkr.ecr.eu-west-3.amazonaws.com/XXX/admintools/tools",
        None,
        "busybox",
        "1.34.1-r4",
        "cve:CVE-2022-28391",
    )
    # two copies of terser in one image are two findings
    terser = [f for f in findings if f.location.package == "terser"]
    assert [f.location.package_version for f in terser] == ["4.8.0", "5.9.0"]
    assert terser[0].fingerprint != terser[1].fingerprint


def test_schema_15_without_message_is_titled_by_advisory_and_package() -> None:
    # when
    findings = _sample("gl-container-scanning-report-5-vuln_v15.json")
    # then
    assert [f.title for f in findings[:2]] == ["CVE-2020-1751 libc6 2.28-10", "CVE-2020-1752 libc6 2.28-10"]
    assert findings[0].tags == ("scanner:trivy", "os:debian 10.9")
    assert findings[0].remediation == ""
    assert findings[0].location.fixed_version is None
    assert findings[4].severity is Severity.MEDIUM


def test_cluster_image_scanning_report_names_the_resource_and_ignores_the_digest() -> None:
    # given: the same image, rebuilt
    rebuilt = json.loads(json.dumps(CLUSTER))
    rebuilt["vulnerabilities"][0]["location"]["image"] = "registry.example/team/api@sha256:9999ffff"
    # when
    (finding,) = _parse(CLUSTER)
    (again,) = _parse(rebuilt)
    # then
    assert finding.location.component == "prod/Deployment/api/api registry.example/team/api@sha256:0123abcd"
    assert finding.location.fixed_version == "3.0.8-r0"
    assert finding.tool_version == "0.37.2"
    assert again.fingerprint == finding.fingerprint
    assert detect_format(json.dumps(CLUSTER).encode()).name == "gitlab_container_scan"


def test_detects_container_scanning_reports_only() -> None:
    # then
    assert PARSER.detect((SAMPLES / "issue6639_v14.json").read_bytes()) == 95
    assert PARSER.detect((SAMPLES / "gl-container-scanning-report-0-vuln.json").read_bytes()) == 95
    without_scan = {key: value for key, value in CLUSTER.items() if key != "scan"}
    assert PARSER.detect(json.dumps(without_scan).encode()) == 85
    for other in ("gitlab_dep_scan/gl-dependency-scanning-report-1-vuln_v14.json",):
        assert PARSER.detect((SCANS / other).read_bytes()) == 0
    trivy = sorted((SCANS / "trivy").glob("*.json"))
    assert all(PARSER.detect(path.read_bytes()) == 0 for path in trivy)


def test_container_report_named_as_sast_is_refused_at_its_first_vulnerability() -> None:
    # when
    with (SAMPLES / "issue6639_v14.json").open("rb") as stream, pytest.raises(MalformedReport) as refused:
        list(parse_report(stream, format_name="gitlab_sast")[1])
    # then
    assert refused.value.reason.startswith("a container_scanning vulnerability")
    assert refused.value.position == "vulnerabilities[0].category"
