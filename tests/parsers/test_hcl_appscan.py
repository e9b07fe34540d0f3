"""HCL AppScan XML: references resolved from the lookup groups, variants as evidence, text-field issues."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "hcl_appscan"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "hcl_appscan"
PARSER = get_parser("hcl_appscan")

# Issues before their definitions: the first pass must read the groups wherever they stand.
REPORT = b"""<?xml version="1.0" encoding="utf-8"?>
<xml-report name="AppScan Report" technology="DAST" xmlExportVersion="2.7">
  <issue-group>
    <item id="1">
      <severity>high</severity><severity-id>3</severity-id><cvss-score>7.5</cvss-score>
      <cvss-vector><vector>AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/E:X/RL:X</vector></cvss-vector>
      <cwe>89</cwe>
      <issue-type><ref>attSql</ref></issue-type><remediation><ref>fix_1</ref></remediation>
      <threat-class><ref>catSQL</ref></threat-class><entity><ref>e1</ref></entity><url><ref>u1</ref></url>
      <variant-group>
        <item id="1"><issue-information><issue-tip>Check the error.</issue-tip></issue-information>
          <reasoning>The response holds a database error.</reasoning>
          <test-http-traffic>GET /search?q=' HTTP/1.1</test-http-traffic></item>
        <item id="2"><reasoning>Again.</reasoning>
          <test-http-traffic>GET /search?q=" HTTP/1.1</test-http-traffic></item>
      </variant-group>
    </item>
  </issue-group>
  <issue-type-group>
    <item id="attSql"><name>SQL Injection</name><cwe>89</cwe><xfid>1</xfid>
      <advisory><ref>attSql</ref></advisory></item>
  </issue-type-group>
  <threat-class-group><item id="catSQL">SQL Injection</item></threat-class-group>
  <url-group><item id="u1"><name>https://shop.example:8443/search</name>
    <issues-count total="1"/></item></url-group>
  <entity-group><item id="e1"><name>q</name><url-name>https://shop.example:8443/search</url-name>
    <entity-type>Parameter</entity-type></item></entity-group>
  <remediation-group><item id="fix_1"><name>Use parameterized queries</name><priority>High</priority></item>
  </remediation-group>
  <fix-recommendation-group><item id="attSql"><general><fixRecommendation>
    <text>Never build SQL from input.</text></fixRecommendation></general></item></fix-recommendation-group>
</xml-report>
"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_issue_resolved_from_its_references() -> None:
    # when
    (finding,) = _parse(REPORT)
    # then
    assert finding.title == "SQL Injection"
    assert finding.severity == Severity.HIGH
    assert finding.rule_id == "attSql"
    assert finding.cwe_ids == (89,)
    assert finding.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
    assert finding.cvss_v3_score == 7.5
    assert finding.location.url == "https://shop.example:8443/search"
    assert (finding.location.host, finding.location.port, finding.location.protocol) == (
        "shop.example",
        8443,
        "https",
    )
    assert finding.location.parameter == "q"
    assert finding.description == "Threat class: SQL Injection\nEntity: q (Parameter)"
    assert finding.remediation == "Use parameterized queries\n\nNever build SQL from input."
    assert finding.evidence == (
        "The response holds a database error.\nCheck the error.\n\nGET /search?q=' HTTP/1.1\n\nVariants: 2"
    )
    assert finding.tags == ("entity:parameter",)


def test_sample_issue_9279() -> None:
    # when
    with (SAMPLES / "issue_9279.xml").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert len(findings) == 18
    first = findings[0]
    assert first.title == "Unnecessary Http Response Headers found in the Application"
    assert first.severity == Severity.LOW
    assert first.cwe_ids == (200,)
    assert first.location.url == "https://demo.testfire.net/login.jsp"
    assert first.cvss_v3_score == 3.7
    assert len({finding.fingerprint for finding in findings}) == 18


def test_empty_severity_falls_back_to_info() -> None:
    # when
    with (SAMPLES / "issue_10074.xml").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert [finding.severity for finding in findings] == [
        Severity.INFO,
        Severity.HIGH,
        Severity.HIGH,
        Severity.HIGH,
    ]


def test_fingerprint_ignores_appscan_issue_ids() -> None:
    # given: the same issue in a later scan, numbered anew
    later = REPORT.replace(b'<item id="1">\n      <severity>', b'<item id="4242">\n      <severity>')
    # then
    assert _parse(later)[0].fingerprint == _parse(REPORT)[0].fingerprint
    assert _parse(later)[0].tool_finding_id == "4242"


def test_issue_with_text_fields() -> None:
    # given: export format 1.x writes fields as text
    report = (VARIANTS / "text_fields.xml").read_bytes()
    # when
    (finding,) = _parse(report)
    # then
    assert finding.title == "Cross-Site Scripting"
    assert finding.severity == Severity.MEDIUM
    assert finding.location.url == "https://app.example/profile"
    assert finding.location.parameter == "name"


def test_definitions_beside_two_issue_groups_are_read() -> None:
    # given: a definition between two issue groups, another one after them
    first, rest = REPORT.split(b"<issue-type-group>", 1)
    second = first.split(b"<issue-group>", 1)[1].replace(b'<item id="1">', b'<item id="2">', 1)
    report = first + b"<issue-group>" + second + b"<issue-type-group>" + rest
    # when
    findings = _parse(report)
    # then
    assert [finding.tool_finding_id for finding in findings] == ["1", "2"]
    assert {finding.title for finding in findings} == {"SQL Injection"}
    assert {finding.remediation for finding in findings} == {
        "Use parameterized queries\n\nNever build SQL from input."
    }


def test_issue_group_named_inside_a_definition_text_does_not_hide_definitions() -> None:
    # given: a fix text that quotes the tags, in CDATA
    report = REPORT.replace(
        b"<text>Never build SQL from input.</text>",
        b"<text><![CDATA[Never build SQL from input, nor <issue-group> from </issue-group>.]]></text>",
    )
    # when
    (finding,) = _parse(report)
    # then
    assert finding.remediation == (
        "Use parameterized queries\n\nNever build SQL from input, nor <issue-group> from </issue-group>."
    )
    assert finding.title == "SQL Injection"


def test_report_without_issues_has_no_findings() -> None:
    with (SAMPLES / "no_findings.xml").open("rb") as stream:
        assert list(PARSER.parse(stream)) == []


def test_another_xml_report_is_refused() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(b"<CxXMLResults/>")
    assert caught.value.reason.startswith("the root element is <CxXMLResults>, not <xml-report>")


def test_detection() -> None:
    assert PARSER.detect((SAMPLES / "no_findings.xml").read_bytes()[:65536]) == 100
    for neighbour in ("fortify/issue6082.xml", "veracode/veracode_maven.xml", "zap/0_zap_sample.xml"):
        assert PARSER.detect((SAMPLES.parent / neighbour).read_bytes()[:65536]) == 0, neighbour
