"""Acunetix XML export and Acunetix 360 JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.acunetix import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "acunetix"

REPORT = b"""<?xml version="1.0"?>
<ScanGroup ExportedOn="01/03/2024, 10:00:00">
<Scan>
  <StartURL><![CDATA[shop.example.com]]></StartURL>
  <Crawler StartUrl="https://shop.example.com/">
    <SiteFiles><SiteFile id="1"><Name>/</Name><URL>/</URL></SiteFile></SiteFiles>
  </Crawler>
  <ReportItems>
    <ReportItem id="1" color="red">
      <Name><![CDATA[SQL injection]]></Name>
      <ModuleName><![CDATA[/Scripts/PerScheme/Sql_Injection.script]]></ModuleName>
      <Details><![CDATA[URL encoded GET input <b>id</b> was set to <b>1'"</b>]]></Details>
      <Affects><![CDATA[/product.php]]></Affects>
      <Parameter><![CDATA[id]]></Parameter>
      <IsFalsePositive><![CDATA[False]]></IsFalsePositive>
      <Severity><![CDATA[high]]></Severity>
      <Type><![CDATA[sqlinjection]]></Type>
      <Impact><![CDATA[Data can be read.]]></Impact>
      <Description><![CDATA[SQL injection is a <b>vulnerability</b>.<br/>Serious.]]></Description>
      <Recommendation><![CDATA[Use parameterized queries.]]></Recommendation>
      <TechnicalDetails>
        <Request><![CDATA[GET /product.php?id=1'" HTTP/1.1]]></Request>
      </TechnicalDetails>
      <CWEList><CWE id="89"><![CDATA[CWE-89]]></CWE></CWEList>
      <CVEList></CVEList>
      <CVSS3><Descriptor><![CDATA[CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H]]></Descriptor></CVSS3>
      <References><Reference><Database>OWASP</Database><URL>https://owasp.org/sqli</URL></Reference></References>
    </ReportItem>
    <ReportItem id="2" color="blue">
      <Name><![CDATA[Cookie(s) without HttpOnly flag set]]></Name>
      <ModuleName><![CDATA[/RPA/Cookie_Without_HttpOnly.js]]></ModuleName>
      <Details>
        <![CDATA[Set-Cookie: SESSION=4f2a9;Path=/;Expires=Thu, 01-Feb-2024 10:00:00 GMT]]>
      </Details>
      <Affects><![CDATA[/]]></Affects><Parameter></Parameter>
      <Severity><![CDATA[low]]></Severity>
      <CWEList><CWE id="16"><![CDATA[CWE-16]]></CWE></CWEList>
    </ReportItem>
    <ReportItem id="3" color="blue">
      <Name><![CDATA[Cookie(s) without HttpOnly flag set]]></Name>
      <ModuleName><![CDATA[/RPA/Cookie_Without_HttpOnly.js]]></ModuleName>
      <Details>
        <![CDATA[Set-Cookie: LANG=en;Path=/;Expires=Thu, 01-Feb-2024 10:00:00 GMT]]>
      </Details>
      <Affects><![CDATA[/]]></Affects><Parameter></Parameter>
      <Severity><![CDATA[low]]></Severity>
    </ReportItem>
  </ReportItems>
</Scan>
</ScanGroup>
"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def test_xml_item_is_read_with_its_url_parameter_and_ids() -> None:
    # when
    first = _parse(REPORT)[0]
    # then
    assert first.title == "SQL injection"
    assert first.severity is Severity.HIGH
    assert first.tool == "acunetix"
    assert first.rule_id == "/Scripts/PerScheme/Sql_Injection.script"
    assert first.tool_finding_id == "1"
    assert first.cwe_ids == (89,)
    assert first.cvss_v3_vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert first.cvss_v3_score == 9.8
    assert first.location.url == "https://shop.example.com/product.php"
    assert first.location.parameter == "id"
    assert first.location.host == "shop.example.com"
    assert first.description == "SQL injection is a vulnerability.\nSerious.\n\nData can be read."
    assert first.evidence == "URL encoded GET input id was set to 1'\"\n\nGET /product.php?id=1'\" HTTP/1.1"
    assert first.remediation == "Use parameterized queries."
    assert first.references == ("https://owasp.org/sqli",)
    assert first.tags == ("type:sqlinjection", "instances:1")


def test_xml_items_of_one_check_on_one_site_are_one_finding_naming_each_cookie() -> None:
    # when
    findings = _parse(REPORT)
    # then
    assert [finding.title for finding in findings] == [
        "SQL injection",
        "Cookie(s) without HttpOnly flag set",
    ]
    cookies = findings[1]
    assert cookies.location.url == "https://shop.example.com/"
    assert cookies.evidence == (
        "Set-Cookie: SESSION=4f2a9;Path=/;Expires=Thu, 01-Feb-2024 10:00:00 GMT\n\n"
        "Other instances (1):\n"
        "- https://shop.example.com/: "
        "Set-Cookie: LANG=en;Path=/;Expires=Thu, 01-Feb-2024 10:00:00 GMT"
    )
    assert cookies.tags == ("instances:2",)
    assert cookies.cwe_ids == (16,)
    assert len({finding.fingerprint for finding in findings}) == 2


def test_xml_fingerprint_ignores_cookie_values_dates_and_item_ids() -> None:
    # given: the next scan sees a new session value and expiry date, and numbers items anew
    later = (
        REPORT.replace(b"SESSION=4f2a9", b"SESSION=77b1c")
        .replace(b"Thu, 01-Feb-2024", b"Sat, 02-Mar-2024")
        .replace(b'ReportItem id="1"', b'ReportItem id="9"')
    )
    # when / then
    assert [finding.fingerprint for finding in _parse(later)] == [
        finding.fingerprint for finding in _parse(REPORT)
    ]


def test_xml_fingerprint_differs_by_site() -> None:
    # given
    other_site = REPORT.replace(b"https://shop.example.com/", b"https://blog.example.com/")
    # when / then
    assert _parse(other_site)[0].fingerprint != _parse(REPORT)[0].fingerprint


def test_sample_xml_many_findings() -> None:
    # when
    findings = _sample("many_findings.xml")
    # then
    assert [(finding.title, finding.severity) for finding in findings] == [
        ("Slow HTTP Denial of Service Attack", Severity.MEDIUM),
        ("Possible virtual host found", Severity.LOW),
        ("Unencrypted connection (verified)", Severity.LOW),
        ("Content Security Policy (CSP) not implemented", Severity.INFO),
    ]
    assert findings[1].cwe_ids == (200,)
    assert findings[0].location.url == "http://www.itsecgames.com/"


def test_sample_xml_example_co_id_groups_its_items_by_check() -> None:
    # when: 19 report items of 7 checks
    findings = _sample("XML_http_example_co_id_.xml")
    # then
    assert len(findings) == 7
    assert len({finding.fingerprint for finding in findings}) == 7
    first = findings[0]
    assert (first.title, first.severity, first.cwe_ids) == (
        "HTML form without CSRF protection",
        Severity.MEDIUM,
        (352,),
    )
    assert first.location.url == "http://example.co.id/h/search"
    assert first.tags == ("type:csrf", "instances:3")
    assert first.evidence.count("\n- http://example.co.id/") == 2
    library = findings[2]
    assert library.title == "Vulnerable Javascript library"
    assert library.advisory_ids == ("CVE-2010-4207",)
    assert [finding.tags[-1] for finding in findings] == [
        "instances:3",
        "instances:1",
        "instances:1",
        "instances:6",
        "instances:6",
        "instances:1",
        "instances:1",
    ]


def test_sample_acunetix360_json() -> None:
    # when
    findings = _sample("acunetix360_many_findings.json")
    # then
    assert len(findings) == 16
    assert len({finding.fingerprint for finding in findings}) == 16
    first = findings[0]
    assert first.title == "Cookie Not Marked as HttpOnly"
    assert first.severity is Severity.MEDIUM
    assert first.rule_id == "CookieNotMarkedAsHttpOnly"
    assert first.tool_finding_id == "735f4503-e9eb-4b4c-4306-ad49020a4c4b"
    assert first.cwe_ids == (16,)
    assert first.cvss_v3_score == 5.7
    assert first.location.url == "http://php.testsparker.com/auth/login.php"
    assert first.evidence == "Identified Cookie(s): PHPSESSID\nCookie Source: HTTP Header\nPage Type: Login"
    sqli = findings[1]
    assert (sqli.title, sqli.severity, sqli.cwe_ids) == (
        "Boolean Based SQL Injection",
        Severity.CRITICAL,
        (89,),
    )
    assert sqli.location.parameter == "id"
    assert sqli.tags == ("state:revived", "confirmed", "certainty:100")


def test_json_false_positive_is_kept_and_tagged_with_the_same_fingerprint() -> None:
    # when
    (false_positive,) = _sample("acunetix360_one_finding_false_positive.json")
    present = _sample("acunetix360_many_findings.json")[0]
    # then: the same cookie finding in two scans keeps its fingerprint
    assert false_positive.tags == ("state:present", "false-positive", "confirmed", "certainty:100")
    assert false_positive.fingerprint == present.fingerprint


def test_json_fingerprint_ignores_the_attack_payload_in_the_url() -> None:
    # given
    report = b"""{"Generated": "x", "Vulnerabilities": [
      {"Name": "Blind XSS", "Type": "BlindXss", "Severity": "High", "LookupId": "a",
       "Url": "http://h.example/p.php?id=PAYLOAD1",
       "HttpRequest": {"Parameters": [{"Name": "id", "Vulnerable": true}]}},
      {"Name": "Blind XSS", "Type": "BlindXss", "Severity": "High", "LookupId": "a",
       "Url": "http://h.example/p.php?id=PAYLOAD2",
       "HttpRequest": {"Parameters": [{"Name": "id", "Vulnerable": true}]}}]}"""
    # when
    first, second = _parse(report)
    # then
    assert first.fingerprint == second.fingerprint
    assert first.location.parameter == "id"


def test_detects_xml_and_json_only() -> None:
    assert PARSER.detect(REPORT) == 95
    assert PARSER.detect((SAMPLES / "acunetix360_many_findings.json").read_bytes()[:65536]) == 90
    assert PARSER.detect(b"<NessusClientData_v2><ReportItem/></NessusClientData_v2>") == 0
    assert PARSER.detect(b'{"Vulnerabilities": []}') == 0


def test_json_vulnerability_without_url_is_rejected() -> None:
    # given
    report = b'{"Vulnerabilities": [{"Name": "X", "Type": "X", "Severity": "Low"}]}'
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(report)
    # then
    assert caught.value.reason == "vulnerability has no Url"
    assert caught.value.position == "Vulnerabilities[0]"


def test_json_known_vulnerabilities_give_their_advisory_ids() -> None:
    # given
    known: list[object] = [{"Title": "Apache HTTP Server Improper Input Validation Vulnerability"}] * 300
    known += [{"Title": "mod_proxy flaw (cve-2021-40438)"}, {"Title": None}, "not an object"]
    vulnerability = {"Name": "Apache Out of Date", "Type": "ApacheOutOfDate", "Url": "https://a.example/"}
    report = json.dumps({"Vulnerabilities": [{**vulnerability, "KnownVulnerabilities": known}]}).encode()
    # when
    (finding,) = _parse(report)
    # then
    assert finding.advisory_ids == ("CVE-2021-40438",)


def test_json_known_vulnerabilities_without_ids_give_none() -> None:
    vulnerability = {"Name": "X", "Type": "X", "Url": "https://a.example/"}
    known = [{"Title": "Apache HTTP Server Resource Management Errors Vulnerability"}]
    report = json.dumps({"Vulnerabilities": [{**vulnerability, "KnownVulnerabilities": known}]}).encode()
    assert _parse(report)[0].advisory_ids == ()


def test_json_vulnerability_that_is_not_an_object_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="expected an object, found str"):
        _parse(b'{"Vulnerabilities": ["oops"]}')


def test_xml_item_without_name_is_rejected() -> None:
    # given
    report = REPORT.replace(b"<Name><![CDATA[SQL injection]]></Name>", b"").replace(
        b"<ModuleName><![CDATA[/Scripts/PerScheme/Sql_Injection.script]]></ModuleName>", b""
    )
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(report)
    # then
    assert caught.value.reason == "ReportItem has neither Name nor ModuleName"
    assert caught.value.position == "ReportItem[0]"


def test_truncated_json_is_rejected_through_the_registry() -> None:
    # given
    data = (SAMPLES / "acunetix360_one_finding_false_positive.json").read_bytes()[:2000]
    # when / then
    with pytest.raises(MalformedReport, match="invalid JSON"):
        list(parse_report(io.BytesIO(data))[1])
