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
