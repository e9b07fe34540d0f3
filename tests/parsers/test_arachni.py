"""Arachni's JSON and XML reports."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format
from bastion.parsers.arachni import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "arachni"


def _issue(**overrides: Any) -> dict[str, Any]:
    issue: dict[str, Any] = {
        "name": "SQL Injection",
        "description": "\nSQL injection lets an attacker\nrun queries.\n\nIt is serious.\n",
        "references": {"OWASP": "https://owasp.org/sqli"},
        "tags": ["sql", "injection"],
        "cwe": 89,
        "severity": "high",
        "remedy_guidance": "Use prepared statements.",
        "check": {"name": "SQL Injection", "shortname": "sql_injection"},
        "vector": {
            "class": "Arachni::Element::Form",
            "type": "form",
            "url": "https://shop.example.com/",
            "action": "https://shop.example.com/search",
            "method": "get",
            "affected_input_name": "q",
            "seed": "'\"`--",
        },
        "proof": "You have an error in your SQL syntax",
        "trusted": True,
        "digest": 3254960792,
        "request": {"url": "https://shop.example.com/search?q=%27"},
        "response": {"url": "https://shop.example.com/search?q=%27"},
    }
    issue.update(overrides)
    return issue


def _report(*issues: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "version": "1.5.1",
            "seed": "6c78ef9032b42c79e79988f7862ddb55",
            "options": {"http": {"user_agent": "Arachni/v1.5.1"}},
            "sitemap": {},
            "issues": list(issues),
        }
    ).encode()


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_issue_is_read_with_its_place_proof_and_ids() -> None:
    # when
    (finding,) = _parse(_report(_issue()))
    # then
    assert finding.title == "SQL Injection"
    assert finding.severity is Severity.HIGH
    assert finding.rule_id == "sql_injection"
    assert finding.tool_finding_id == "3254960792"
    assert finding.cwe_ids == (89,)
    assert finding.location.url == "https://shop.example.com/search"
    assert finding.location.parameter == "q"
    assert finding.location.host == "shop.example.com"
    assert finding.description == "SQL injection lets an attacker run queries.\n\nIt is serious."
    assert finding.remediation == "Use prepared statements."
    assert finding.evidence == "Proof: You have an error in your SQL syntax\nElement: form GET"
    assert finding.references == ("https://owasp.org/sqli",)
    assert finding.tags == ("sql", "injection", "instances:1")


def test_issues_of_one_check_are_one_finding_across_inputs_and_rescans_keep_it() -> None:
    # given
    second = _issue(vector={**_issue()["vector"], "affected_input_name": "page"}, digest=1)
    untrusted = _issue(check={"shortname": "xss"}, name="XSS", severity="medium", trusted=False)
    # when
    findings = _parse(_report(_issue(), second, untrusted))
    rescan = _parse(_report(_issue(digest=42, proof="other")))
    # then
    assert [finding.tags[-1] for finding in findings] == ["instances:2", "instances:1"]
    assert findings[0].evidence.endswith("Other instances (1):\n- https://shop.example.com/search [page]")
    assert "untrusted" in findings[1].tags
    assert rescan[0].fingerprint == findings[0].fingerprint


def test_variations_of_an_arachni_0_4_issue_are_its_places() -> None:
    # given: Arachni 0.4 lists the places of one issue in "variations"
    issue = _issue(
        vector={},
        url="https://shop.example.com/a",
        var="id",
        variations=[
            {"url": "https://shop.example.com/a", "var": "id"},
            {"url": "https://shop.example.com/b", "var": "id"},
        ],
    )
    # when
    (finding,) = _parse(_report(issue))
    # then
    assert finding.location.url == "https://shop.example.com/a"
    assert finding.tags[-1] == "instances:2"


def test_sample_many_findings_are_grouped_by_check() -> None:
    # when
    with (SAMPLES / "js.com.afr.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert [(finding.rule_id, finding.severity) for finding in findings[:3]] == [
        ("sql_injection", Severity.HIGH),
        ("unvalidated_redirect", Severity.MEDIUM),
        ("common_directories", Severity.MEDIUM),
    ]
    interesting = findings[-1]
    assert interesting.rule_id == "interesting_responses"
    assert interesting.severity is Severity.INFO
    assert interesting.tags[-1] == "instances:25"


def test_detection() -> None:
    assert detect_format(_report(_issue())).name == "arachni"
    assert PARSER.detect(b'{"seed": 1, "results": []}') == 0
    assert PARSER.detect(b"<report/>") == 0


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (b'{"version": "1.5.1", "seed": "x", "options": {}}', "the report has no 'issues'"),
        (_report(_issue(name="")), "issue has no name"),
        (_report(_issue(vector={}, request={}, response={})), "issue has no URL"),
        (b'{"seed": "x", "issues": [{"name": ', "invalid JSON"),
    ],
)
def test_malformed_report_is_refused_naming_the_problem(report: bytes, message: str) -> None:
    with pytest.raises(MalformedReport) as error:
        _parse(report)
    assert message in str(error.value)


# Arachni 1.5's XML report (arachni_reporter --reporter=xml), as its XML reporter writes it:
# the same scan as _report(_issue()) plus a second place of the same check and an untrusted issue.
XML_REPORT = b"""<?xml version="1.0"?>
<report xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:noNamespaceSchemaLocation="https://raw.githubusercontent.com/Arachni/arachni/v1.5.1/components/reporters/xml/schema.xsd">
  <version>1.5.1</version>
  <seed>6c78ef9032b42c79e79988f7862ddb55</seed>
  <options>---
http:
  user_agent: Arachni/v1.5.1
  request_timeout: 10000
input:
  default_values:
    "(?i-mx:name)": arachni_name
url: https://shop.example.com/
checks:
- sql_injection
- xss
</options>
  <start_datetime>2017-03-29T12:41:12+03:00</start_datetime>
  <finish_datetime>2017-03-29T12:44:03+03:00</finish_datetime>
  <sitemap>
    <entry url="https://shop.example.com/" code="200"/>
    <entry url="https://shop.example.com/search" code="500"/>
  </sitemap>
  <issues>
    <issue>
      <name>SQL Injection</name>
      <description>
SQL injection lets an attacker
run queries.

It is serious.
</description>
      <remedy_guidance>Use prepared statements.</remedy_guidance>
      <remedy_code/>
      <severity>high</severity>
      <check>
        <name>SQL Injection</name>
        <description>SQL injection detection using false-positive reduction techniques.</description>
        <author>Tasos "Zapotek" Laskos &lt;tasos.laskos@arachni-scanner.com&gt;</author>
        <version>0.2.4</version>
        <shortname>sql_injection</shortname>
      </check>
      <cwe>89</cwe>
      <digest>3254960792</digest>
      <references>
        <reference title="OWASP" url="https://owasp.org/sqli"/>
      </references>
      <vector>
        <class>Arachni::Element::Form</class>
        <type>form</type>
        <url>https://shop.example.com/</url>
        <action>https://shop.example.com/search</action>
        <source>&lt;form action="/search"&gt;&lt;input name="q"&gt;&lt;/form&gt;</source>
        <seed>'"`--</seed>
        <method>get</method>
        <affected_input_name>q</affected_input_name>
        <inputs>
          <input name="q" value="'&quot;`--"/>
        </inputs>
        <default_inputs>
          <input name="q" value=""/>
        </default_inputs>
      </vector>
      <remarks/>
      <page>
        <body>&lt;html&gt;You have an error in your SQL syntax&lt;/html&gt;</body>
        <request>
          <url>https://shop.example.com/search?q=%27</url>
          <method>get</method>
          <parameters/>
          <headers>
            <header name="User-Agent" value="Arachni/v1.5.1"/>
          </headers>
          <body/>
          <raw>GET /search?q=%27 HTTP/1.1
Host: shop.example.com
</raw>
        </request>
        <response>
          <url>https://shop.example.com/search?q=%27</url>
          <code>500</code>
          <ip_address>203.0.113.7</ip_address>
          <time>0.0523</time>
          <return_code>ok</return_code>
          <return_message>No error</return_message>
          <headers>
            <header name="Content-Type" value="text/html"/>
          </headers>
          <body>&lt;html&gt;You have an error in your SQL syntax&lt;/html&gt;</body>
          <raw_headers>HTTP/1.1 500 Internal Server Error
Content-Type: text/html
</raw_headers>
        </response>
        <dom>
          <url>https://shop.example.com/search?q=%27</url>
          <transitions/>
          <data_flow_sinks/>
          <execution_flow_sinks/>
        </dom>
      </page>
      <referring_page>
        <body/>
        <request><url>https://shop.example.com/</url><method>get</method></request>
        <response><url>https://shop.example.com/</url><code>200</code></response>
      </referring_page>
      <signature>(?-mix:You have an error in your SQL syntax)</signature>
      <proof>You have an error in your SQL syntax</proof>
      <trusted>true</trusted>
      <platform_type>db</platform_type>
      <platform_name>mysql</platform_name>
    </issue>
    <issue>
      <name>SQL Injection</name>
      <description>SQL injection lets an attacker run queries.</description>
      <remedy_guidance>Use prepared statements.</remedy_guidance>
      <severity>high</severity>
      <check><shortname>sql_injection</shortname></check>
      <cwe>89</cwe>
      <digest>1</digest>
      <references/>
      <vector>
        <class>Arachni::Element::Link</class>
        <type>link</type>
        <url>https://shop.example.com/list?page=1</url>
        <action>https://shop.example.com/list</action>
        <method>get</method>
        <affected_input_name>page</affected_input_name>
      </vector>
      <page><request><url>https://shop.example.com/list?page=1%27</url></request></page>
      <proof>SQL syntax</proof>
      <trusted>true</trusted>
    </issue>
    <issue>
      <name>Cross-Site Scripting (XSS)</name>
      <description>Client-side scripts are used extensively by modern web applications.</description>
      <remedy_guidance>Encode output.</remedy_guidance>
      <severity>medium</severity>
      <check><shortname>xss</shortname></check>
      <cwe>79</cwe>
      <digest>77</digest>
      <references>
        <reference title="Secunia" url="http://www.secunia.com/advisories/9716/"/>
        <reference title="WASC" url="http://projects.webappsec.org/w/page/13246920/Cross%20Site%20Scripting"/>
      </references>
      <vector>
        <class>Arachni::Element::Cookie</class>
        <type>cookie</type>
        <url>http://shop.example.com:8080/</url>
        <action>http://shop.example.com:8080/</action>
        <affected_input_name>session</affected_input_name>
      </vector>
      <trusted>false</trusted>
    </issue>
  </issues>
  <plugins>
    <healthmap_>
      <name>Health map</name>
      <description>Generates a simple list of safe/unsafe URLs.</description>
      <results><map><with_issues>https://shop.example.com/search</with_issues></map></results>
    </healthmap_>
  </plugins>
</report>
"""


def test_xml_report_is_detected_and_read_as_the_json_report_is() -> None:
    # when
    sql, xss = _parse(XML_REPORT)
    (json_sql,) = _parse(_report(_issue()))
    # then
    assert detect_format(XML_REPORT).name == "arachni"
    assert PARSER.detect(XML_REPORT) == 95
    assert sql.title == "SQL Injection"
    assert sql.severity is Severity.HIGH
    assert sql.rule_id == "sql_injection"
    assert sql.tool_finding_id == "3254960792"
    assert sql.cwe_ids == (89,)
    assert sql.location == json_sql.location
    assert sql.location.url == "https://shop.example.com/search"
    assert sql.location.parameter == "q"
    assert sql.description == "SQL injection lets an attacker run queries.\n\nIt is serious."
    assert sql.remediation == "Use prepared statements."
    assert sql.references == ("https://owasp.org/sqli",)
    assert sql.evidence == (
        "Proof: You have an error in your SQL syntax\n"
        "Signature: (?-mix:You have an error in your SQL syntax)\n"
        "Element: form GET\n\n"
        "Other instances (1):\n- https://shop.example.com/list [page]"
    )
    assert sql.tags == ("instances:2",)
    assert sql.fingerprint == json_sql.fingerprint
    assert xss.severity is Severity.MEDIUM
    assert xss.location.url == "http://shop.example.com:8080/"
    assert xss.location.port == 8080
    assert xss.location.parameter == "session"
    assert xss.references == (
        "http://www.secunia.com/advisories/9716/",
        "http://projects.webappsec.org/w/page/13246920/Cross%20Site%20Scripting",
    )
    assert xss.evidence == "Element: cookie"
    assert xss.tags == ("untrusted", "instances:1")


def test_xml_issue_without_vector_takes_its_page_url() -> None:
    # given: an issue on the server as a whole, whose vector names no URL
    report = XML_REPORT.replace(
        b"<url>http://shop.example.com:8080/</url>\n        <action>http://shop.example.com:8080/</action>",
        b"<url/>\n        <action/>",
    ).replace(
        b"<trusted>false</trusted>",
        b"<page><response><url>http://shop.example.com:8080/x</url></response></page>",
    )
    # when
    xss = _parse(report)[1]
    # then
    assert xss.location.url == "http://shop.example.com:8080/x"
    assert xss.tags == ("instances:1",)


def test_xml_variations_of_an_arachni_1_0_issue_are_its_places() -> None:
    # given
    report = XML_REPORT.replace(
        b"<trusted>false</trusted>",
        b"""<variations>
          <variation><vector><method>get</method></vector><proof>alert(1)</proof>
            <page><response><url>http://shop.example.com:8080/a</url></response></page></variation>
          <variation><vector><affected_input_name>lang</affected_input_name></vector><proof>alert(2)</proof></variation>
        </variations>""",
    )
    # when
    xss = _parse(report)[1]
    # then
    assert xss.tags == ("instances:2",)
    assert xss.evidence.startswith("Proof: alert(1)\nElement: cookie GET")
    assert xss.evidence.endswith("Other instances (1):\n- http://shop.example.com:8080/ [lang]")


def test_xml_report_without_issues_has_no_findings() -> None:
    # given: Arachni writes an empty <issues/> when the scan found nothing
    start = XML_REPORT.index(b"<issues>")
    end = XML_REPORT.index(b"</issues>") + len(b"</issues>")
    empty = XML_REPORT[:start] + b"<issues/>" + XML_REPORT[end:]
    # when / then
    assert _parse(empty) == []


@pytest.mark.parametrize(
    ("report", "message", "position"),
    [
        (
            XML_REPORT.replace(b"<name>Cross-Site Scripting (XSS)</name>", b""),
            "issue has no name",
            "issue[2]",
        ),
        (
            XML_REPORT.replace(b"<url>http://shop.example.com:8080/</url>", b"<url/>").replace(
                b"<action>http://shop.example.com:8080/</action>", b""
            ),
            "issue has no URL",
            "issue[2]",
        ),
        (XML_REPORT[: XML_REPORT.index(b"<digest>77")], "invalid XML", "line 139, column 6"),
        (
            b'<?xml version="1.0"?><report id="3a7c" format_id="a994"><results><result/></results></report>',
            "it may be another tool's report",
            "top level",
        ),
        (
            b'<?xml version="1.0"?><issues><seed>1</seed></issues>',
            "the root element is <issues>",
            "top level",
        ),
    ],
)
def test_malformed_xml_report_is_refused_with_its_position(
    report: bytes, message: str, position: str
) -> None:
    with pytest.raises(MalformedReport) as error:
        _parse(report)
    assert message in str(error.value)
    assert error.value.position == position


def test_xml_detection_leaves_other_tools_reports_alone() -> None:
    openvas = b'<report id="1" format_id="a994"><gmp><version>22.4</version></gmp><report id="1">'
    assert PARSER.detect(openvas) == 0
    assert PARSER.detect(b'<?xml version="1.0"?><issues burpVersion="2023.1"><issue>') == 0
    assert PARSER.detect(b"<report><version>1.5.1</version><seed>x</seed>") == 0


def test_texts_and_fingerprints_a_check_shares_are_alike_whether_short_or_past_the_cache_limit() -> None:
    # given: the check on two sites, then on a third with a description too long to be kept
    other_site = {**_issue()["vector"], "action": "https://other.example.com:8443/search"}
    long_description = "Line one\nof it.\r\n\r\n" + "word " * 3500
    report = _report(
        _issue(),
        _issue(vector=other_site),
        _issue(vector={**other_site, "affected_input_name": "page"}),
        _issue(vector={**other_site, "action": "http://third.example.com/"}, description=long_description),
    )
    # when
    first, second, third = _parse(report)
    # then
    assert (
        first.description
        == second.description
        == "SQL injection lets an attacker run queries.\n\nIt is serious."
    )
    assert first.fingerprint != second.fingerprint
    assert second.tags[-1] == "instances:2"
    assert second.location.port == 8443
    assert second.fingerprint == _parse(_report(_issue(vector=other_site, digest=7)))[0].fingerprint
    assert third.description == "Line one of it.\n\n" + " ".join(["word"] * 3500)
