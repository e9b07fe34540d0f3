"""NeuVector scan report JSON."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.neuvector import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "neuvector"


def _findings(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="neuvector")[1])


def test_sample_fields() -> None:
    # when
    first, second = _findings((SAMPLES / "many_vulns.json").read_bytes())
    # then
    assert first.title == "CVE-2015-8356 openssh 7.2_p2-r0"
    assert first.severity is Severity.HIGH
    assert first.location.fixed_version == "1:7.2p2-3"
    assert first.cvss_v3_vector is None
    assert first.cvss_v3_score == 7.3
    assert first.tags == ("base-image",)
    assert second.advisory_ids == ("CVE-2017-18342",)
    assert second.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert second.cvss_v3_score == 9.8
    assert second.location.package == "PyYAML"
    assert second.references == ("https://access.redhat.com/security/cve/CVE-2017-18342",)


def test_newer_report_with_file_name_and_empty_severity() -> None:
    # given: a 5.x report, the vulnerable jar named by file_name
    report = {
        "report": {
            "vulnerabilities": [
                {
                    "name": "CVE-2021-44228",
                    "severity": "",
                    "package_name": "org.apache.logging.log4j:log4j-core",
                    "package_version": "2.14.1",
                    "fixed_version": "2.15.0",
                    "file_name": "app/lib/log4j-core-2.14.1.jar",
                    "cves": ["CVE-2021-45046"],
                }
            ]
        }
    }
    # when
    (finding,) = _findings(orjson.dumps(report))
    # then
    assert finding.severity is Severity.INFO
    assert finding.location.file_path == "app/lib/log4j-core-2.14.1.jar"
    assert finding.advisory_ids == ("CVE-2021-44228", "CVE-2021-45046")
    assert finding.remediation == "Upgrade org.apache.logging.log4j:log4j-core to 2.15.0."


def test_detection_against_neighbours() -> None:
    assert PARSER.detect((SAMPLES / "no_vuln.json").read_bytes()) == 80
    assert PARSER.detect((SAMPLES / "many_vulns.json").read_bytes()) == 90
    assert PARSER.detect(b'{"reports": [], "vulnerabilities": []}') == 0
    assert PARSER.detect(b'{"image": "x", "vulnerabilities": []}') == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"report": {"modules": []}}', "the report has no 'report.vulnerabilities'"),
        (b'{"report": {"vulnerabilities": [{"package_name": "x"}]}}', "a vulnerability has no name"),
        (b'{"report": {"vulnerabilities": [{"name": "CVE-1", "cves": {}}]}}', "expected an array"),
        (b'{"report": {"vulnerabilities": [{"name": ', "invalid JSON"),
    ],
)
def test_malformed_report_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(MalformedReport, match=message):
        _findings(data)
