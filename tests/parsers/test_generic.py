"""Bastion generic findings: the CSV and JSON variants, detection, fingerprints, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "generic"
PARSER = get_parser("generic")


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _refusal(data: bytes) -> MalformedReport:
    with pytest.raises(MalformedReport) as caught:
        list(parse_report(io.BytesIO(data), format_name="generic")[1])
    return caught.value


def test_csv_fixture_yields_every_row() -> None:
    # when
    findings = _sample("findings.csv")
    # then
    assert [(f.title, f.severity, f.tool) for f in findings] == [
        ("SQL injection in login form", Severity.HIGH, "acme-sast"),
        ("Outdated OpenSSL", Severity.CRITICAL, "acme-sca"),
        ("TLS 1.0 enabled", Severity.MEDIUM, "acme-net"),
        ("Missing security header", Severity.LOW, "acme-dast"),
        ("Server banner disclosed", Severity.INFO, "acme-net"),
    ]
    first = findings[0]
    assert first.rule_id == "SQLI-001"
    assert first.cwe_ids == (89,)
    assert first.description == 'User input reaches the query unescaped, see "login" handler.'
    assert first.location.file_path == "src/app/login.py"
    assert first.location.line_start == 42
    assert first.references == ("https://owasp.org/www-community/attacks/SQL_Injection",)
    openssl = findings[1]
    assert openssl.advisory_ids == ("CVE-2022-3602", "CVE-2022-3786")
    assert openssl.location.package == "openssl"
    assert openssl.location.package_version == "3.0.5"
    assert openssl.location.fixed_version == "3.0.7"
    assert openssl.remediation == "Upgrade to 3.0.7."
    assert len(openssl.references) == 2
    assert findings[2].location.host == "db.example.internal"
    assert findings[2].location.port == 5432
    assert findings[3].location.url == "https://app.example.com/login"
    assert findings[4].fingerprint == "acme-net-0042"


def test_json_fixture_uses_the_document_tool_as_default() -> None:
    # when
    findings = _sample("findings.json")
    # then
    assert [(f.title, f.severity, f.tool) for f in findings] == [
        ("Hard-coded password", Severity.HIGH, "acme scanner"),
        ("Prototype pollution in lodash", Severity.MEDIUM, "acme scanner"),
        ("Directory listing enabled", Severity.LOW, "acme-dast"),
        ("SSH allows password authentication", Severity.MEDIUM, "acme scanner"),
    ]
    assert findings[0].cwe_ids == (798,)
    assert findings[0].location.line_start == 12
    assert findings[1].advisory_ids == ("CVE-2020-8203", "GHSA-p6mc-m468-83gw")
    assert findings[1].cwe_ids == (1321,)
    assert findings[3].location.port == 22
    assert findings[3].fingerprint == "acme-ssh-10.0.0.5-22"


def test_fixtures_are_detected_by_content() -> None:
    assert detect_format((SAMPLES / "findings.csv").read_bytes()).name == "generic"
    assert detect_format((SAMPLES / "findings.json").read_bytes()).name == "generic"
    assert PARSER.detect((SAMPLES / "findings.csv").read_bytes()) == 60
    assert PARSER.detect((SAMPLES / "findings.json").read_bytes()) == 100


def test_csv_with_an_unknown_or_no_required_column_is_not_claimed() -> None:
    assert PARSER.detect(b"title,severity,owner\nA,high,me\n") == 0
    assert PARSER.detect(b"title,description\nA,B\n") == 0
    assert PARSER.detect(b'{"results": []}') == 0


def test_computed_fingerprint_ignores_wording_and_separates_locations() -> None:
    # given
    header = b"title,severity,description,file_path,line,rule_id,tool\n"
    first_run = (
        header
        + b"Weak hash,medium,MD5 used,a.py,3,HASH,lint\n"
        + b"Weak hash,medium,MD5 used,a.py,9,HASH,lint\n"
    )
    second_run = header + b"Weak hash,high,MD5 is used here,a.py,3,HASH,lint\n"
    # when
    first = _parse(first_run)
    second = _parse(second_run)
    # then
    assert first[0].fingerprint == second[0].fingerprint
    assert first[0].fingerprint != first[1].fingerprint


def test_csv_and_json_of_one_finding_share_the_computed_fingerprint() -> None:
    csv_report = b"title,severity,rule_id,tool,host,port\nTelnet open,high,TELNET,netscan,10.0.0.1,23\n"
    json_report = (
        b'{"bastion_generic_version": 1, "tool": "netscan", "findings": ['
        b'{"title": "Telnet open", "severity": "high", "rule_id": "TELNET",'
        b' "host": "10.0.0.1", "port": 23}]}'
    )
    assert _parse(csv_report)[0].fingerprint == _parse(json_report)[0].fingerprint


def test_unknown_csv_columns_are_refused_by_name() -> None:
    # when
    error = _refusal(b"title,severity,owner,team\nA,high,me,blue\n")
    # then
    assert error.reason.startswith("unknown columns: 'owner', 'team'; known columns are title, severity")
    assert error.position == "line 1"


def test_unknown_json_keys_are_refused_by_name() -> None:
    report = b'{"bastion_generic_version": 1, "findings": [{"title": "A", "severity": "low", "owner": "me"}]}'
    error = _refusal(report)
    assert error.reason.startswith("unknown keys: 'owner'; known keys are")
    assert error.position == "findings[0]"


def test_bad_values_are_refused_with_their_place() -> None:
    header = b"title,severity,port\n"
    assert _refusal(header + b"A,urgent,\n").reason == (
        "severity 'urgent' is not one of critical, high, medium, low, info"
    )
    bad_port = _refusal(header + b"A,high,\nB,high,70000\n")
    assert bad_port.reason == "port must be a whole number 0-65535, found '70000'"
    assert bad_port.position == "line 3"
    short_row = _refusal(header + b"A,high\n")
    assert short_row.reason == "the row has 2 fields, the header 3"
    assert _refusal(b"severity,title\nhigh,\n").reason == "title is required"


def test_csv_with_only_a_header_has_no_findings() -> None:
    assert _parse(b"title,severity\r\n") == []


def test_csv_without_required_columns_is_refused() -> None:
    error = _refusal(b"title,description\nA,B\n")
    assert error.reason == "missing required columns: severity"


def test_json_of_another_version_is_refused() -> None:
    error = _refusal(b'{"bastion_generic_version": 2, "findings": []}')
    assert error.reason == "bastion_generic_version must be 1, found 2"


def test_json_values_of_the_wrong_type_are_refused() -> None:
    report = b'{"bastion_generic_version": 1, "findings": [{"title": "A", "severity": "low", "line": [3]}]}'
    error = _refusal(report)
    assert error.reason == "line must be a string, found list"
    assert error.position == "findings[0].line"


def test_csv_that_is_not_utf8_is_refused() -> None:
    error = _refusal(b"title,severity\n\xff\xfe,high\n")
    assert error.reason.startswith("the CSV is not UTF-8")
