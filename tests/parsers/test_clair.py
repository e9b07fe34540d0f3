"""Clair JSON: clair-scanner and klar."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.clair import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "clair"
# klar's JSON output, as its README documents it: one array per severity.
KLAR = {
    "LayerCount": 6,
    "Vulnerabilities": {
        "High": [
            {
                "Name": "CVE-2019-1543",
                "NamespaceName": "debian:9",
                "Description": "ChaCha20-Poly1305 nonce issue.",
                "Link": "https://security-tracker.debian.org/tracker/CVE-2019-1543",
                "Severity": "High",
                "Metadata": {
                    "NVD": {"CVSSv3": {"Vectors": "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", "Score": 7.4}}
                },
                "FixedBy": "1.1.0k-1~deb9u1",
                "FeatureName": "openssl",
                "FeatureVersion": "1.1.0j-1~deb9u1",
            }
        ],
        "Defcon1": [{"Name": "CVE-2020-0001", "FeatureName": "bash", "FeatureVersion": "4.4"}],
        "Negligible": [
            {"Name": "CVE-2005-2541", "FeatureName": "tar", "FeatureVersion": "1.29", "Severity": ""}
        ],
    },
}


def _findings(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="clair")[1])


def test_clair_scanner_sample_fields() -> None:
    # when
    findings = _findings((SAMPLES / "clair_few_vuln.json").read_bytes())
    # then
    assert len(findings) == 4
    first = findings[0]
    assert first.title == "CVE-2018-20839 - (systemd, 237-3ubuntu10.29)"
    assert first.severity is Severity.MEDIUM
    assert first.advisory_ids == ("CVE-2018-20839",)
    assert first.location.package == "systemd"
    assert (
        first.location.component
        == "default-docker-3rdparty.bahnhub.tech.rz.db.de:443/ubuntu:bionic-20190912.1"
    )
    assert first.tags == ("namespace:ubuntu:18.04",)
    second = findings[1]
    assert second.location.fixed_version == "1.44.1-1ubuntu1.2"
    assert second.remediation == "Upgrade e2fsprogs to 1.44.1-1ubuntu1.2."


def test_klar_variant_severities_and_cvss() -> None:
    # when
    findings = _findings(orjson.dumps(KLAR))
    # then: each record's severity, else its array's
    assert [(finding.rule_id, finding.severity) for finding in findings] == [
        ("CVE-2019-1543", Severity.HIGH),
        ("CVE-2020-0001", Severity.CRITICAL),
        ("CVE-2005-2541", Severity.INFO),
    ]
    first = findings[0]
    assert first.cvss_v3_vector == "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N"
    assert first.cvss_v3_score == 7.4
    assert first.location.component == "debian:9"
    assert first.location.fixed_version == "1.1.0k-1~deb9u1"


def test_fingerprint_ignores_feature_version() -> None:
    # given: the same vulnerability after a package upgrade that did not fix it
    older = dict(KLAR["Vulnerabilities"]["High"][0])  # type: ignore[index]
    newer = older | {"FeatureVersion": "1.1.0j-1~deb9u2"}
    # when
    (before,) = _findings(orjson.dumps({"LayerCount": 1, "Vulnerabilities": {"High": [older]}}))
    (after,) = _findings(orjson.dumps({"LayerCount": 1, "Vulnerabilities": {"High": [newer]}}))
    # then
    assert before.fingerprint == after.fingerprint


def test_detection_against_neighbours() -> None:
    assert PARSER.detect(orjson.dumps(KLAR)) == 90
    assert PARSER.detect((SAMPLES / "clair_many_vul.json").read_bytes()) == 90
    assert PARSER.detect(b'{"matches": [], "descriptor": {"name": "grype"}}') == 0
    assert PARSER.detect(b'{"report": {"vulnerabilities": []}}') == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"image": "x"}', "the report has no 'vulnerabilities'"),
        (b'{"LayerCount": 1}', "the report has no 'Vulnerabilities'"),
        (b'{"LayerCount": 1, "Vulnerabilities": []}', "expected an object"),
        (
            b'{"LayerCount": 1, "Vulnerabilities": {"High": [{"FeatureName": "x"}]}}',
            "a vulnerability has no id",
        ),
        (b'{"image": "x", "vulnerabilities": [{"vulnerability": "CVE-1"', "invalid JSON"),
    ],
)
def test_malformed_report_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(MalformedReport, match=message):
        _findings(data)
