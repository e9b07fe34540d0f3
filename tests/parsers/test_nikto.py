"""The Nikto parser: XML and JSON reports, one finding per check and message on a target."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.nikto import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "nikto"

JSON_REPORT = b"""[
  {
    "host": "shop.example", "ip": "203.0.113.5", "port": "8080", "banner": "nginx",
    "vulnerabilities": [
      {"id": "999100", "method": "GET", "url": "/",
       "msg": "Uncommon header 'x-load' found, with contents: queries_per_second: 20382."},
      {"id": "000123", "OSVDB": "877", "method": "TRACE", "url": "/",
       "msg": "HTTP TRACE method is active, see CVE-2004-2320.",
       "references": ["https://owasp.org/www-community/attacks/Cross_Site_Tracing"]}
    ]
  }
]"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    _parser, findings = parse_report(io.BytesIO(data))
    return list(findings)


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def test_one_check_with_one_message_on_many_urls_is_one_finding() -> None:
    # when
    findings = _sample("juice-shop.json")
    # then: 151 lines, of which 140 for check 740001 and 2 for check 006737
    assert len(findings) == 11
    backups = findings[8]
    assert backups.title == "Potentially interesting backup/cert file found."
    assert backups.severity == Severity.INFO
    assert backups.tool == "nikto"
    assert backups.rule_id == "740001"
    assert backups.location == FindingLocation(host="juice-shop.herokuapp.com", port=443)
    assert backups.evidence.count("- HEAD /") == 140
    assert backups.tags == ("instances:140",)
    assert backups.evidence.startswith("- HEAD /juice-shop.herokuapp.com.alz\n- HEAD /juice-shop.pem\n")
    assert "Target: juice-shop.herokuapp.com (52.51.36.193) port 443" in backups.description
    assert "Server banner: Cowboy" in backups.description
    gallery = findings[10]
    assert gallery.rule_id == "006737"
    assert gallery.references == (
        "https://security.dxw.com/advisories/directory-traversal-in-nextgen-gallery-2-0-0/",
    )
    assert findings[9].tags == ("osvdb:3092", "instances:1")
    assert findings[9].location.url == "/public/"
    assert len({finding.fingerprint for finding in findings}) == 11


def test_one_check_with_two_messages_makes_two_findings() -> None:
    # when
    findings = _sample("issue_9274.json")
    # then
    assert [finding.rule_id for finding in findings] == [
        "999986",
        "999978",
        "999103",
        "999996",
        "999962",
        "999966",
        "999100",
        "999100",
    ]
    assert findings[6].fingerprint != findings[7].fingerprint
    assert findings[1].references == (
        "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Frame-Options",
    )
    assert findings[1].location == FindingLocation(url="/", host="example.com", port=443)


def test_xml_item_takes_its_target_from_scandetails() -> None:
    # when
    findings = _sample("nikto-report-one-vuln.xml")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "CDATA[Finding 1.1"
    assert finding.rule_id == "999970"
    assert finding.tool_version == "2.1.6"
    assert finding.location == FindingLocation(url="/", host="192.168.0.24", port=443, protocol="https")
    assert finding.evidence == "- GET /"
    assert _sample("nikto-report-zero-vuln.xml") == []


def test_json_entry_details_and_advisories() -> None:
    # when
    findings = _parse(JSON_REPORT)
    # then
    assert len(findings) == 2
    trace = findings[1]
    assert trace.title == "HTTP TRACE method is active, see CVE-2004-2320."
    assert trace.advisory_ids == ("CVE-2004-2320",)
    assert trace.references == ("https://owasp.org/www-community/attacks/Cross_Site_Tracing",)
    assert trace.tags == ("osvdb:877", "instances:1")
    assert trace.location == FindingLocation(url="/", host="shop.example", port=8080)


def test_numbers_in_a_message_do_not_change_its_fingerprint() -> None:
    # given: the next scan sees another header value
    later = JSON_REPORT.replace(b"20382", b"19544")
    # when
    before = _parse(JSON_REPORT)[0]
    after = _parse(later)[0]
    # then
    assert before.title != after.title
    assert before.fingerprint == after.fingerprint


def test_vulnerabilities_of_the_wrong_type_are_rejected() -> None:
    report = b'{"host": "a", "ip": "b", "port": "80", "banner": "", "vulnerabilities": {"id": 1}}'
    with pytest.raises(MalformedReport, match="expected an array, found dict") as error:
        list(PARSER.parse(io.BytesIO(report)))
    assert error.value.position == "vulnerabilities"


def test_entry_without_id_or_message_is_rejected() -> None:
    report = JSON_REPORT.replace(b'"id": "999100", ', b"").replace(b'"msg": "Uncommon', b'"x": "')
    with pytest.raises(MalformedReport, match="a Nikto result needs an id or a message") as error:
        _parse(report)
    assert error.value.position == "[0].vulnerabilities[0]"


def test_truncated_json_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="invalid JSON"):
        _parse(JSON_REPORT[:200])


def test_detection_needs_nikto_markers() -> None:
    assert PARSER.detect(JSON_REPORT) == 85
    assert PARSER.detect(b'<?xml version="1.0" ?>\n<!DOCTYPE niktoscan SYSTEM "x.dtd">\n') == 95
    assert PARSER.detect(b'{"vulnerabilities": [{"id": "CVE-1", "severity": "high"}]}') == 0


def test_lines_told_apart_only_by_their_advisory_ids_stay_apart() -> None:
    # given: one check id, the same words, two OSVDB ids (Nikto 2.1 prefixes them)
    data = b"""{"host": "a.example", "ip": "192.0.2.1", "port": "80", "banner": "",
      "vulnerabilities": [
        {"id": "001234", "OSVDB": "3092", "method": "GET", "url": "/admin/",
         "msg": "OSVDB-3092: /admin/: This might be interesting..."},
        {"id": "001234", "OSVDB": "3268", "method": "GET", "url": "/admin/",
         "msg": "OSVDB-3268: /admin/: This might be interesting..."},
        {"id": "999100", "method": "GET", "url": "/",
         "msg": "Apache/2.4.1 is affected by CVE-2012-0053."},
        {"id": "999100", "method": "GET", "url": "/",
         "msg": "Apache/2.4.1 is affected by CVE-2012-0031."}
      ]}"""
    # when
    findings = _parse(data)
    # then
    assert [finding.tags[0] for finding in findings[:2]] == ["osvdb:3092", "osvdb:3268"]
    assert [finding.advisory_ids for finding in findings[2:]] == [("CVE-2012-0053",), ("CVE-2012-0031",)]
    assert len({finding.fingerprint for finding in findings}) == 4


def test_line_without_url_method_or_osvdb_is_kept() -> None:
    data = b"""[{"host": "a.example", "ip": "192.0.2.1", "port": "443", "banner": "",
      "vulnerabilities": [
        {"id": "999957", "msg": "The anti-clickjacking X-Frame-Options header is not present."}
      ]}]"""
    findings = _parse(data)
    assert [finding.rule_id for finding in findings] == ["999957"]
    assert findings[0].tags == ("instances:1",)


def test_xml_under_a_niktoscans_root_with_two_targets_is_read() -> None:
    # given: several hosts (-h list) in one report
    data = b"""<?xml version="1.0" ?>
<!DOCTYPE niktoscans SYSTEM "/var/lib/nikto/docs/nikto.dtd">
<niktoscans>
<niktoscan hoststest="0" options="-h hosts.txt" version="2.5.0" nxmlversion="1.2">
<scandetails targetip="192.0.2.1" targethostname="a.example" targetport="80" targetbanner="" sitename="http://a.example:80/">
<item id="999957" osvdbid="0" osvdblink="" method="GET">
<description><![CDATA[The anti-clickjacking X-Frame-Options header is not present.]]></description>
<uri><![CDATA[/]]></uri></item>
</scandetails>
<scandetails targetip="192.0.2.2" targethostname="b.example" targetport="80" targetbanner="" sitename="http://b.example:80/">
<item id="999957" osvdbid="0" osvdblink="" method="GET">
<description><![CDATA[The anti-clickjacking X-Frame-Options header is not present.]]></description>
<uri><![CDATA[/]]></uri></item>
</scandetails>
</niktoscan>
</niktoscans>
"""
    # when
    findings = _parse(data)
    # then
    assert [finding.location.host for finding in findings] == ["a.example", "b.example"]
    assert findings[0].fingerprint != findings[1].fingerprint
