"""The ZAP parser: traditional XML and JSON reports, one finding per alert and site."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.zap import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "zap"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "zap"

JSON_REPORT = (VARIANTS / "json_report.json").read_bytes()

XML_REPORT = b"""<?xml version="1.0"?>
<OWASPZAPReport programName="ZAP" version="2.14.0" generated="Fri, 4 Feb 2022 17:42:18">
<site name="http://localhost:8080" host="localhost" port="8080" ssl="false"><alerts>
<alertitem>
  <pluginid>40012</pluginid>
  <alertRef>40012</alertRef>
  <alert>Cross Site Scripting (Reflected)</alert>
  <name>Cross Site Scripting (Reflected)</name>
  <riskcode>3</riskcode>
  <confidence>0</confidence>
  <riskdesc>High (False Positive)</riskdesc>
  <desc>&lt;p&gt;Cross-site Scripting (XSS) is an attack technique.&lt;/p&gt;</desc>
  <instances>
    <instance><uri>http://localhost:8080/other.jsp</uri><method>POST</method><param>name</param></instance>
  </instances>
  <count>1</count>
  <cweid>-1</cweid>
  <wascid>-1</wascid>
</alertitem>
</alerts></site></OWASPZAPReport>"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    _parser, findings = parse_report(io.BytesIO(data))
    return list(findings)


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def test_xml_alert_becomes_one_finding_with_its_instances() -> None:
    # when
    first = _sample("dvwa_baseline_dojo.xml")[0]
    # then
    assert first.title == "X-Frame-Options Header Not Set"
    assert first.severity == Severity.MEDIUM
    assert first.tool == "zap"
    assert first.tool_version == "D-2021-03-29"
    assert first.rule_id == "10020"
    assert first.cwe_ids == (16,)
    assert first.tags == ("confidence:medium", "wasc:15", "instances:11")
    assert first.location == FindingLocation(
        url="http://172.17.0.2",
        parameter="X-Frame-Options",
        host="172.17.0.2",
        port=80,
        protocol="http",
    )
    assert first.description.startswith("X-Frame-Options header is not included in the HTTP")
    assert first.references == ("https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Frame-Options",)
    assert first.evidence.splitlines()[0] == (
        "GET http://172.17.0.2/vulnerabilities/brute/ [X-Frame-Options]"
    )
    assert first.evidence.count("GET http://172.17.0.2/") == 11


def test_xml_report_yields_alerts_in_order_with_risk_codes_as_severity() -> None:
    # when
    findings = _sample("0_zap_sample.xml")
    # then
    assert [(finding.rule_id, finding.title, finding.severity) for finding in findings] == [
        ("10011", "Cookie Without Secure Flag", Severity.LOW),
        ("10054", "Cookie Without SameSite Attribute", Severity.LOW),
        ("10055", "CSP Scanner: Wildcard Directive", Severity.MEDIUM),
        ("10096", "Timestamp Disclosure - Unix", Severity.LOW),
    ]
    assert findings[0].references == (
        "http://www.owasp.org/index.php/Testing_for_cookies_attributes_(OWASP-SM-002)",
    )
    assert findings[2].references == (
        "http://www.w3.org/TR/CSP2/",
        "http://www.w3.org/TR/CSP/",
        "http://caniuse.com/#search=content+security+policy",
        "http://content-security-policy.com/",
        "https://github.com/shapesecurity/salvation",
    )
    assert findings[3].description == (
        "A timestamp was disclosed by the application/web server - Unix\n\n"
        "265151019, which evaluates to: 1978-05-27 22:03:39"
    )


def test_same_alert_in_two_reports_keeps_its_fingerprint() -> None:
    # given: two scans of one site; each has an alert the other lacks
    before = {str(finding.rule_id): finding.fingerprint for finding in _sample("0_zap_sample.xml")}
    after = {
        str(finding.rule_id): finding.fingerprint for finding in _sample("1_zap_sample_0_and_new_absent.xml")
    }
    # then
    assert sorted(before) == ["10011", "10054", "10055", "10096"]
    assert sorted(after) == ["10010", "10054", "10055", "10096"]
    for rule_id in ("10054", "10055", "10096"):
        assert before[rule_id] == after[rule_id]
    assert before["10011"] != after["10010"]


def test_every_alert_of_a_report_has_its_own_fingerprint() -> None:
    findings = _sample("dvwa_baseline_dojo.xml")
    assert len(findings) == 19
    assert len({finding.fingerprint for finding in findings}) == 19


def test_report_without_alerts_yields_nothing() -> None:
    assert _sample("empty_2.9.0.xml") == []


def test_json_report_is_detected_and_parsed() -> None:
    # when
    findings = _parse(JSON_REPORT)
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "Cross Site Scripting (Reflected)"
    assert finding.severity == Severity.HIGH
    assert finding.tool_version == "2.14.0"
    assert finding.rule_id == "40012"
    assert finding.cwe_ids == (79,)
    assert finding.description == "Cross-site Scripting (XSS) is an attack technique."
    assert finding.remediation == "Phase: Architecture and Design\nUse a vetted library."
    assert finding.references == (
        "https://owasp.org/www-community/attacks/xss/",
        "https://cwe.mitre.org/data/definitions/79.html",
    )
    assert finding.location == FindingLocation(
        url="http://localhost:8080/search.jsp?q=x",
        parameter="q",
        host="localhost",
        port=8080,
        protocol="http",
    )
    assert finding.evidence == (
        "GET http://localhost:8080/search.jsp?q=x [q]\n"
        "  attack: <script>alert(1);</script>\n"
        "  evidence: <script>alert(1);</script>\n"
        "  requestheader: GET /search.jsp?q=x HTTP/1.1"
    )
    assert finding.tags == ("confidence:medium", "wasc:8", "instances:1")


def test_same_alert_gets_one_fingerprint_in_json_and_xml() -> None:
    # given: the XML report's alert at the JSON report's confidence
    xml_report = XML_REPORT.replace(b"<confidence>0</", b"<confidence>2</")
    # when
    from_json = _parse(JSON_REPORT)[0]
    from_xml = _parse(xml_report)[0]
    # then
    assert from_xml.fingerprint == from_json.fingerprint
    assert _parse(XML_REPORT)[0].fingerprint != from_json.fingerprint


def test_false_positive_confidence_is_tagged_and_bad_cwe_dropped() -> None:
    finding = _parse(XML_REPORT)[0]
    assert finding.tags == ("confidence:false positive", "false-positive", "instances:1")
    assert finding.cwe_ids == ()
    assert finding.location.url == "http://localhost:8080/other.jsp"
    assert finding.location.parameter == "name"


def test_json_report_with_a_lone_site_object() -> None:
    # given: ZAP before 2.9 wrote one site as an object, and alerts without instances
    report = (
        b'{"@version": "2.7.0", "@generated": "Mon, 1 Apr 2019 10:00:00", "site": '
        b'{"@name": "https://example.com", "@host": "example.com", "@port": "443", '
        b'"@ssl": "true", "alerts": [{"pluginid": "10021", "alert": '
        b'"X-Content-Type-Options Header Missing", "riskcode": "1", "confidence": "2", '
        b'"riskdesc": "Low (Medium)", "desc": "The header is missing.", "count": "3"}]}}'
    )
    # when
    findings = _parse(report)
    # then
    assert [(finding.title, finding.severity) for finding in findings] == [
        ("X-Content-Type-Options Header Missing", Severity.LOW)
    ]
    assert findings[0].location == FindingLocation(
        url="https://example.com", host="example.com", port=443, protocol="https"
    )
    assert findings[0].evidence == "… 3 more instances"
    assert findings[0].tags == ("confidence:medium", "instances:3")


def test_alert_without_plugin_id_is_rejected() -> None:
    report = XML_REPORT.replace(b"<pluginid>40012</pluginid>", b"")
    with pytest.raises(MalformedReport, match="an alert needs a pluginid and a name") as error:
        _parse(report)
    assert error.value.position == "site[0].alertitem[0]"


def test_json_alerts_of_the_wrong_type_are_rejected() -> None:
    report = JSON_REPORT.replace(b'"alerts": [', b'"alerts": "none", "x": [')
    with pytest.raises(MalformedReport, match="expected an array, found str") as error:
        _parse(report)
    assert error.value.position == "site[0].alerts"


def test_truncated_xml_report_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="invalid XML"):
        _parse(XML_REPORT[:400])


def test_detection_needs_zap_markers() -> None:
    assert PARSER.detect(XML_REPORT[:200]) == 100
    assert PARSER.detect(JSON_REPORT[:300]) == 95
    assert PARSER.detect(b'{"@version": "1", "@generated": "x", "site": []}') == 0
    assert PARSER.detect(b'<?xml version="1.0"?><issues burpVersion="1.6"></issues>') == 0
