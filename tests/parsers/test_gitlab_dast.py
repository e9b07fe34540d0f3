"""GitLab DAST reports: the ZAP-based analyzer's (with ZAP's own JSON beside) and schema 15."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.gitlab_dast import PARSER
from bastion.parsers.grouping import fingerprint

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"
SAMPLES = SCANS / "gitlab_dast"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "gitlab_dast"

# Schema 15, as the browser-based analyzer writes it: no category, message or cve.
SCHEMA_15 = {
    "version": "15.0.6",
    "vulnerabilities": [
        {
            "id": "6f1d41b6-5c0a-4a8f-9d3e-1f2a3b4c5d6e",
            "name": "Missing X-Content-Type-Options header",
            "description": "The X-Content-Type-Options header is not set.",
            "severity": "Low",
            "solution": "Set X-Content-Type-Options: nosniff.",
            "identifiers": [
                {"type": "check_id", "name": "693.1", "value": "693.1"},
                {
                    "type": "CWE",
                    "name": "CWE-693",
                    "value": "693",
                    "url": "https://cwe.mitre.org/data/definitions/693.html",
                },
            ],
            "links": [{"url": "https://owasp.org/www-project-secure-headers/"}],
            "location": {
                "hostname": "https://shop.example:8443",
                "method": "GET",
                "param": "",
                "path": "/cart",
            },
            "evidence": {
                "request": {"method": "GET", "url": "https://shop.example:8443/cart", "headers": []},
                "response": {"status_code": 200, "reason_phrase": "OK", "headers": []},
                "summary": "",
            },
        }
    ],
    "scan": {
        "scanner": {
            "id": "browserker",
            "name": "GitLab DAST",
            "version": "3.0.60",
            "vendor": {"name": "GitLab"},
        },
        "analyzer": {
            "id": "gitlab-dast",
            "name": "GitLab DAST",
            "version": "4.0.9",
            "vendor": {"name": "GitLab"},
        },
        "type": "dast",
        "start_time": "2023-06-01T10:00:00",
        "end_time": "2023-06-01T10:30:00",
        "status": "success",
    },
}


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(document: object, format_name: str = "gitlab_dast") -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(json.dumps(document).encode()), format_name=format_name)[1])


def test_vulnerability_is_one_finding_at_its_url() -> None:
    # when
    findings = _sample("gitlab_dast_one_vul_v15.json")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "PII Disclosure"
    assert finding.severity is Severity.HIGH
    assert finding.rule_id == "10062"
    assert finding.cwe_ids == (359,)
    assert finding.location.url == "http://api-server/v1/trees"
    assert finding.location.host == "api-server"
    assert finding.location.parameter is None
    assert finding.evidence.startswith(
        "Request: GET http://api-server/v1/trees\nResponse: 200 OK\n378282246310005;"
    )
    assert finding.tags == ("method:GET",)
    assert finding.fingerprint == fingerprint(
        "gitlab_dast", "ZAProxy_PluginId:10062", "PII Disclosure", "http://api-server/v1/trees", "GET", None
    )


def test_zap_based_report_yields_each_vulnerability_and_not_zap_alerts() -> None:
    # when
    findings = _sample("gitlab_dast_many_vul_v14.json")
    # then
    assert len(findings) == 10
    assert len({finding.fingerprint for finding in findings}) == 10
    headers = [f for f in findings if f.rule_id == "10021"]
    assert [(f.location.url, f.location.parameter, f.tags) for f in headers] == [
        (
            "http://api-server/v1/trees",
            "X-Content-Type-Options",
            ("scanner:zaproxy", "confidence:medium", "method:GET"),
        ),
        (
            "http://api-server/v1/trees",
            "X-Content-Type-Options",
            ("scanner:zaproxy", "confidence:medium", "method:POST"),
        ),
    ]
    assert headers[0].tool_version == "D-2020-08-26"


def test_schema_15_report_is_read_and_its_fingerprint_ignores_the_volatile_id() -> None:
    # given: a rescan, with a new id and new evidence
    rescan = json.loads(json.dumps(SCHEMA_15))
    rescan["vulnerabilities"][0]["id"] = "0b8a1f7e-1111-4222-8333-944455556666"
    rescan["vulnerabilities"][0]["evidence"]["summary"] = "header absent"
    # when
    first = _parse(SCHEMA_15)[0]
    again = _parse(rescan)[0]
    # then
    assert first.title == "Missing X-Content-Type-Options header"
    assert first.severity is Severity.LOW
    assert first.cwe_ids == (693,)
    assert first.location.url == "https://shop.example:8443/cart"
    assert first.location.host == "shop.example"
    assert first.remediation == "Set X-Content-Type-Options: nosniff."
    assert first.references == (
        "https://owasp.org/www-project-secure-headers/",
        "https://cwe.mitre.org/data/definitions/693.html",
    )
    assert first.tool_version == "3.0.60"
    assert again.fingerprint == first.fingerprint


def test_api_fuzzing_report_is_read_as_dast() -> None:
    # given: GitLab's API security analyzer writes the schema 15 shape with scan.type api_fuzzing
    report = (VARIANTS / "api_fuzzing.json").read_bytes()
    # when
    parser, found = parse_report(io.BytesIO(report))
    (finding,) = found
    # then
    assert parser.name == "gitlab_dast"
    assert finding.title == "SQL injection"
    assert finding.severity is Severity.HIGH
    assert finding.rule_id == "SqlInjectionCheck"
    assert finding.cwe_ids == (89,)
    assert finding.location.url == "https://api.shop.example/v1/orders"
    assert finding.location.parameter == "id"
    assert finding.evidence == (
        "Request: POST https://api.shop.example/v1/orders\nResponse: 500 Internal Server Error"
    )
    assert finding.tags == ("scanner:gitlab-api-security", "method:POST")


def test_detects_dast_reports_before_zap_and_not_other_kinds() -> None:
    # given
    many = (SAMPLES / "gitlab_dast_many_vul_v14.json").read_bytes()
    # then: the ZAP-based report carries ZAP's JSON too, and ZAP's parser claims it less
    assert PARSER.detect(many) == 95
    assert detect_format(many).name == "gitlab_dast"
    assert detect_format(json.dumps(SCHEMA_15).encode()).name == "gitlab_dast"
    assert PARSER.detect((SAMPLES / "gitlab_dast_zero_vul.json").read_bytes()) == 10
    assert PARSER.detect((SCANS / "gitlab_sast" / "gl-sast-report-cwe_v15.json").read_bytes()) == 0
    zap = sorted((SCANS / "zap").glob("*.json"))
    assert all(PARSER.detect(path.read_bytes()) == 0 for path in zap)


def test_dast_report_named_as_container_scanning_is_refused() -> None:
    # when
    with pytest.raises(MalformedReport) as refused:
        _parse(SCHEMA_15, "gitlab_container_scan")
    # then
    assert (
        refused.value.reason
        == "scan.type is 'dast': a GitLab dast report, not a GitLab container scanning report"
    )


@pytest.mark.parametrize(
    ("document", "reason", "position"),
    [
        (b"[]", "the report has no 'vulnerabilities'", "top level"),
        (
            b'{"vulnerabilities": [{"category": "sast", "identifiers": []}]}',
            "a sast vulnerability",
            "vulnerabilities[0].category",
        ),
        (
            b'{"vulnerabilities": [{"identifiers": [{}], "location": []}]}',
            "expected an object, found list",
            "vulnerabilities[0].location",
        ),
        (b'{"vulnerabilities": [], "scan": []}', "expected an object, found list", "scan"),
    ],
)
def test_malformed_report_is_refused_naming_where(document: bytes, reason: str, position: str) -> None:
    # when
    with pytest.raises(MalformedReport) as refused:
        list(parse_report(io.BytesIO(document), format_name="gitlab_dast")[1])
    # then
    assert refused.value.reason.startswith(reason)
    assert refused.value.position == position
