"""The Burp parser: XML exports, REST API JSON and Enterprise HTML, one finding per issue type and host."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import MalformedReport, burp, grouping, parse_report
from bastion.parsers.burp import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "burp"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "burp"

DOCTYPE = b"""<?xml version="1.0"?>
<!DOCTYPE issues [
<!ELEMENT issues (issue*)>
<!ATTLIST issues burpVersion CDATA "">
<!ELEMENT issue (serialNumber, type, name, host, path, location, severity, confidence)>
]>
"""

REQUEST = base64.b64encode(b"GET /search?q=%3Cscript%3E HTTP/1.1\r\nHost: shop.example\r\n\r\n")

MODERN_REPORT = (
    DOCTYPE
    + b"""<issues burpVersion="2023.10.3.4" exportTime="Mon Nov 06 10:00:00 CET 2023">
  <issue>
    <serialNumber>111</serialNumber>
    <type>2097920</type>
    <name>Cross-site scripting (reflected)</name>
    <host ip="203.0.113.9">https://shop.example:8443</host>
    <path><![CDATA[/search]]></path>
    <location><![CDATA[/search [q parameter]]]></location>
    <severity>High</severity>
    <confidence>Certain</confidence>
    <issueBackground><![CDATA[<p>Reflected XSS arises when...</p>]]></issueBackground>
    <remediationBackground><![CDATA[<ul><li>Validate input.</li>
      <li>Encode output.</li></ul>]]></remediationBackground>
    <references><![CDATA[<ul><li><a
      href="https://portswigger.net/web-security/cross-site-scripting/reflected"
      >Reflected XSS</a></li></ul>]]></references>
    <vulnerabilityClassifications><![CDATA[<ul>
<li><a href="https://cwe.mitre.org/data/definitions/79.html">CWE-79: Improper
  Neutralization of Input</a></li>
<li><a href="https://cwe.mitre.org/data/definitions/116.html">CWE-116: Improper
  Encoding or Escaping of Output</a></li>
</ul>]]></vulnerabilityClassifications>
    <issueDetail><![CDATA[The value of the <b>q</b> request parameter
      is copied into the HTML document.]]></issueDetail>
    <requestresponse>
      <request method="GET" base64="true"><![CDATA["""
    + REQUEST
    + b"""]]></request>
      <response base64="true"><![CDATA[not base64 at all!]]></response>
      <responseRedirected>false</responseRedirected>
    </requestresponse>
  </issue>
  <issue>
    <serialNumber>222</serialNumber>
    <type>5245344</type>
    <name>Frameable response (potential Clickjacking)</name>
    <host ip="203.0.113.9">https://shop.example:8443</host>
    <path><![CDATA[/]]></path>
    <location><![CDATA[/]]></location>
    <severity>False positive</severity>
    <confidence>Firm</confidence>
  </issue>
</issues>"""
)


def _parse(data: bytes) -> list[NormalizedFinding]:
    _parser, findings = parse_report(io.BytesIO(data))
    return list(findings)


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def test_issues_of_one_type_on_one_host_make_one_finding() -> None:
    # when
    findings = _sample("seven_findings.xml")
    # then: 16 issues (three repeated verbatim) of 7 types, all on http://bwa
    assert [(finding.rule_id, finding.title, finding.severity) for finding in findings] == [
        ("5245344", "Frameable response (potential Clickjacking)", Severity.INFO),
        ("8389120", "HTML does not specify charset", Severity.INFO),
        ("2097920", "Cross-site scripting (reflected)", Severity.HIGH),
        ("1049088", "SQL injection", Severity.HIGH),
        ("3145984", "Cleartext submission of password", Severity.HIGH),
        ("5244928", "Password field with autocomplete enabled", Severity.LOW),
        ("5244416", "Cookie without HttpOnly flag set", Severity.LOW),
    ]
    assert len({finding.fingerprint for finding in findings}) == 7
    injection = findings[3]
    assert injection.tool_finding_id == "7121655797013284864"
    assert injection.tool_version == "1.6.05"
    assert injection.location == FindingLocation(url="http://bwa", host="bwa", port=80, protocol="http")
    assert "Affected locations:\n- /bodgeit/basket.jsp [b_id cookie]\n" in injection.description
    assert injection.description.count("/bodgeit/login.jsp [password parameter]") == 2
    assert injection.evidence.count("--- request ---") == 5


def test_single_issue_keeps_its_url_parameter_and_request() -> None:
    # when
    findings = _sample("one_finding_with_blank_response.xml")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "SQL injection"
    assert finding.severity == Severity.HIGH
    assert finding.rule_id == "1049088"
    assert finding.tool_finding_id == "7121655797013284864"
    assert finding.tags == ("confidence:firm", "instances:1")
    assert finding.location == FindingLocation(
        url="http://bwa/bodgeit/basket.jsp", parameter="b_id", host="bwa", port=80, protocol="http"
    )
    assert finding.evidence.startswith(
        "/bodgeit/basket.jsp [b_id cookie]\n--- request ---\nPOST /bodgeit/basket.jsp HTTP/1.1\r\n"
    )
    assert "--- response ---" not in finding.evidence
    assert finding.remediation.startswith("The application should handle errors gracefully")


def test_same_issue_type_and_host_keeps_its_fingerprint_across_reports() -> None:
    one = _sample("one_finding.xml")
    seven = {finding.rule_id: finding.fingerprint for finding in _sample("seven_findings.xml")}
    assert [finding.rule_id for finding in one] == ["1049088"]
    assert one[0].fingerprint == seven["1049088"]
    assert one[0].fingerprint != seven["2097920"]


def test_modern_export_gives_cwes_references_and_decoded_request() -> None:
    # when
    findings = _parse(MODERN_REPORT)
    # then
    assert len(findings) == 2
    xss = findings[0]
    assert xss.tool_version == "2023.10.3.4"
    assert xss.cwe_ids == (79, 116)
    assert xss.references == (
        "https://portswigger.net/web-security/cross-site-scripting/reflected",
        "https://cwe.mitre.org/data/definitions/79.html",
        "https://cwe.mitre.org/data/definitions/116.html",
    )
    assert xss.location == FindingLocation(
        url="https://shop.example:8443/search",
        parameter="q",
        host="shop.example",
        port=8443,
        protocol="https",
    )
    assert xss.remediation == "- Validate input.\n- Encode output."
    assert xss.description == (
        "Reflected XSS arises when...\n\n"
        "Host: https://shop.example:8443 (203.0.113.9)\n\n"
        "Affected locations:\n- /search [q parameter]\n\n"
        "/search [q parameter]:\n"
        "The value of the q request parameter is copied into the HTML document."
    )
    assert xss.evidence == (
        "/search [q parameter]\n--- request ---\n"
        "GET /search?q=%3Cscript%3E HTTP/1.1\r\nHost: shop.example\n"
        "--- response ---\nnot base64 at all!"
    )


def test_false_positive_severity_is_info_and_tagged() -> None:
    finding = _parse(MODERN_REPORT)[1]
    assert finding.severity == Severity.INFO
    assert finding.tags == ("confidence:firm", "false-positive", "instances:1")


def test_doctype_declaring_entities_is_refused() -> None:
    # given: a DOCTYPE that defines an entity (the start of a billion-laughs attack)
    report = MODERN_REPORT.replace(
        b"<!ELEMENT issues (issue*)>", b'<!ENTITY lol "lol"><!ELEMENT issues (issue*)>'
    )
    # when / then
    with pytest.raises(MalformedReport, match="DOCTYPE and entities are not allowed"):
        _parse(report)


def test_issue_without_type_is_rejected() -> None:
    report = MODERN_REPORT.replace(b"<type>5245344</type>", b"")
    with pytest.raises(MalformedReport, match=r"an issue needs a <type> and a <name>") as error:
        _parse(report)
    assert error.value.position == "issue[1]"


def test_truncated_export_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="invalid XML"):
        _parse(MODERN_REPORT[: len(MODERN_REPORT) // 2])


def test_detection_needs_burp_markers() -> None:
    assert PARSER.detect(MODERN_REPORT[:4096]) == 100
    assert PARSER.detect(DOCTYPE + b"<issues>\n<issue>\n<serialNumber>1</serialNumber>") == 90
    assert PARSER.detect(b'<?xml version="1.0"?><OWASPZAPReport version="2.9.0">') == 0


def _issue(serial: int, issue_type: str, host: str, extra: bytes = b"") -> bytes:
    fields = (
        f"<serialNumber>{serial}</serialNumber><type>{issue_type}</type><name>Issue {issue_type}</name>"
        f"<host>{host}</host><path>/</path><location>/</location><severity>Low</severity>"
        "<confidence>Firm</confidence>"
    )
    return b"<issue>" + fields.encode() + extra + b"</issue>"


def test_long_plain_message_keeps_its_start_only() -> None:
    # given: a request written as text (not base64), far longer than what is kept
    request = "POST /upload HTTP/1.1\nHost: shop.example\n\n" + "".join(f"{n:05d}," for n in range(20_000))
    extra = f'<requestresponse><request base64="false"><![CDATA[{request}]]></request></requestresponse>'
    report = b'<?xml version="1.0"?><issues burpVersion="2023.1">' + _issue(
        1, "7", "https://a", extra.encode()
    )
    # when
    (finding,) = _parse(report + b"</issues>")
    # then
    assert finding.evidence == f"/\n--- request ---\n{request[:3999]}…"


def test_issue_type_texts_read_once_are_the_same_as_read_each_time() -> None:
    # given: two issue types on two hosts each; the second type's texts are too long to be remembered
    short = b"<issueBackground><![CDATA[<p>Short  background.</p>]]></issueBackground>" + (
        b"<vulnerabilityClassifications><![CDATA[<a href='https://cwe.mitre.org/data/definitions/79.html'>"
        b"CWE-79</a>]]></vulnerabilityClassifications>"
    )
    long_background = "Long background. " * 1000
    long = f"<issueBackground>{long_background}</issueBackground>".encode() + (
        b"<remediationDetail>&lt;b&gt;Fix&lt;/b&gt; it.</remediationDetail>"
        b"<references>See https://example.org/fix.</references>"
    )
    issues = [
        _issue(1, "1", "https://a", short),
        _issue(2, "2", "https://a", long),
        _issue(3, "1", "https://b", short),
        _issue(4, "2", "https://b", long),
    ]
    report = b'<?xml version="1.0"?><issues burpVersion="2023.1">' + b"".join(issues) + b"</issues>"
    burp._type_texts.cache_clear()
    # when
    findings = _parse(report)
    # then
    assert [(finding.rule_id, finding.location.host) for finding in findings] == [
        ("1", "a"),
        ("2", "a"),
        ("1", "b"),
        ("2", "b"),
    ]
    for finding in findings[0], findings[2]:
        assert finding.description.startswith("Short background.\n\nHost: https://")
        assert (finding.cwe_ids, finding.references) == (
            (79,),
            ("https://cwe.mitre.org/data/definitions/79.html",),
        )
        assert finding.remediation == ""
    for finding in findings[1], findings[3]:
        assert finding.description.startswith(f"{long_background.strip()}\n\nHost: https://")
        assert (finding.cwe_ids, finding.references) == ((), ("https://example.org/fix",))
        assert finding.remediation == "Fix it."
    assert (burp._type_texts.cache_info().hits, burp._type_texts.cache_info().currsize) == (1, 1)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# Burp's REST API answer to GET /v0.1/scan/{task_id}, as its API documentation shapes it.
REST_ISSUE = {
    "name": "Cross-site scripting (reflected)",
    "type_index": 2097920,
    "serial_number": "8512994395716376576",
    "origin": "https://shop.example",
    "path": "/search",
    "severity": "high",
    "confidence": "certain",
    "caption": "/search [q parameter]",
    "description": "The value of the <b>q</b> request parameter is copied into the HTML document.",
    "remediation": "<p>Encode output.</p>",
    "evidence": [
        {
            "type": "FirstOrderEvidence",
            "request_response": {
                "url": "https://shop.example/search?q=x",
                "request": [
                    {"type": "DataSegment", "data": _b64(b"GET /search?q="), "length": 14},
                    {"type": "HighlightSegment", "data": _b64(b"<script>"), "length": 8},
                    {"type": "DataSegment", "data": _b64(b" HTTP/1.1"), "length": 9},
                ],
                "response": [{"type": "DataSegment", "data": _b64(b"HTTP/1.1 200 OK"), "length": 15}],
            },
        }
    ],
}
REST_REPORT = {
    "task_id": "7",
    "scan_status": "succeeded",
    "issue_events": [
        {"id": "1", "type": "issue_found", "issue": REST_ISSUE},
        {"id": "2", "type": "issue_found", "issue": {**REST_ISSUE, "serial_number": "2", "path": "/list"}},
        {"id": "3", "type": "issue_deleted", "issue": {**REST_ISSUE, "serial_number": "3"}},
    ],
}


def test_rest_api_json_is_detected_and_grouped_like_the_xml() -> None:
    # given
    data = json.dumps(REST_REPORT).encode()
    # when
    findings = _parse(data)
    # then
    assert PARSER.detect(data) == 90
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "Cross-site scripting (reflected)"
    assert finding.severity is Severity.HIGH
    assert finding.rule_id == "2097920"
    assert finding.location.host == "shop.example"
    assert finding.location.port == 443
    assert finding.remediation == "Encode output."
    assert finding.tags == ("confidence:certain", "instances:2")
    assert "GET /search?q=<script> HTTP/1.1" in finding.evidence
    assert "HTTP/1.1 200 OK" in finding.evidence
    assert "The value of the q request parameter is copied" in finding.description
    assert finding.fingerprint == grouping.fingerprint("burp", "2097920", "https://shop.example")


def test_rest_api_issue_without_type_index_is_rejected() -> None:
    issue = {key: value for key, value in REST_ISSUE.items() if key != "type_index"}
    data = json.dumps({**REST_REPORT, "issue_events": [{"type": "issue_found", "issue": issue}]}).encode()
    with pytest.raises(MalformedReport, match="type_index and a name") as caught:
        _parse(data)
    assert caught.value.position == "issue_events[0].issue"


def test_json_without_issue_events_is_not_burp() -> None:
    assert PARSER.detect(b'{"scan_status": "succeeded", "results": []}') == 0


# Burp Suite Enterprise Edition's HTML report ("Scan Remediation Report"), as its 2024 releases
# write it: a summary table per site, then one issue-container per issue.
ENTERPRISE_REPORT = (VARIANTS / "enterprise.html").read_bytes()


def test_enterprise_html_report_is_detected_and_grouped_like_the_xml() -> None:
    # when
    parser, found = parse_report(io.BytesIO(ENTERPRISE_REPORT))
    xss, hsts, plain_xss = list(found)
    # then
    assert parser.name == "burp"
    assert PARSER.detect(ENTERPRISE_REPORT[:65536]) == 95
    assert (xss.title, xss.severity, xss.rule_id) == (
        "Cross-site scripting (reflected)",
        Severity.HIGH,
        "Cross-site scripting (reflected)",
    )
    assert xss.tool_finding_id == "7459896704422157312"
    assert xss.tool_version is None
    assert xss.tags == ("confidence:certain", "instances:2")
    assert xss.cwe_ids == (79, 116)
    assert xss.references == (
        "https://portswigger.net/web-security/cross-site-scripting/reflected",
        "https://cwe.mitre.org/data/definitions/79.html",
        "https://cwe.mitre.org/data/definitions/116.html",
        "https://capec.mitre.org/data/definitions/591.html",
    )
    assert xss.location == FindingLocation(
        url="https://shop.example.com", host="shop.example.com", port=443, protocol="https"
    )
    assert xss.remediation == "- Validate input.\n- Encode output."
    assert xss.description == (
        "Reflected cross-site scripting vulnerabilities arise when data is copied from a request and "
        "echoed into the application's immediate response in an unsafe way.\n\n"
        "Host: https://shop.example.com\n\n"
        "Affected locations:\n- /search [q parameter]\n- /list [sort parameter]\n\n"
        "/search [q parameter]:\n"
        "The value of the q request parameter is copied into the HTML document as plain text between "
        "tags. The payload <script>alert(1)</script> was submitted.\n\n"
        "/list [sort parameter]:\n"
        "The value of the sort request parameter is copied into a JavaScript string."
    )
    assert xss.evidence == (
        "/search [q parameter]\n--- request ---\n"
        "GET /search?q=<script>alert(1)</script> HTTP/2\nHost: shop.example.com\nAccept: */*\n"
        "--- response ---\n"
        "HTTP/2 200 OK\nContent-Type: text/html; charset=UTF-8\n\n"
        "<html><body>Results for <script>alert(1)</script>\n…\n\n"
        "/list [sort parameter]\n--- request ---\n"
        "GET /list?sort=x%27%3balert(1)%2f%2f HTTP/2\nHost: shop.example.com"
    )
    assert xss.fingerprint == grouping.fingerprint(
        "burp", "Cross-site scripting (reflected)", "https://shop.example.com"
    )
    assert hsts.severity is Severity.LOW
    assert hsts.cwe_ids == (523,)
    assert hsts.location.url == "https://shop.example.com/"
    assert hsts.remediation == "Enable HTTP Strict Transport Security (HSTS)."
    assert hsts.evidence == ""
    # the same issue type on another site is another finding, located at its only path
    assert plain_xss.location == FindingLocation(
        url="http://shop.example.com/search", parameter="q", host="shop.example.com", port=80, protocol="http"
    )
    assert plain_xss.fingerprint != xss.fingerprint


# Its 2022 releases: the summary also links each path to the issue's page on the Enterprise server,
# and the issue's background is headed "Issue background".
ENTERPRISE_2022_REPORT = (VARIANTS / "enterprise_2022.html").read_bytes()


def test_enterprise_2022_report_is_read_and_finds_serials_in_issue_links() -> None:
    # given: the same report printed without its "More detail" column of #serial links
    without_anchor = ENTERPRISE_2022_REPORT.replace(b'<a href="#6932387617674187776">&gt;&gt;</a>', b"")
    # when
    (finding,) = _parse(ENTERPRISE_2022_REPORT)
    # then
    assert _parse(without_anchor) == [finding]
    assert finding.severity is Severity.HIGH
    assert finding.tool_finding_id == "6932387617674187776"
    assert finding.location.url == "https://example.com/api/orders"
    assert finding.description.startswith(
        "An HTML5 cross-origin resource sharing (CORS) policy controls whether and how content running"
    )
    assert finding.description.endswith(
        "/api/orders:\nThe application implements an HTML5 cross-origin resource sharing (CORS) policy for "
        "this request that allows access from any domain.\n"
        "The application allowed access from the requested origin https://llqvfwgbsdau.com"
    )


def test_enterprise_report_without_issues_has_no_findings() -> None:
    # given: a scan that found nothing has neither summary tables nor details
    start = ENTERPRISE_REPORT.index(b'<div class="section divider"></div>')
    empty = ENTERPRISE_REPORT[:start] + b"</div></body></html>"
    # when / then
    assert _parse(empty) == []


def test_enterprise_issues_listed_without_details_are_read_from_the_summary() -> None:
    # given: a report generated without its "More details" part
    end = ENTERPRISE_REPORT.index(b'<div class="section details standalone-section">')
    summary_only = ENTERPRISE_REPORT[:end] + b"</div></body></html>"
    # when
    xss, hsts, plain_xss = _parse(summary_only)
    # then
    assert (xss.title, xss.severity, xss.tool_finding_id) == (
        "Cross-site scripting (reflected)",
        Severity.HIGH,
        "7459896704422157312",
    )
    assert xss.description == (
        "Host: https://shop.example.com\n\n"
        "Affected locations:\n- /search [q parameter]\n- /list [sort parameter]"
    )
    assert xss.fingerprint == _parse(ENTERPRISE_REPORT)[0].fingerprint
    assert (hsts.severity, hsts.tags, hsts.location.url) == (
        Severity.LOW,
        ("confidence:certain", "instances:1"),
        "https://shop.example.com/",
    )
    assert plain_xss.location.url == "http://shop.example.com/search"


def test_cut_enterprise_report_is_rejected_at_the_issue_it_ends_in() -> None:
    cut = ENTERPRISE_REPORT[: ENTERPRISE_REPORT.index(b"<h3>Issue detail:</h3>")]
    with pytest.raises(MalformedReport, match="the report ends inside an issue") as caught:
        _parse(cut)
    assert caught.value.position == "issue[1]"


@pytest.mark.parametrize(
    ("damage", "message", "position"),
    [
        ((b"<h2>Strict transport security not enforced</h2>", b""), "an issue needs a name", "issue[2]"),
        (
            (b'<a name="3310329974499847168">', b'<a name="1">'),
            "issue 1 is not in the summary table",
            "issue[2]",
        ),
    ],
)
def test_damaged_enterprise_issue_is_rejected_with_its_position(
    damage: tuple[bytes, bytes], message: str, position: str
) -> None:
    with pytest.raises(MalformedReport, match=message) as caught:
        _parse(ENTERPRISE_REPORT.replace(*damage))
    assert caught.value.position == position


def test_enterprise_report_refuses_what_it_cannot_hold() -> None:
    # given: a comment that never closes, and divs nested past the depth limit
    open_tag = ENTERPRISE_REPORT.replace(
        b"<h1>Issues found on http:", b"<!-- " + b"x" * 1_100_000 + b"<h1>Issues found on http:"
    )
    nested = ENTERPRISE_REPORT.replace(b"</body>", b"<div>" * 300 + b"</body>")
    # when / then
    with pytest.raises(MalformedReport, match="runs on for more than") as caught:
        _parse(open_tag)
    assert caught.value.position is not None
    with pytest.raises(MalformedReport, match="nests <div> elements deeper than 256"):
        _parse(nested)


def test_other_html_is_not_taken_for_burp_enterprise() -> None:
    sonar = b"<!DOCTYPE html><html><title>SonarQube Vulnerability Report</title></html>"
    professional = (
        b"<!DOCTYPE html><html><head><title>Burp Scanner Report</title></head><body>Burp Suite Professional"
    )
    assert PARSER.detect(sonar) == 0
    assert PARSER.detect(professional) == 0
    assert PARSER.detect(MODERN_REPORT[:4096]) == 100
    with pytest.raises(MalformedReport, match="it may be another tool's report") as caught:
        list(PARSER.parse(io.BytesIO(professional)))
    assert caught.value.position == "top level"
