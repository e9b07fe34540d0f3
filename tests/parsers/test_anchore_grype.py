"""Anchore Grype JSON."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.anchore_grype import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "anchore_grype"


def _findings(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="anchore_grype")[1])


def _sample(name: str) -> list[NormalizedFinding]:
    return _findings((SAMPLES / name).read_bytes())


def _match(
    version: str = "1.11.1", path: str = "/opt/app/avro-1.11.1.jar", **vulnerability: object
) -> dict[str, object]:
    return {
        "vulnerability": {
            "id": "CVE-2023-39410",
            "severity": "High",
            "fix": {"versions": ["1.11.3"], "state": "fixed"},
        }
        | vulnerability,
        "relatedVulnerabilities": [{"id": "GHSA-rhrv-645h-fjfh"}],
        "artifact": {
            "name": "avro",
            "version": version,
            "type": "java-archive",
            "locations": [{"path": path}],
        },
    }


def _report(*matches: dict[str, object]) -> bytes:
    return orjson.dumps({"matches": matches, "descriptor": {"name": "grype", "version": "0.74.0"}})


def test_match_is_read_in_full() -> None:
    # when
    findings = _sample("issue_9618.json")
    # then
    assert len(findings) == 35
    first = findings[0]
    assert first.title == "CVE-2023-38473 avahi-libs 0.7-20.el8"
    assert first.severity is Severity.MEDIUM
    assert first.rule_id == "CVE-2023-38473"
    assert first.advisory_ids == ("CVE-2023-38473",)
    assert first.cvss_v3_vector == "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"
    assert first.cvss_v3_score == 6.2
    assert first.location.file_path == "/var/lib/rpm/Packages"
    assert first.location.package == "avahi-libs"
    assert first.location.package_version == "0.7-20.el8"
    assert first.location.fixed_version == "0:0.7-21.el8_9.1"
    assert first.remediation == "Upgrade avahi-libs to 0:0.7-21.el8_9.1."
    assert first.references == (
        "https://access.redhat.com/security/cve/CVE-2023-38473",
        "https://bugzilla.redhat.com/show_bug.cgi?id=2191694",
        "https://access.redhat.com/errata/RHSA-2023:7836",
    )
    assert first.tags == ("rpm", "fix:fixed")


def test_related_advisories_are_kept() -> None:
    # when
    last = _sample("many_vulns4.json")[8]
    # then
    assert last.title == "GHSA-8v27-2fg9-7h62 static-eval 2.1.0"
    assert last.severity is Severity.CRITICAL
    assert last.advisory_ids == ("GHSA-8v27-2fg9-7h62", "CVE-2021-23334")
    assert last.location.file_path == "components/yarn.lock"
    assert last.remediation == "Fix state: not-fixed."


def test_match_without_severity_takes_the_related_one() -> None:
    # when
    finding = _sample("issue_9618.json")[33]
    # then
    assert finding.rule_id == "CVE-2024-26308"
    assert finding.severity is Severity.HIGH


def test_negligible_is_info() -> None:
    finding = _findings(_report(_match(severity="Negligible")))[0]
    assert finding.severity is Severity.INFO


def test_same_package_at_two_paths_gets_two_fingerprints() -> None:
    # when
    findings = _sample("issue_9618.json")
    # then
    assert (findings[8].location.package, findings[9].location.package) == ("avro", "avro")
    assert findings[8].fingerprint != findings[9].fingerprint
    assert len({finding.fingerprint for finding in findings}) == 35


def test_fingerprint_ignores_the_package_version() -> None:
    # given: the next scan, where the package was upgraded but is still affected
    before = _findings(_report(_match()))[0]
    after = _findings(_report(_match(version="1.11.2", description="Updated text")))[0]
    # then
    assert before.fingerprint == after.fingerprint
    assert before.location.package_version == "1.11.1"
    assert after.location.package_version == "1.11.2"


def test_empty_report_has_no_findings() -> None:
    assert _sample("no_vuln.json") == []


def test_detects_grype_and_not_anchore_engine() -> None:
    assert PARSER.detect((SAMPLES / "no_vuln.json").read_bytes()) == 95
    assert PARSER.detect((SAMPLES / "many_vulns4.json").read_bytes()) == 95
    assert PARSER.detect(b'{"imageDigest": "sha256:00", "vulnerabilities": []}') == 0


def test_match_without_vulnerability_id_is_rejected() -> None:
    # given
    data = _report(_match(id=""))
    # when / then
    with pytest.raises(MalformedReport, match="a match has no vulnerability id") as caught:
        _findings(data)
    assert caught.value.position == "matches[0].vulnerability"


def test_match_without_artifact_is_rejected() -> None:
    data = orjson.dumps({"matches": [{"vulnerability": {"id": "CVE-2023-39410"}}]})
    with pytest.raises(MalformedReport, match="expected an object, found NoneType") as caught:
        _findings(data)
    assert caught.value.position == "matches[0].artifact"


def test_same_cve_at_two_paths_is_two_findings() -> None:
    # given: one library bundled in two archives
    findings = _findings(
        _report(_match(path="/opt/a/avro-1.11.1.jar"), _match(path="/opt/b/avro-1.11.1.jar"))
    )
    # then: each copy is fixed on its own
    assert [finding.location.file_path for finding in findings] == [
        "/opt/a/avro-1.11.1.jar",
        "/opt/b/avro-1.11.1.jar",
    ]
    assert findings[0].fingerprint != findings[1].fingerprint


def test_same_cve_at_the_same_path_twice_shares_a_fingerprint() -> None:
    findings = _findings(_report(_match(), _match()))
    assert findings[0].fingerprint == findings[1].fingerprint
