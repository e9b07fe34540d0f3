"""Netsparker / Invicti JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format
from bastion.parsers.netsparker import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "netsparker"


def _vulnerability(**overrides: Any) -> dict[str, Any]:
    vulnerability: dict[str, Any] = {
        "Url": "https://shop.example.com/search?q=%3Cscript%3E1",
        "Type": "ReflectedXss",
        "Name": "Cross-site Scripting",
        "Severity": "High",
        "Certainty": 95,
        "Confirmed": True,
        "LookupId": "0c7c2a8a-1111-4a1e-9a55-aaaaaaaaaaaa",
        "State": "Present, Revived",
        "Classification": {
            "Cwe": "79",
            "Cvss31": {"Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"},
        },
        "HttpRequest": {"Content": "GET /search HTTP/1.1", "Parameters": [{"Name": "q", "Vulnerable": True}]},
        "HttpResponse": {"Content": "HTTP/1.1 200 OK"},
        "Description": "<p>Reflected <b>XSS</b>.</p>",
        "RemedialProcedure": "<p>Encode output.</p>",
        "ExternalReferences": '<a href="https://owasp.org/xss">OWASP</a>',
        "KnownVulnerabilities": [],
    }
    vulnerability.update(overrides)
    return vulnerability


def _report(*vulnerabilities: dict[str, Any]) -> bytes:
    # The Invicti Enterprise export of 2023: Cvss31 and Cvss40 beside the old Cvss, LookupId, State.
    return json.dumps(
        {
            "Generated": "14/03/2024 10:00",
            "Target": {"ScanId": "a1", "Url": "https://shop.example.com/"},
            "Vulnerabilities": list(vulnerabilities),
        }
    ).encode()


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_current_export_is_read_with_cvss_parameter_and_state() -> None:
    # when
    (finding,) = _parse(_report(_vulnerability()))
    # then
    assert finding.title == "Cross-site Scripting"
    assert finding.severity is Severity.HIGH
    assert finding.rule_id == "ReflectedXss"
    assert finding.tool_finding_id == "0c7c2a8a-1111-4a1e-9a55-aaaaaaaaaaaa"
    assert finding.cwe_ids == (79,)
    assert finding.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"
    assert finding.cvss_v3_score == 6.1
    assert finding.location.url == "https://shop.example.com/search?q=%3Cscript%3E1"
    assert finding.location.parameter == "q"
    assert finding.location.host == "shop.example.com"
    assert finding.description == "Reflected XSS."
    assert finding.remediation == "Encode output."
    assert finding.references == ("https://owasp.org/xss",)
    assert finding.tags == ("state:present", "state:revived", "confirmed", "certainty:95", "instances:1")


def test_entries_of_one_check_on_one_site_are_one_finding_with_stable_fingerprint() -> None:
    # given: the payload in the query is random per scan
    first = _vulnerability()
    second = _vulnerability(Url="https://shop.example.com/item?id=%3Csvg%3E", LookupId="other")
    other_site = _vulnerability(Url="https://blog.example.com/?s=x")
    # when
    findings = _parse(_report(first, second, other_site))
    rescan = _parse(_report(_vulnerability(Url="https://shop.example.com/search?q=%3Cimg%3E")))
    # then
    assert [finding.tags[-1] for finding in findings] == ["instances:2", "instances:1"]
    assert findings[0].evidence.endswith("Other instances (1):\n- https://shop.example.com/item?id=%3Csvg%3E")
    assert rescan[0].fingerprint == findings[0].fingerprint
    assert findings[1].fingerprint != findings[0].fingerprint


def test_false_positive_and_accepted_risk_are_tagged() -> None:
    # when
    findings = _parse(
        _report(_vulnerability(State="FalsePositive"), _vulnerability(Type="Other", State="AcceptedRisk"))
    )
    # then
    assert "false-positive" in findings[0].tags
    assert "accepted-risk" in findings[1].tags


def test_sample_many_findings_first_two() -> None:
    # when
    with (SAMPLES / "netsparker_many_findings.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert [(finding.title, finding.severity, finding.cwe_ids) for finding in findings[:2]] == [
        ("Cookie Not Marked as HttpOnly", Severity.MEDIUM, (16,)),
        ("Boolean Based SQL Injection", Severity.CRITICAL, (89,)),
    ]
    assert findings[1].location.url == "http://php.testsparker.com/artist.php?id=-1%20OR%2017-7%3d10"


def test_detection_leaves_acunetix_360_to_acunetix() -> None:
    # given: Acunetix 360 writes the same shape and names itself
    acunetix = _report(_vulnerability(Description="Acunetix 360 identified a reflected XSS."))
    # when / then
    assert detect_format(_report(_vulnerability())).name == "netsparker"
    assert detect_format(acunetix).name == "acunetix"
    assert PARSER.detect(b'{"Vulnerabilities": [], "runs": []}') == 0


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (b'{"Generated": "x", "Target": {}}', "the report has no 'Vulnerabilities'"),
        (_report(_vulnerability(Url="")), "vulnerability has no Url"),
        (b'{"Generated": "x", "Vulnerabilities": [{"Url": ', "invalid JSON"),
    ],
)
def test_malformed_report_is_refused_naming_the_problem(report: bytes, message: str) -> None:
    with pytest.raises(MalformedReport) as error:
        _parse(report)
    assert message in str(error.value)


def test_texts_a_check_shares_are_made_plain_alike_whether_short_or_past_the_cache_limit() -> None:
    # given: two sites' entries sharing short texts, and one with a description too long to be kept
    long_description = "<p>" + "word " * 3000 + "</p>"
    long_impact = "<b>Bad</b>" + " more" * 400
    known = [{"Title": "CVE-2021-1234 in X"}, {"Title": ""}, {"Title": "GHSA-jfh8-c2jp-5v3q"}]
    report = _report(
        _vulnerability(KnownVulnerabilities=known),
        _vulnerability(Url="https://other.example.com/", KnownVulnerabilities=known),
        _vulnerability(Url="https://third.example.com/", Description=long_description, Impact=long_impact),
    )
    # when
    first, second, third = _parse(report)
    # then
    for finding in (first, second):
        assert finding.description == "Reflected XSS."
        assert finding.remediation == "Encode output."
        assert finding.references == ("https://owasp.org/xss",)
        assert finding.advisory_ids == ("CVE-2021-1234", "GHSA-jfh8-c2jp-5v3q")
    assert third.description == " ".join(["word"] * 3000) + "\n\n" + " ".join(["Bad"] + ["more"] * 400)
    assert third.advisory_ids == ()
