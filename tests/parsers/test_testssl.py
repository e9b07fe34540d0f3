"""testssl.sh CSV, JSON and pretty JSON."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format
from bastion.parsers.testssl import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "testssl"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "testssl"

# testssl 3.0 CSV: a hint column; a name resolving to two addresses, both scanned.
CSV = b""""id","fqdn/ip","port","severity","finding","cve","cwe","hint"
"overall_grade","shop.example.com/192.0.2.10","443","OK","A","","",""
"SSLv3","shop.example.com/192.0.2.10","443","HIGH","offered","CVE-2014-3566","CWE-310","disable SSLv3"
"SWEET32","shop.example.com/192.0.2.10","443","LOW","uses 64 bit block ciphers","CVE-2016-2183 CVE-2016-6329","CWE-327",""
"SSLv3","shop.example.com/192.0.2.11","443","HIGH","offered","CVE-2014-3566","CWE-310","disable SSLv3"
"TLS1_3","shop.example.com/192.0.2.10","443","OK","offered with final","","",""
"scanProblem","shop.example.com/192.0.2.10","443","WARN","Scan interrupted","","",""
"""  # noqa: E501 - a CSV record is one line


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_csv_record_is_read_and_addresses_of_one_name_are_one_finding() -> None:
    # when
    findings = _parse(CSV)
    # then
    sslv3 = findings[0]
    assert sslv3.title == "SSLv3: offered"
    assert sslv3.severity is Severity.HIGH
    assert sslv3.rule_id == "SSLv3"
    assert sslv3.advisory_ids == ("CVE-2014-3566",)
    assert sslv3.cwe_ids == (310,)
    assert sslv3.location.host == "shop.example.com"
    assert sslv3.location.port == 443
    assert sslv3.remediation == "disable SSLv3"
    assert sslv3.evidence == "Address: 192.0.2.10\n\nOther instances (1):\n- 192.0.2.11:443"
    assert sslv3.tags == ("testssl-severity:high", "instances:2")


def test_ok_and_rating_records_are_not_findings_and_a_record_with_two_cves_is_two() -> None:
    # when
    findings = _parse(CSV)
    # then
    assert [(finding.rule_id, finding.advisory_ids, finding.severity) for finding in findings] == [
        ("SSLv3", ("CVE-2014-3566",), Severity.HIGH),
        ("SWEET32", ("CVE-2016-2183",), Severity.LOW),
        ("SWEET32", ("CVE-2016-6329",), Severity.LOW),
        ("scanProblem", (), Severity.INFO),
    ]
    assert len({finding.fingerprint for finding in findings}) == 4


def test_flat_json_is_read_as_the_csv() -> None:
    # given: --jsonfile writes the CSV's records, the address column named "ip"
    report = (VARIANTS / "flat.json").read_bytes()
    # when
    findings = _parse(report)
    # then
    assert findings[0].fingerprint == _parse(CSV)[0].fingerprint
    assert findings[0].title == "SSLv3: offered"


def test_pretty_json_sections_are_read_with_their_target() -> None:
    # given: --jsonfile-pretty, the records in sections of each target
    data = (VARIANTS / "pretty.json").read_bytes()
    # when
    findings = _parse(data)
    # then
    assert detect_format(data).name == "testssl"
    assert [(finding.rule_id, finding.severity, finding.location.host) for finding in findings] == [
        ("SSLv3", Severity.HIGH, "shop.example.com"),
        ("BREACH", Severity.MEDIUM, "shop.example.com"),
    ]


def test_sample_many_vulnerabilities_high_findings() -> None:
    # when
    with (SAMPLES / "defectdojo_many_vuln.csv").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    high = [finding for finding in findings if finding.severity is Severity.HIGH]
    assert [(finding.rule_id, finding.tags[-1]) for finding in high] == [("BREACH", "instances:4")]


def test_detection_by_header() -> None:
    assert detect_format(CSV).name == "testssl"
    assert PARSER.detect(b"title,severity,description\nx,high,y\n") == 0
    assert PARSER.detect(b'{"results": []}') == 0


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (
            b'"id","fqdn/ip","port","severity","finding"\n"SSLv3","h/1","443","SEVERE","offered"\n',
            "unknown severity",
        ),
        (b'"id","fqdn/ip","port","severity","finding"\n"SSLv3","h/1","443"\n', "row has 3 fields"),
        (b'"name","value"\n"a","b"\n', "no CSV header row"),
        (b'{"Invocation": "testssl.sh"}', "the report has no 'scanResult'"),
    ],
)
def test_malformed_report_is_refused_naming_the_problem(report: bytes, message: str) -> None:
    with pytest.raises(MalformedReport) as error:
        _parse(report)
    assert message in str(error.value)
