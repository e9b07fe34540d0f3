"""Trivy JSON: legacy, schema 2 and Kubernetes reports."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.trivy import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "trivy"

VULNERABILITY = {
    "VulnerabilityID": "CVE-2021-33503",
    "PkgName": "urllib3",
    "InstalledVersion": "1.26.3",
    "FixedVersion": "1.26.5",
    "Severity": "HIGH",
    "CweIDs": ["CWE-400"],
    "Description": "ReDoS in the authority parser.",
}


def _findings(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="trivy")[1])


def _sample(name: str) -> list[NormalizedFinding]:
    return _findings((SAMPLES / name).read_bytes())


def _schema_2(*vulnerabilities: dict[str, object]) -> bytes:
    result = {
        "Target": "requirements.txt",
        "Class": "lang-pkgs",
        "Type": "pip",
        "Vulnerabilities": vulnerabilities,
    }
    report = {
        "SchemaVersion": 2,
        "ArtifactName": ".",
        "ArtifactType": "filesystem",
        "Results": [result],
    }
    return orjson.dumps(report)


def test_schema_2_vulnerability_is_read_in_full() -> None:
    # when
    first = _sample("scheme_2_many_vulns.json")[0]
    # then
    assert first.title == "CVE-2020-15999 freetype 2.9.1-r2"
    assert first.severity is Severity.MEDIUM
    assert first.rule_id == "CVE-2020-15999"
    assert first.advisory_ids == ("CVE-2020-15999",)
    assert first.cwe_ids == (787,)
    # the severity's own source (nvd) wins over redhat's vector
    assert first.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H"
    assert first.cvss_v3_score == 6.5
    assert first.location.file_path == "app/libs/freetype-2.9.1-r2"
    assert first.location.package == "freetype"
    assert first.location.package_version == "2.9.1-r2"
    assert first.location.fixed_version == "2.9.1-r3"
    assert first.location.component == "teamdojo:latest (alpine 3.9.4)"
    assert first.remediation == "Upgrade freetype to 2.9.1-r3."
    assert first.references[0] == "https://avd.aquasec.com/nvd/cve-2020-15999"
    assert first.tool == "trivy"


def test_legacy_array_report_is_read() -> None:
    # when
    findings = _sample("legacy_many_vulns.json")
    # then
    assert len(findings) == 93
    first = findings[0]
    assert first.title == "CVE-2011-3374 apt 1.8.2.2"
    assert first.severity is Severity.LOW
    assert first.cwe_ids == (347,)
    assert first.location.file_path is None
    assert first.location.component == "debian (debian 10.8)"
    assert first.location.fixed_version is None
    assert first.remediation == ""


def test_misconfigurations_and_secrets_are_read() -> None:
    # when
    findings = _sample("misconfigurations_and_secrets.json")
    # then
    assert [finding.rule_id for finding in findings] == [
        "CVE-2021-33503",
        "CVE-2021-28363",
        "DS002",
        "github-pat",
        "github-pat",
    ]
    misconfiguration = findings[2]
    assert misconfiguration.title == "Image user should not be 'root'"
    assert misconfiguration.severity is Severity.HIGH
    assert misconfiguration.location.file_path == "Dockerfile"
    assert (
        misconfiguration.evidence
        == "Specify at least 1 USER command in Dockerfile with non-root user as argument"
    )
    assert misconfiguration.remediation == "Add 'USER <non root user name>' line to the Dockerfile"
    secret = findings[3]
    assert secret.title == "Secret: GitHub Personal Access Token"
    assert secret.severity is Severity.CRITICAL
    assert secret.location.file_path == "Dockerfile"
    assert secret.location.line_start == 24
    assert secret.evidence == "ENV GITHUB_PAT=*****"


def test_kubernetes_report_names_the_resource() -> None:
    # when
    findings = _sample("kubernetes.json")
    # then
    assert len(findings) == 20
    assert findings[0].title == "CVE-2020-27350 apt 1.8.2.1"
    assert findings[0].location.component == "default/Deployment/redis-follower"
    assert findings[5].location.component == "default/Deployment/redis-leader"
    check = findings[10]
    assert check.rule_id == "KSV001"
    assert check.title == "Process can elevate its own privileges"
    assert check.location.file_path == "Deployment/redis-follower"
    assert (check.location.line_start, check.location.line_end) == (132, 143)
    assert check.evidence.startswith(
        "132:                 - image: gcr.io/google_samples/gb-redis-follower:v2\n"
    )


def test_same_vulnerability_in_two_resources_gets_two_fingerprints() -> None:
    # when
    findings = _sample("kubernetes.json")
    # then
    assert findings[0].rule_id == findings[5].rule_id == "CVE-2020-27350"
    assert findings[0].fingerprint != findings[5].fingerprint
    assert len({finding.fingerprint for finding in findings}) == 20


def test_fingerprint_ignores_version_and_description() -> None:
    # given: the same vulnerability, a later scan after a minor upgrade
    later = {**VULNERABILITY, "InstalledVersion": "1.26.4", "Description": "Reworded."}
    # when
    before = _findings(_schema_2(VULNERABILITY))[0]
    after = _findings(_schema_2(later))[0]
    # then
    assert before.fingerprint == after.fingerprint
    assert before.title == "CVE-2021-33503 urllib3 1.26.3"
    assert after.title == "CVE-2021-33503 urllib3 1.26.4"


def test_legacy_and_schema_2_give_the_same_fingerprint() -> None:
    # given
    legacy = orjson.dumps([{"Target": "requirements.txt", "Type": "pip", "Vulnerabilities": [VULNERABILITY]}])
    # when
    old = _findings(legacy)[0]
    new = _findings(_schema_2(VULNERABILITY))[0]
    # then
    assert old.fingerprint == new.fingerprint
    assert old.location.file_path == new.location.file_path == "requirements.txt"


def test_passed_misconfiguration_is_not_a_finding() -> None:
    # given
    checks = [
        {"ID": "DS001", "Title": "Latest tag", "Severity": "MEDIUM", "Status": "PASS"},
        {
            "ID": "DS002",
            "AVDID": "AVD-DS-0002",
            "Title": "Root user",
            "Severity": "HIGH",
            "Status": "FAIL",
        },
    ]
    result = {
        "Target": "Dockerfile",
        "Class": "config",
        "Type": "dockerfile",
        "Misconfigurations": checks,
    }
    report = {
        "SchemaVersion": 2,
        "ArtifactName": ".",
        "ArtifactType": "filesystem",
        "Results": [result],
    }
    # when
    findings = _findings(orjson.dumps(report))
    # then
    assert [finding.rule_id for finding in findings] == ["AVD-DS-0002"]


def test_unknown_severity_is_info() -> None:
    findings = _findings(_schema_2({**VULNERABILITY, "Severity": "UNKNOWN"}))
    assert findings[0].severity is Severity.INFO


def test_detects_each_variant_and_not_others() -> None:
    assert PARSER.detect((SAMPLES / "scheme_2_many_vulns.json").read_bytes()) == 95
    assert PARSER.detect((SAMPLES / "kubernetes.json").read_bytes()) == 90
    assert PARSER.detect((SAMPLES / "legacy_many_vulns.json").read_bytes()) == 80
    assert PARSER.detect(b'{"matches": [], "descriptor": {"name": "grype"}}') == 0
    assert PARSER.detect(b'{"vulnerabilities": [], "ok": true}') == 0


def test_vulnerability_without_id_is_rejected() -> None:
    # given
    data = _schema_2({"PkgName": "urllib3", "Severity": "HIGH"})
    # when / then
    with pytest.raises(MalformedReport, match="a vulnerability has no VulnerabilityID") as caught:
        _findings(data)
    assert caught.value.position == "Results[0].Vulnerabilities[0]"


def test_result_that_is_not_an_object_is_rejected() -> None:
    data = b'{"SchemaVersion": 2, "ArtifactName": ".", "ArtifactType": "filesystem", "Results": [42]}'
    with pytest.raises(MalformedReport, match="expected an object, found int") as caught:
        _findings(data)
    assert caught.value.position == "Results[0]"


def test_truncated_report_is_rejected() -> None:
    data = (SAMPLES / "scheme_2_many_vulns.json").read_bytes()[:5000]
    with pytest.raises(MalformedReport, match="invalid JSON"):
        _findings(data)


def test_current_kubernetes_report_reads_resources() -> None:
    # given
    result = {"Target": "nginx:1.25 (debian 12.1)", "Class": "os-pkgs", "Type": "debian"}
    resource = {
        "Namespace": "shop",
        "Kind": "Deployment",
        "Name": "web",
        "Results": [result | {"Vulnerabilities": [VULNERABILITY]}],
    }
    report = orjson.dumps({"ClusterName": "prod", "Resources": [resource]})
    # when
    findings = _findings(report)
    # then
    assert PARSER.detect(report) == 90
    assert [finding.title for finding in findings] == ["CVE-2021-33503 urllib3 1.26.3"]
    assert findings[0].location.component == "shop/Deployment/web"
    assert findings[0].location.file_path is None
