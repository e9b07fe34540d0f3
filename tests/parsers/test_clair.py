"""Clair JSON: clair-scanner, klar and Clair v4's clairctl."""

from __future__ import annotations

import io
import re
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
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

# Clair v4's VulnerabilityReport, as `clairctl report --out json` prints it, written from the
# API's documented schema (keys in clairctl's order): four packages of a Debian 11 image, five
# (package, vulnerability) pairs, CVE-2023-0286 shared by openssl and libssl1.1, tar with none.
DEBIAN_11 = {
    "id": "1",
    "did": "debian",
    "name": "Debian GNU/Linux",
    "version": "11 (bullseye)",
    "version_code_name": "bullseye",
    "version_id": "11",
    "arch": "",
    "cpe": "",
    "pretty_name": "Debian GNU/Linux 11 (bullseye)",
}
CVSS_ENRICHMENT = (
    "message/vnd.clair.map.vulnerability; enricher=clair.cvss "
    "schema=https://csrc.nist.gov/schema/nvd/feed/1.1/cvss-v3.x.json"
)
OPENSSL_SOURCE = {"id": "20", "name": "openssl", "version": "1.1.1n-0+deb11u3", "kind": "source"}
CLAIR_V4 = {
    "manifest_hash": "sha256:5b2f6c1e0d6d3bcb3a5e1b7a9f0c4c1f3d8e2a6b7c9d0e1f2a3b4c5d6e7f8a9b",
    "packages": {
        "10": {
            "id": "10",
            "name": "openssl",
            "version": "1.1.1n-0+deb11u3",
            "kind": "binary",
            "source": OPENSSL_SOURCE,
            "arch": "amd64",
        },
        "11": {
            "id": "11",
            "name": "libssl1.1",
            "version": "1.1.1n-0+deb11u3",
            "kind": "binary",
            "source": OPENSSL_SOURCE,
            "arch": "amd64",
        },
        "12": {
            "id": "12",
            "name": "zlib1g",
            "version": "1:1.2.11.dfsg-2+deb11u1",
            "kind": "binary",
            "source": {"id": "21", "name": "zlib", "version": "1:1.2.11.dfsg-2+deb11u1", "kind": "source"},
            "arch": "amd64",
        },
        "13": {"id": "13", "name": "tar", "version": "1.34+dfsg-1", "kind": "binary", "arch": "amd64"},
    },
    "distributions": {"1": DEBIAN_11},
    "repository": {},
    "environments": {
        package_id: [
            {
                "package_db": "var/lib/dpkg/status",
                "introduced_in": "sha256:e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2",
                "distribution_id": "1",
                "repository_ids": None,
            }
        ]
        for package_id in ("10", "11", "12", "13")
    },
    "vulnerabilities": {
        "301": {
            "id": "301",
            "updater": "debian/updater/bullseye",
            "name": "CVE-2023-0286",
            "description": "X.400 address type confusion in X.509 GeneralName.",
            "issued": "2023-02-08T00:00:00Z",
            "links": "https://security-tracker.debian.org/tracker/CVE-2023-0286 https://www.debian.org/security/2023/dsa-5343",
            "severity": "Unknown",
            "normalized_severity": "High",
            "package": {"id": "", "name": "openssl", "version": "", "kind": "binary"},
            "distribution": DEBIAN_11 | {"id": ""},
            "repository": {},
            "fixed_in_version": "1.1.1t-0+deb11u1",
        },
        "302": {
            "id": "302",
            "updater": "debian/updater/bullseye",
            "name": "CVE-2022-37434",
            "description": "zlib inflate heap-based buffer over-read or overflow.",
            "issued": "2022-08-05T00:00:00Z",
            "links": "https://security-tracker.debian.org/tracker/CVE-2022-37434",
            "severity": "Unknown",
            "normalized_severity": "Critical",
            "package": {"id": "", "name": "zlib", "version": "", "kind": "binary"},
            "distribution": DEBIAN_11 | {"id": ""},
            "repository": {},
            "fixed_in_version": "1:1.2.11.dfsg-2+deb11u2",
        },
        "303": {
            "id": "303",
            "updater": "debian/updater/bullseye",
            "name": "CVE-2023-2650",
            "description": "Possible DoS translating ASN.1 object identifiers.",
            "issued": "2023-05-30T00:00:00Z",
            "links": "https://security-tracker.debian.org/tracker/CVE-2023-2650",
            "severity": "Unknown",
            "normalized_severity": "Medium",
            "package": {"id": "", "name": "openssl", "version": "", "kind": "binary"},
            "distribution": DEBIAN_11 | {"id": ""},
            "repository": {},
            "fixed_in_version": "",
        },
        "304": {
            "id": "304",
            "updater": "debian/updater/bullseye",
            "name": "CVE-2010-0928",
            "description": "OpenSSL RSA fault-based attack.",
            "issued": "2010-03-05T00:00:00Z",
            "links": "https://security-tracker.debian.org/tracker/CVE-2010-0928",
            "severity": "Unknown",
            "normalized_severity": "Negligible",
            "package": {"id": "", "name": "openssl", "version": "", "kind": "binary"},
            "distribution": DEBIAN_11 | {"id": ""},
            "repository": {},
            "fixed_in_version": "",
        },
    },
    "package_vulnerabilities": {"10": ["301", "303"], "11": ["301", "304"], "12": ["302"], "13": []},
    "enrichments": {
        CVSS_ENRICHMENT: [
            {"301": [{"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H"}]}
        ]
    },
}
V4_PAIRS = [
    ("CVE-2023-0286 - (openssl, 1.1.1n-0+deb11u3)", Severity.HIGH),
    ("CVE-2023-2650 - (openssl, 1.1.1n-0+deb11u3)", Severity.MEDIUM),
    ("CVE-2023-0286 - (libssl1.1, 1.1.1n-0+deb11u3)", Severity.HIGH),
    ("CVE-2010-0928 - (libssl1.1, 1.1.1n-0+deb11u3)", Severity.INFO),
    ("CVE-2022-37434 - (zlib1g, 1:1.2.11.dfsg-2+deb11u1)", Severity.CRITICAL),
]


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


def _v4(**changes: object) -> dict[str, object]:
    """Return the Clair v4 report with top-level keys replaced."""
    return CLAIR_V4 | changes


def test_clair_v4_report_gives_a_finding_per_package_and_vulnerability() -> None:
    # when
    findings = _findings(orjson.dumps(CLAIR_V4))
    # then
    assert [(finding.title, finding.severity) for finding in findings] == V4_PAIRS
    first = findings[0]
    assert first.rule_id == "CVE-2023-0286"
    assert first.advisory_ids == ("CVE-2023-0286",)
    assert first.description == "X.400 address type confusion in X.509 GeneralName."
    assert first.references == (
        "https://security-tracker.debian.org/tracker/CVE-2023-0286",
        "https://www.debian.org/security/2023/dsa-5343",
    )
    assert first.location.package == "openssl"
    assert first.location.package_version == "1.1.1n-0+deb11u3"
    assert first.location.fixed_version == "1.1.1t-0+deb11u1"
    assert first.location.component == "Debian GNU/Linux 11 (bullseye)"
    assert first.remediation == "Upgrade openssl to 1.1.1t-0+deb11u1."
    assert first.tags == ("namespace:debian:11",)
    assert findings[1].location.fixed_version is None
    assert findings[1].remediation == ""


def test_clair_v4_advisory_ids_come_from_the_name_and_links() -> None:
    # given: an advisory named after itself, its CVE in its links; a fix as Clair's OSV updaters write it
    vulnerabilities = {
        "301": CLAIR_V4["vulnerabilities"]["301"]  # type: ignore[index]
        | {
            "name": "DSA-5343-1 openssl",
            "links": "https://www.debian.org/security/2023/dsa-5343 https://security-tracker.debian.org/tracker/CVE-2023-0286",
            "normalized_severity": "",
            "severity": "Moderate",
            "fixed_in_version": "fixed=1.1.1t-0%2Bdeb11u1&introduced=0",
        }
    }
    report = _v4(vulnerabilities=vulnerabilities, package_vulnerabilities={"10": ["301"]})
    # when
    (finding,) = _findings(orjson.dumps(report))
    # then: no normalized severity, so the source's word
    assert finding.title == "DSA-5343-1 openssl - (openssl, 1.1.1n-0+deb11u3)"
    assert finding.advisory_ids == ("CVE-2023-0286",)
    assert finding.severity is Severity.MEDIUM
    assert finding.location.fixed_version == "1.1.1t-0+deb11u1"


def test_clair_v4_fingerprint_ignores_package_version_and_manifest() -> None:
    # given: the image rebuilt with openssl and libssl1.1 upgraded, still vulnerable
    packages = {
        package_id: package | {"version": "1.1.1n-0+deb11u4"}
        for package_id, package in CLAIR_V4["packages"].items()  # type: ignore[attr-defined]
    }
    rebuilt = _v4(manifest_hash="sha256:" + "0" * 64, packages=packages)
    # when
    before = [finding.fingerprint for finding in _findings(orjson.dumps(CLAIR_V4))]
    after = [finding.fingerprint for finding in _findings(orjson.dumps(rebuilt))]
    # then: the same findings; the vulnerability both packages share is two findings
    assert before == after
    assert len(set(before)) == 5


def test_clair_v4_reads_every_report_clairctl_prints() -> None:
    # given: clairctl asked for two images and one it could not report on
    second = _v4(package_vulnerabilities={"12": ["302"]})
    data = orjson.dumps(CLAIR_V4) + b"\nnull\n" + orjson.dumps(second) + b"\n"
    # when
    findings = _findings(data)
    # then
    assert [finding.title for finding in findings] == [
        *(title for title, _severity in V4_PAIRS),
        "CVE-2022-37434 - (zlib1g, 1:1.2.11.dfsg-2+deb11u1)",
    ]
    assert detect_format(data).name == "clair"


def test_clair_v4_with_sorted_keys_gives_the_same_findings() -> None:
    # given: the report as `jq -S` writes it, its pairs before the packages and vulnerabilities
    data = orjson.dumps(CLAIR_V4, option=orjson.OPT_SORT_KEYS)
    # when
    findings = _findings(data)
    # then
    assert [(finding.title, finding.severity) for finding in findings] == V4_PAIRS
    assert detect_format(data).name == "clair"


def test_clair_v4_detection_from_content() -> None:
    # given: an IndexReport of the same image (no vulnerabilities) is not a vulnerability report
    index_report = {
        "manifest_hash": CLAIR_V4["manifest_hash"],
        "state": "IndexFinished",
        "packages": CLAIR_V4["packages"],
        "distributions": CLAIR_V4["distributions"],
        "success": True,
        "err": "",
    }
    # then
    assert PARSER.detect(orjson.dumps(CLAIR_V4)) == 90
    assert PARSER.detect(orjson.dumps(CLAIR_V4)[:2000]) == 90  # the head ends inside the packages
    assert detect_format(orjson.dumps(CLAIR_V4)).name == "clair"
    assert PARSER.detect(orjson.dumps(index_report)) == 0
    (finding,) = _findings(
        orjson.dumps(_v4(package_vulnerabilities={"12": ["302"]}), option=orjson.OPT_INDENT_2)
    )
    assert finding.rule_id == "CVE-2022-37434"


@pytest.mark.parametrize(
    ("data", "message", "position"),
    [
        (
            orjson.dumps(_v4(package_vulnerabilities={"10": ["301", "999"]})),
            "vulnerability '999' is not among the report's vulnerabilities",
            "package_vulnerabilities[10]",
        ),
        (
            orjson.dumps(_v4(package_vulnerabilities={"77": ["301"]}), option=orjson.OPT_SORT_KEYS),
            "package '77' is not among the report's packages",
            "package_vulnerabilities[77]",
        ),
        (
            orjson.dumps(_v4(package_vulnerabilities={"10": [{"id": "301"}]})),
            "a vulnerability id is a dict",
            "package_vulnerabilities[10]",
        ),
        (orjson.dumps(_v4(packages=[])), "expected an object, found list", "packages"),
        (
            orjson.dumps(_v4(vulnerabilities={"301": "CVE-1"})),
            "expected an object, found str",
            "vulnerabilities[301]",
        ),
        (
            orjson.dumps({"manifest_hash": "sha256:00", "packages": {}}),
            "the report has no 'package_vulnerabilities'",
            "top level",
        ),
        (
            orjson.dumps(CLAIR_V4) + b"\n" + orjson.dumps(_v4(package_vulnerabilities={"10": ["998"]})),
            "vulnerability '998' is not among the report's vulnerabilities",
            "[1].package_vulnerabilities[10]",
        ),
        (orjson.dumps(CLAIR_V4) + b"\n[]", "expected an object, found list", "[1]"),
        (orjson.dumps(CLAIR_V4)[:-400], "invalid JSON", None),
    ],
)
def test_malformed_clair_v4_report_is_refused(data: bytes, message: str, position: str | None) -> None:
    # when
    with pytest.raises(MalformedReport, match=re.escape(message)) as refused:
        _findings(data)
    # then
    if position is not None:
        assert refused.value.position == position
