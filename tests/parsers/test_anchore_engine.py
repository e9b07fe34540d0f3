"""Anchore Engine image vulnerabilities JSON."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.anchore_engine import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "anchore_engine"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "anchore_engine"

GNUTLS = {
    "feed": "vulnerabilities",
    "feed_group": "debian:9",
    "fix": "None",
    "package": "libgnutls30-3.5.8-5+deb9u4",
    "package_cpe": "None",
    "package_name": "libgnutls30",
    "package_path": "None",
    "package_type": "dpkg",
    "package_version": "3.5.8-5+deb9u4",
    "severity": "Medium",
    "url": "https://security-tracker.debian.org/tracker/CVE-2011-3389",
    "vuln": "CVE-2011-3389",
}


def _findings(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="anchore_engine")[1])


def _sample(name: str) -> list[NormalizedFinding]:
    return _findings((SAMPLES / name).read_bytes())


def _report(image: str, *vulnerabilities: object) -> bytes:
    return orjson.dumps(
        {"imageDigest": image, "vulnerabilities": vulnerabilities, "vulnerability_type": "os"}
    )


def test_one_vulnerability_is_read_in_full() -> None:
    # when
    findings = _sample("one_vuln.json")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "CVE-2011-3389 libgnutls30 3.5.8-5+deb9u4"
    assert finding.severity is Severity.MEDIUM
    assert finding.rule_id == "CVE-2011-3389"
    assert finding.advisory_ids == ("CVE-2011-3389",)
    assert finding.description == "CVE-2011-3389 affects libgnutls30-3.5.8-5+deb9u4."
    # "None" is Anchore's word for no value
    assert finding.location.file_path is None
    assert finding.location.fixed_version is None
    assert finding.location.component is None
    assert finding.location.package == "libgnutls30"
    assert finding.location.package_version == "3.5.8-5+deb9u4"
    assert finding.references == ("https://security-tracker.debian.org/tracker/CVE-2011-3389",)
    assert finding.tags == ("dpkg", "feed:debian:9")


def test_negligible_and_unknown_are_info() -> None:
    # when
    findings = _sample("many_vulns.json")
    # then
    assert len(findings) == 23
    assert findings[0].rule_id == "CVE-2011-3374"
    assert findings[0].severity is Severity.INFO


def test_packages_inside_archives_are_told_apart_by_path() -> None:
    # when
    findings = _sample("many_vulns.json")
    # then
    jersey = findings[20:23]
    assert [finding.rule_id for finding in jersey] == ["VULNDB-103881"] * 3
    assert jersey[0].location.file_path == (
        "/usr/share/myapp/myapp.war:sources/jersey-apache-client-1.13-sources-jar/jersey-apache-client-1.13-sources.jar"
    )
    assert jersey[0].location.fixed_version == "1.18"
    assert jersey[0].remediation == "Upgrade jersey to 1.18."
    assert len({finding.fingerprint for finding in jersey}) == 3


def test_2_4_report_reads_description_and_cvss() -> None:
    # when
    findings = _sample("many_vulns_2.4.1.json")
    # then
    assert len(findings) == 51
    first = findings[0]
    assert first.title == "CVE-2020-8927 brotli 1.0.6-2.el8"
    assert first.description.startswith(
        "A buffer overflow exists in the Brotli library versions prior to 1.0.8"
    )
    assert first.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:L"
    assert first.cvss_v3_score == 6.5
    # "pkgdb" is the package database, not a file
    assert first.location.file_path is None


def test_fingerprint_ignores_image_digest_and_version() -> None:
    # given: the same vulnerability in the next build of the image
    before = _findings(_report("sha256:aa", GNUTLS))[0]
    after = _findings(_report("sha256:bb", {**GNUTLS, "package_version": "3.5.8-5+deb9u5"}))[0]
    # then
    assert before.fingerprint == after.fingerprint


def test_empty_report_has_no_findings() -> None:
    assert _sample("no_vuln.json") == []


def test_detects_engine_and_not_grype() -> None:
    assert PARSER.detect((SAMPLES / "no_vuln.json").read_bytes()) == 90
    assert PARSER.detect((SAMPLES / "many_vulns_2.4.1.json").read_bytes()) == 90
    assert PARSER.detect(b'{"matches": [], "descriptor": {"name": "grype"}}') == 0


def test_vulnerability_without_id_is_rejected() -> None:
    # given
    data = _report("sha256:aa", {**GNUTLS, "vuln": "None"})
    # when / then
    with pytest.raises(MalformedReport, match="a vulnerability has no vuln id") as caught:
        _findings(data)
    assert caught.value.position == "vulnerabilities[0]"


def test_vulnerability_that_is_not_an_object_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="expected an object, found str") as caught:
        _findings(_report("sha256:aa", GNUTLS, "CVE-2011-3389"))
    assert caught.value.position == "vulnerabilities[1]"


# Anchore Enterprise's v2 API (``anchorectl image vulnerabilities <image> -o json``):
# the same list with camelCase keys, as the v2 API's VulnerabilityResponse names them.
V2_REPORT = orjson.loads((VARIANTS / "v2_camelcase.json").read_bytes())

# The Enterprise UI's vulnerability report download: metadata, then securityEvaluation.
UI_REPORT = orjson.loads((VARIANTS / "ui_report.json").read_bytes())


def test_v2_api_report_is_read_like_the_v1_report() -> None:
    # given
    data = orjson.dumps(V2_REPORT)
    # when
    _parser, findings = parse_report(io.BytesIO(data))
    finding = next(findings)
    # then
    assert PARSER.detect(data) == 90
    assert finding.title == "CVE-2023-2650 openssl-libs 1:1.1.1k-7.el8_6"
    assert finding.severity is Severity.MEDIUM
    assert finding.location.package == "openssl-libs"
    assert finding.location.fixed_version == "1:1.1.1k-9.el8_7"
    assert finding.location.file_path is None
    assert finding.cvss_v3_score == 6.5
    assert finding.tags == ("rpm", "feed:rhel:8")
    v1 = {
        "vuln": "CVE-2023-2650",
        "package_name": "openssl-libs",
        "package_type": "rpm",
        "package_path": "pkgdb",
        "package_version": "1:1.1.1k-6",
    }
    assert finding.fingerprint == _findings(_report("sha256:bb", v1))[0].fingerprint


def test_ui_security_evaluation_report_is_read() -> None:
    # given
    data = orjson.dumps(UI_REPORT)
    # when
    _parser, found = parse_report(io.BytesIO(data))
    findings = list(found)
    # then
    assert PARSER.detect(data) == 90
    assert len(findings) == 2
    ghsa, lz4 = findings
    assert ghsa.title == "GHSA-5j33-cvvr-w245 tomcat-embed-core 9.0.97"
    assert ghsa.severity is Severity.HIGH
    assert ghsa.advisory_ids == ("GHSA-5j33-cvvr-w245", "CVE-2024-50379")
    assert ghsa.location.package == "tomcat-embed-core"
    assert ghsa.location.package_version == "9.0.97"
    assert ghsa.location.file_path == "/aci/base/lib/tomcat-embed-core-9.0.97.jar"
    assert ghsa.location.fixed_version == "9.0.98"
    assert ghsa.cvss_v3_score is None  # "N/A"
    assert ghsa.references == ("https://github.com/advisories/GHSA-5j33-cvvr-w245",)
    assert ghsa.tags == ("java",)
    assert lz4.location.package == "lz4-libs"
    assert lz4.location.package_version == "1.8.3-3.el8_4"
    assert lz4.location.fixed_version is None
    assert lz4.location.file_path is None
    assert lz4.cvss_v3_score == 8.1


def test_ui_report_entry_without_id_is_rejected() -> None:
    data = orjson.dumps({**UI_REPORT, "securityEvaluation": [{"package": "x-1.0", "severity": "Low"}]})
    with pytest.raises(MalformedReport, match="no vulnerabilityId") as caught:
        _findings(data)
    assert caught.value.position == "securityEvaluation[0]"
