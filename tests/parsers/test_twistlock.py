"""Twistlock / Prisma Cloud Compute image scans, JSON and CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
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

# The console's CSV export as a spreadsheet saves it in a European locale: `;` between fields,
# decimal commas, CRLF line ends and a BOM (Excel's "CSV UTF-8"). Written for these tests from the
# export's columns above; the description of the first row has a comma, the risk factors a `;`.
SEMICOLON_CSV = (
    "\ufeffRegistry;Repository;Tag;Id;Distro;Hosts;Layer;CVE ID;Compliance ID;Type;Severity;Packages;"
    "Source Package;Package Version;Package License;CVSS;Fix Status;Risk Factors;Vulnerability Tags;"
    "Description;Cause;Containers;Custom Labels;Published;Discovered;Binaries;Clusters\r\n"
    "reg.local;team/app;1.4;sha256:aa;Debian 11;;;CVE-2022-0778;46;image;important;libssl1.1;openssl;"
    '1.1.1k-1;OpenSSL;7,5;fixed in 1.1.1n-0;"Has fix; Attack vector: network";;'
    "Infinite loop in BN_mod_sqrt, reachable when parsing certificates;;;;2022-03-15;;;\r\n"
    "reg.local;team/app;1.4;sha256:aa;Debian 11;;;;41;image;high;;;;;;;;;"
    "(CIS_Docker_v1.5.0 - 4.1) Image should be created with a non-root user;;;;;;;\r\n"
    "reg.local;team/app;1.4;sha256:aa;Debian 11;;;CVE-2018-25032;46;image;moderate;zlib1g;zlib;"
    "1:1.2.11.dfsg-2;Zlib;7,5;fixed in 1:1.2.11.dfsg-2+deb11u1;;;"
    "zlib before 1.2.12 allows memory corruption when deflating;;;;2022-03-25;;;\r\n"
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


def test_semicolon_csv_export_is_read_with_the_same_mapping() -> None:
    # when
    findings = _findings(SEMICOLON_CSV.encode())
    # then
    assert [(finding.title, finding.severity) for finding in findings] == [
        ("CVE-2022-0778: openssl - 1.1.1k-1", Severity.HIGH),
        (
            "Compliance: (CIS_Docker_v1.5.0 - 4.1) Image should be created with a non-root user",
            Severity.HIGH,
        ),
        ("CVE-2018-25032: zlib - 1:1.2.11.dfsg-2", Severity.MEDIUM),
    ]
    vulnerability, compliance, _zlib = findings
    assert vulnerability.cvss_v3_score == 7.5
    assert vulnerability.description == "Infinite loop in BN_mod_sqrt, reachable when parsing certificates"
    assert vulnerability.advisory_ids == ("CVE-2022-0778",)
    assert vulnerability.location.component == "reg.local/team/app:1.4"
    assert vulnerability.remediation == "Fix status: fixed in 1.1.1n-0."
    assert vulnerability.tags == ("vulnerability", "image")
    assert (compliance.rule_id, compliance.tags) == ("41", ("compliance", "image"))


def test_semicolon_and_comma_exports_of_the_same_rows_agree() -> None:
    # given: the same rows written with commas
    rows = csv.reader(io.StringIO(SEMICOLON_CSV.removeprefix("\ufeff"), newline=""), delimiter=";")
    comma = io.StringIO()
    csv.writer(comma).writerows(rows)
    # when
    semicolon_findings = _findings(SEMICOLON_CSV.encode())
    comma_findings = _findings(comma.getvalue().encode())
    # then: only the decimal comma of CVSS needed reading apart
    assert [finding.fingerprint for finding in semicolon_findings] == [
        finding.fingerprint for finding in comma_findings
    ]
    assert [finding.model_dump() for finding in semicolon_findings] == [
        finding.model_dump() for finding in comma_findings
    ]


def test_semicolon_csv_fingerprint_ignores_package_version_and_tag() -> None:
    # given: the image rebuilt with a new tag and openssl upgraded, still vulnerable
    rebuilt = SEMICOLON_CSV.replace("1.4;sha256:aa", "1.5;sha256:bb").replace(";1.1.1k-1;", ";1.1.1k-2;")
    # when
    before = _findings(SEMICOLON_CSV.encode())
    after = _findings(rebuilt.encode())
    # then
    assert after[0].location.package_version == "1.1.1k-2"
    assert [finding.fingerprint for finding in before] == [finding.fingerprint for finding in after]


def test_semicolon_csv_is_detected_by_its_header_row() -> None:
    header = SEMICOLON_CSV.split("\r\n", 1)[0]
    without_ids = header.replace(";CVE ID;Compliance ID;", ";Vulnerability;Check;")
    assert PARSER.detect(header.encode()) == 85
    assert detect_format(SEMICOLON_CSV.encode()).name == "twistlock"
    assert PARSER.detect(without_ids.encode()) == 0
    assert PARSER.detect(b"Vulnerability ID;Severity;Package name;Package version\n") == 0


@pytest.mark.parametrize(
    ("data", "message", "position"),
    [
        (
            SEMICOLON_CSV.replace(";CVE ID;Compliance ID;", ";Vulnerability;Check;").encode(),
            "no CSV header row naming the CVE ID and Compliance ID and Severity columns",
            "line 1",
        ),
        (
            SEMICOLON_CSV.encode() + b"reg.local;team/app\r\n",
            "row has 2 fields where the header has 27",
            "line 5",
        ),
        (SEMICOLON_CSV.encode() + b'reg.local;"team/app\r\n', "invalid CSV", "line 5"),
        (
            SEMICOLON_CSV.removeprefix("\ufeff").replace("non-root", "non-root \u00e9").encode("cp1252"),
            "the CSV is not UTF-8",
            "line 1",  # the first block read holds the whole report
        ),
    ],
)
def test_malformed_semicolon_csv_is_refused(data: bytes, message: str, position: str) -> None:
    # when
    with pytest.raises(MalformedReport, match=re.escape(message)) as refused:
        _findings(data)
    # then
    assert refused.value.position == position


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
