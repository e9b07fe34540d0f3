"""Twistlock / Prisma Cloud Compute image scans, JSON and CSV."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.twistlock import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "twistlock"
CSV_HEADER = (
    "Registry,Repository,Tag,Id,Distro,Hosts,Layer,CVE ID,Compliance ID,Type,Severity,Packages,"
    "Source Package,Package Version,Package License,CVSS,Fix Status,Risk Factors,Vulnerability Tags,"
    "Description,Cause,Containers,Custom Labels,Published,Discovered,Binaries,Clusters\n"
)
CSV_ROWS = (
    "reg.local,team/app,1.4,sha256:aa,Debian 11,,,CVE-2022-0778,46,image,important,libssl1.1,openssl,"
    '1.1.1k-1,OpenSSL,7.5,fixed in 1.1.1n-0,"Has fix",,Infinite loop in BN_mod_sqrt,,,,2022-03-15,,,\n'
    "reg.local,team/app,1.4,sha256:aa,Debian 11,,,,41,image,high,,,,,,,,,"
    "(CIS_Docker_v1.5.0 - 4.1) Image should be created with a non-root user,,,,,,,\n"
)


def _findings(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="twistlock")[1])


def test_json_sample_vulnerability_and_compliance() -> None:
    # when
    compliance, vulnerability = _findings((SAMPLES / "one_vuln.json").read_bytes())
    # then
    assert vulnerability.title == "CVE-2013-7459: pycrypto - 2.6.1"
    assert vulnerability.severity is Severity.CRITICAL
    assert vulnerability.cvss_v3_vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert vulnerability.cvss_v3_score == 9.8
    assert vulnerability.location.package_version == "2.6.1"
    assert vulnerability.evidence == (
        "Risk factors: Attack complexity: low, Attack vector: network, Critical severity, Remote execution"
    )
    assert (
        compliance.title
        == "Compliance: (CIS_Kubernetes_v1.6.0 - 1.1) Ensure API server encryption is enabled"
    )
    assert compliance.rule_id == "912"
    assert compliance.severity is Severity.HIGH
    assert compliance.tags == ("compliance", "kubernetes")


def test_json_reads_every_result_and_maps_prisma_words() -> None:
    # given: twistcli scanning two images
    vulnerability = {
        "id": "CVE-2020-1",
        "packageName": "zlib",
        "packageVersion": "1.2",
        "severity": "moderate",
    }
    report = {
        "results": [
            {"name": "app:1", "vulnerabilities": [vulnerability]},
            {"name": "worker:1", "vulnerabilities": [vulnerability | {"severity": "unimportant"}]},
        ]
    }
    # when
    first, second = _findings(orjson.dumps(report))
    # then
    assert (first.severity, first.location.component) == (Severity.MEDIUM, "app:1")
    assert (second.severity, second.location.component) == (Severity.LOW, "worker:1")
    assert first.fingerprint != second.fingerprint


def test_csv_export_vulnerability_and_compliance_rows() -> None:
    # when
    vulnerability, compliance = _findings((CSV_HEADER + CSV_ROWS).encode())
    # then
    assert vulnerability.title == "CVE-2022-0778: openssl - 1.1.1k-1"
    assert vulnerability.severity is Severity.HIGH
    assert vulnerability.cvss_v3_score == 7.5
    assert vulnerability.location.component == "reg.local/team/app:1.4"
    assert vulnerability.remediation == "Fix status: fixed in 1.1.1n-0."
    assert compliance.rule_id == "41"
    assert (
        compliance.title
        == "Compliance: (CIS_Docker_v1.5.0 - 4.1) Image should be created with a non-root user"
    )
    assert compliance.tags == ("compliance", "image")


def test_csv_fingerprint_ignores_tag_and_image_id() -> None:
    rebuilt = CSV_ROWS.replace("1.4,sha256:aa", "1.5,sha256:bb")
    before = [finding.fingerprint for finding in _findings((CSV_HEADER + CSV_ROWS).encode())]
    after = [finding.fingerprint for finding in _findings((CSV_HEADER + rebuilt).encode())]
    assert before == after


def test_detection_against_neighbours() -> None:
    assert PARSER.detect((SAMPLES / "many_vulns.json").read_bytes()) == 90
    assert PARSER.detect(CSV_HEADER.encode()) == 85
    assert PARSER.detect(b"Vulnerability ID,Severity,Package name,Package version\n") == 0
    assert PARSER.detect(b'{"results": [{"filename": "a.py", "test_id": "B101"}]}') == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"summary": {}}', "the report has no 'results'"),
        (b'{"results": [{"vulnerabilities": [{"packageName": "x"}]}]}', "a vulnerability has no id"),
        (b'{"results": [{"compliances": [{"severity": "high"}]}]}', "neither id nor title"),
        (b'{"results": [{"vulnerabilities": [', "invalid JSON"),
        (CSV_HEADER.encode() + b"a,b\n", "row has 2 fields where the header has 27"),
        (b"Registry,Repository\nx,y\n", "no CSV header row naming"),
    ],
)
def test_malformed_report_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(MalformedReport, match=message):
        _findings(data)
