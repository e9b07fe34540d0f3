"""Trivy Operator reports: single resources, lists, the object of lists, compliance."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.trivy_operator import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "trivy_operator"
WORKLOAD = "default/ReplicaSet/nginx-deployment-965685897/nginx"


def _findings(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="trivy_operator")[1])


def _sample(name: str) -> list[NormalizedFinding]:
    return _findings((SAMPLES / name).read_bytes())


def _vulnerability_report(*vulnerabilities: dict[str, object], container: str = "nginx") -> dict[str, object]:
    return {
        "apiVersion": "aquasecurity.github.io/v1alpha1",
        "kind": "VulnerabilityReport",
        "metadata": {
            "name": f"replicaset-web-{container}",
            "namespace": "shop",
            "labels": {
                "trivy-operator.resource.kind": "ReplicaSet",
                "trivy-operator.resource.name": "web",
                "trivy-operator.resource.namespace": "shop",
                "trivy-operator.container.name": container,
            },
        },
        "report": {
            "artifact": {"repository": "library/nginx", "tag": "alpine"},
            "registry": {"server": "index.docker.io"},
            "scanner": {"name": "Trivy", "version": "0.38.2"},
            "vulnerabilities": list(vulnerabilities),
        },
    }


CURL = {
    "vulnerabilityID": "CVE-2023-23914",
    "resource": "curl",
    "installedVersion": "7.87.0-r1",
    "fixedVersion": "7.87.0-r2",
    "severity": "CRITICAL",
    "title": "curl: HSTS ignored on multiple requests",
    "primaryLink": "https://avd.aquasec.com/nvd/cve-2023-23914",
    "score": 4.2,
}


def test_vulnerability_report_is_read_in_full() -> None:
    # when
    findings = _sample("vulnerabilityreport_many.json")
    # then
    assert len(findings) == 41
    first = findings[0]
    assert first.title == "CVE-2023-23914 curl 7.87.0-r1"
    assert first.severity is Severity.CRITICAL
    assert first.rule_id == "CVE-2023-23914"
    assert first.advisory_ids == ("CVE-2023-23914",)
    assert first.tool_version == "0.38.2"
    assert first.description == "curl: HSTS ignored on multiple requests"
    assert first.location.package == "curl"
    assert first.location.package_version == "7.87.0-r1"
    assert first.location.fixed_version == "7.87.0-r2"
    assert first.location.component == "index.docker.io/library/nginx:alpine"
    assert first.references == ("https://avd.aquasec.com/nvd/cve-2023-23914",)
    assert first.tags == ("vulnerability", WORKLOAD)


def test_report_without_vulnerabilities_has_no_findings() -> None:
    assert _sample("vulnerabilityreport_no_vuln.json") == []


def test_object_of_lists_reads_each_kind() -> None:
    # when
    findings = _sample("all_reports_in_dict.json")
    # then
    assert len(findings) == 43
    # in the order of the report: its config audit, its exposed secret, its vulnerabilities
    check = findings[0]
    assert check.rule_id == "KSV014"
    assert check.title == "Root file system is not read-only"
    assert check.severity is Severity.LOW
    assert check.tool_version == "dev"
    assert check.location.component == "default/ReplicaSet/nginx-deployment-965685897"
    assert check.evidence == (
        "Container 'nginx' of ReplicaSet 'nginx-deployment-965685897' should set "
        "'securityContext.readOnlyRootFilesystem' to true"
    )
    secret = findings[1]
    assert secret.rule_id == "aws-secret-access-key"
    assert secret.title == "Secret: AWS Secret Access Key"
    assert secret.severity is Severity.CRITICAL
    assert secret.location.file_path == "root/aws_secret.txt"
    assert secret.location.component == "index.docker.io/library/secret:latest"
    assert secret.evidence == 'AWS_secret_KEY="****************************************"'


def test_compliance_report_yields_each_failed_check() -> None:
    # when
    findings = _sample("cis_benchmark.json")
    # then
    assert len(findings) == 795
    first = findings[0]
    assert first.title == "5.1.2 Minimize access to secrets: Manage secrets (/clusterrole-admin)"
    assert first.severity is Severity.CRITICAL
    assert first.rule_id == "AVD-KSV-0041"
    assert first.location.component == "/clusterrole-admin"
    assert first.remediation == "Manage secrets are not allowed. Remove resource 'secrets' from cluster role"
    assert first.tags == ("compliance", "cis", "control:5.1.2")
    # the same check on another role is another finding
    assert findings[1].location.component == "/clusterrole-aks-service"
    assert findings[1].fingerprint != first.fingerprint


def test_kubectl_list_is_read_like_single_resources() -> None:
    # given
    single = _vulnerability_report(CURL)
    listed = {
        "apiVersion": "v1",
        "items": [single, _vulnerability_report(CURL, container="sidecar")],
        "kind": "List",
    }
    # when
    alone = _findings(orjson.dumps(single))
    in_list = _findings(orjson.dumps(listed))
    # then
    assert [finding.fingerprint for finding in in_list[:1]] == [alone[0].fingerprint]
    assert in_list[0].tags == ("vulnerability", "shop/ReplicaSet/web/nginx")
    assert in_list[1].tags == ("vulnerability", "shop/ReplicaSet/web/sidecar")
    assert in_list[1].fingerprint != in_list[0].fingerprint


def test_fingerprint_ignores_versions_and_scores() -> None:
    # given: the next scan, after a rebuild with a newer curl still affected
    later = {**CURL, "installedVersion": "7.87.0-r3", "score": 5.0, "title": "reworded"}
    # when
    before = _findings(orjson.dumps(_vulnerability_report(CURL)))[0]
    after = _findings(orjson.dumps(_vulnerability_report(later)))[0]
    # then
    assert before.fingerprint == after.fingerprint


def test_successful_check_is_not_a_finding() -> None:
    # given
    report = {
        "apiVersion": "aquasecurity.github.io/v1alpha1",
        "kind": "ConfigAuditReport",
        "metadata": {"name": "replicaset-web", "namespace": "shop"},
        "report": {
            "checks": [
                {
                    "checkID": "KSV001",
                    "title": "Privilege escalation",
                    "severity": "MEDIUM",
                    "success": True,
                },
                {
                    "checkID": "KSV014",
                    "title": "Writable root",
                    "severity": "LOW",
                    "success": False,
                },
            ],
            "scanner": {"name": "Trivy", "version": "0.40.0"},
        },
    }
    # when
    findings = _findings(orjson.dumps(report))
    # then
    assert [finding.rule_id for finding in findings] == ["KSV014"]
    assert findings[0].location.component == "shop/replicaset-web"


def test_detects_samples_and_not_plain_trivy() -> None:
    assert PARSER.detect((SAMPLES / "vulnerabilityreport_many.json").read_bytes()) == 95
    assert PARSER.detect((SAMPLES / "all_reports_in_dict.json").read_bytes()) == 95
    assert PARSER.detect((SAMPLES / "cis_benchmark.json").read_bytes()[:65536]) == 95
    assert PARSER.detect(b'{"SchemaVersion": 2, "ArtifactName": ".", "Results": []}') == 0


def test_vulnerability_without_id_is_rejected() -> None:
    # given
    data = orjson.dumps(_vulnerability_report({"resource": "curl", "severity": "HIGH"}))
    # when / then
    with pytest.raises(MalformedReport, match="a vulnerability has no vulnerabilityID") as caught:
        _findings(data)
    assert caught.value.position == "report.vulnerabilities[0]"


def test_vulnerabilities_that_are_not_a_list_are_rejected() -> None:
    report = _vulnerability_report()
    report["report"] = {"vulnerabilities": {"CVE-2023-23914": "curl"}}
    with pytest.raises(MalformedReport, match="expected an array, found dict") as caught:
        _findings(orjson.dumps(report))
    assert caught.value.position == "report.vulnerabilities"
