"""Sysdig Secure vulnerability reports, JSON and CSV."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.sysdig_reports import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "sysdig_reports"
# The legacy Vulnerability Engine export, as DefectDojo's docs list its columns.
LEGACY = (
    "Vulnerability ID,Severity,Package name,Package version,Package type,Package path,Image,OS Name,"
    "CVSS version,CVSS score,CVSS vector,Vuln link,Vuln Publish date,Vuln Fix date,Fix version,"
    "Public Exploit,Registry name,Registry image repository,Image ID,Package suggested fix,Risk accepted\n"
    "CVE-2023-4911,High,glibc,2.36-9,os,,docker.io/library/debian:12.1,debian 12.1,3.1,7.8,"
    "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H,https://nvd.nist.gov/vuln/detail/CVE-2023-4911,"
    "2023-10-03,2023-10-03,2.36-9+deb12u3,true,docker.io,library/debian,sha256:aa,2.36-9+deb12u3,false\n"
)


def _findings(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="sysdig_reports")[1])


def test_json_sample_fields() -> None:
    # when
    findings = _findings((SAMPLES / "sysdig.json").read_bytes())
    # then
    assert len(findings) == 207
    first = findings[0]
    assert first.title == "CVE-2022-0778 - libssl1.0.0"
    assert first.severity is Severity.HIGH
    assert first.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"
    assert first.location.fixed_version == "1.0.1f-1ubuntu2.27+esm5"
    assert first.location.component == "docker.io/sysdiglabs/recurling:0.1"
    assert first.tags == ("os", "cluster:demo-kube-aks", "namespace:example-voting-app")


def test_2025_csv_sample_fields() -> None:
    # when
    findings = _findings((SAMPLES / "sysdig-2025.csv").read_bytes())
    # then: "Other" is info; CVSS 2 vectors are not kept as v3
    assert [finding.severity for finding in findings] == [
        Severity.INFO,
        Severity.INFO,
        Severity.INFO,
        Severity.CRITICAL,
        Severity.INFO,
        Severity.INFO,
    ]
    assert findings[0].cvss_v3_vector is None
    assert findings[3].cvss_v3_score == 9.8
    assert findings[3].location.fixed_version == "11.3.0"
    assert findings[3].location.file_path == "/path/path/path/file.abc"


def test_legacy_csv_and_fingerprint_ignores_tag() -> None:
    # when
    (finding,) = _findings(LEGACY.encode())
    (retagged,) = _findings(LEGACY.replace("debian:12.1,", "debian:12.2,").encode())
    # then
    assert finding.advisory_ids == ("CVE-2023-4911",)
    assert finding.severity is Severity.HIGH
    assert finding.references == ("https://nvd.nist.gov/vuln/detail/CVE-2023-4911",)
    assert finding.fingerprint == retagged.fingerprint


def test_detection_against_neighbours() -> None:
    assert PARSER.detect(LEGACY.encode()) == 85
    assert PARSER.detect((SAMPLES / "sysdig.json").read_bytes()) == 90
    # the Sysdig CLI scanner's CSV is another format
    assert PARSER.detect(b"CVE ID,Severity,Package name,Package version,Vulnerability ID\n") == 0
    assert PARSER.detect(b'{"data": [{"id": 1}]}') == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"result": {}}', "the report has no 'data'"),
        (b'{"data": [{"packageName": "x"}]}', "a record has no vulnerability id"),
        (LEGACY.encode() + b"CVE-1,High\n", "row has 2 fields where the header has 21"),
        (b"Image,Severity\nx,High\n", "no CSV header row naming"),
        (b'{"data": [{"vulnName": ', "invalid JSON"),
    ],
)
def test_malformed_report_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(MalformedReport, match=message):
        _findings(data)
