"""Qualys VM XML scan report (ASSET_DATA_REPORT) and CSV exports."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.qualys import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "qualys"

REPORT = b"""<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE ASSET_DATA_REPORT SYSTEM "https://qualysguard.qualys.com/asset_data_report.dtd">
<ASSET_DATA_REPORT>
  <HOST_LIST>
    <HOST>
      <IP>10.0.0.5</IP>
      <DNS><![CDATA[web01.example.com]]></DNS>
      <VULN_INFO_LIST>
        <VULN_INFO>
          <QID id="qid_38657">38657</QID><TYPE>Vuln</TYPE><PORT>443</PORT><PROTOCOL>tcp</PROTOCOL>
          <SSL>true</SSL><RESULT><![CDATA[CIPHER DES-CBC3-SHA]]></RESULT>
          <FIRST_FOUND>2024-01-01T00:00:00Z</FIRST_FOUND><VULN_STATUS>Active</VULN_STATUS>
        </VULN_INFO>
        <VULN_INFO>
          <QID id="qid_6">6</QID><TYPE>Ig</TYPE><RESULT>web01.example.com</RESULT>
        </VULN_INFO>
      </VULN_INFO_LIST>
    </HOST>
  </HOST_LIST>
  <GLOSSARY>
    <VULN_DETAILS_LIST>
      <VULN_DETAILS id="qid_38657">
        <QID id="qid_38657">38657</QID>
        <TITLE>
          <![CDATA[Birthday attacks against TLS ciphers with 64bit block size (Sweet32)]]>
        </TITLE>
        <SEVERITY>4</SEVERITY>
        <CATEGORY>General remote services</CATEGORY>
        <THREAT><![CDATA[Legacy block ciphers<P>are weak.]]></THREAT>
        <IMPACT><![CDATA[Plaintext recovery.]]></IMPACT>
        <SOLUTION>
          <![CDATA[Disable <A HREF="https://example.org/fix">3DES</A> &amp; friends.]]>
        </SOLUTION>
        <CVSS3_SCORE>
          <CVSS3_BASE>7.5 (AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N)</CVSS3_BASE>
        </CVSS3_SCORE>
        <CVE_ID_LIST><CVE_ID><ID><![CDATA[CVE-2016-2183]]></ID>
          <URL><![CDATA[https://nvd.nist.gov/vuln/detail/CVE-2016-2183]]></URL></CVE_ID></CVE_ID_LIST>
      </VULN_DETAILS>
      <VULN_DETAILS id="qid_6">
        <QID id="qid_6">6</QID><TITLE><![CDATA[DNS Host Name]]></TITLE><SEVERITY>1</SEVERITY>
        <CATEGORY>Information gathering</CATEGORY>
      </VULN_DETAILS>
    </VULN_DETAILS_LIST>
  </GLOSSARY>
</ASSET_DATA_REPORT>
"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_xml_finding_takes_title_severity_and_ids_from_the_glossary() -> None:
    # when
    first = _parse(REPORT)[0]
    # then
    assert first.title == "Birthday attacks against TLS ciphers with 64bit block size (Sweet32)"
    assert first.severity is Severity.HIGH
    assert first.tool == "qualys"
    assert first.rule_id == "QID-38657"
    assert first.advisory_ids == ("CVE-2016-2183",)
    assert first.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
    assert first.cvss_v3_score == 7.5
    assert (first.location.host, first.location.port, first.location.protocol) == (
        "10.0.0.5",
        443,
        "tcp",
    )
    assert first.description == "Legacy block ciphers\nare weak.\n\nPlaintext recovery."
    assert first.remediation == "Disable 3DES & friends."
    assert first.evidence == "CIPHER DES-CBC3-SHA"
    assert first.references == ("https://nvd.nist.gov/vuln/detail/CVE-2016-2183",)
    assert first.tags == ("type:confirmed", "category:General remote services", "status:active")


def test_information_gathered_keeps_its_level_and_kind() -> None:
    # when
    second = _parse(REPORT)[1]
    # then
    assert second.title == "DNS Host Name"
    assert second.severity is Severity.INFO
    assert second.location.port is None
    assert second.tags == ("type:information-gathered", "category:Information gathering")


def test_fingerprint_ignores_result_and_dates_but_not_the_port() -> None:
    # given
    later = REPORT.replace(b"CIPHER DES-CBC3-SHA", b"CIPHER IDEA-CBC-SHA").replace(
        b"2024-01-01", b"2024-02-01"
    )
    other_port = REPORT.replace(b"<PORT>443</PORT>", b"<PORT>8443</PORT>")
    # when
    before = _parse(REPORT)
    # then
    assert [finding.fingerprint for finding in _parse(later)] == [finding.fingerprint for finding in before]
    assert _parse(other_port)[0].fingerprint != before[0].fingerprint
    assert before[0].fingerprint != before[1].fingerprint


def test_sample_xml_has_one_finding_per_vuln_info() -> None:
    # when
    with (SAMPLES / "Qualys_Sample_Report.xml").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert len(findings) == 301
    assert len({finding.fingerprint for finding in findings}) == 301
    assert (findings[0].title, findings[0].severity, findings[0].rule_id) == (
        "DNS Host Name",
        Severity.INFO,
        "QID-6",
    )
    heartbleed = findings[275]
    assert heartbleed.title == "OpenSSL Memory Leak Vulnerability (Heartbleed Bug)"
    assert heartbleed.severity is Severity.HIGH
    assert heartbleed.advisory_ids == ("CVE-2014-0160",)
    assert (heartbleed.location.host, heartbleed.location.port) == ("64.41.200.250", 8443)
    amd = findings[20]
    assert amd.cvss_v3_vector == "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H"
    assert amd.cvss_v3_score == 9.0
    assert amd.tags == ("type:potential", "category:Local", "status:active")


def test_sample_empty_report_has_no_findings() -> None:
    with (SAMPLES / "empty.xml").open("rb") as stream:
        assert list(PARSER.parse(stream)) == []


def test_sample_vulnerability_csv_groups_the_rows_of_a_qid() -> None:
    # when: six rows, QID 105971 on four hosts
    with (SAMPLES / "Qualys_Sample_Report.csv").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert [(finding.rule_id, finding.location.host) for finding in findings] == [
        ("QID-105971", "10.98.57.180"),
        ("QID-105970", "10.98.57.180"),
        ("QID-91762", "10.98.57.180"),
    ]
    first = findings[0]
    assert first.evidence == ("Other instances (3):\n- 10.98.57.151\n- 10.98.49.209\n- 10.98.35.11")
    assert first.tags[-1] == "instances:4"
    assert findings[1].tags[-1] == "instances:1"
    assert first.title == "EOL/Obsolete Software: Microsoft ASP.NET 1.0 Detected"
    assert first.severity is Severity.CRITICAL
    assert first.cvss_v3_vector == "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert first.cvss_v3_score == 8.1
    assert len(findings[2].advisory_ids) == 23
    assert findings[2].advisory_ids[0] == "CVE-2021-31192"


def test_sample_pci_csv_reads_the_numeric_level_and_the_false_positive_state() -> None:
    # when
    with (SAMPLES / "monthly_pci_issue6932.csv").open("rb") as stream:
        (finding,) = list(PARSER.parse(stream))
    # then
    assert finding.title == "Web Server Stopped Responding"
    assert finding.severity is Severity.MEDIUM
    assert finding.rule_id == "QID-86476"
    assert (finding.location.host, finding.location.port, finding.location.protocol) == (
        "192.168.0.1",
        80,
        "tcp",
    )
    assert finding.tags == (
        "type:potential",
        "category:Web server",
        "false-positive:requested",
        "instances:1",
    )


def test_csv_preamble_before_the_header_is_skipped() -> None:
    # given: a "Scan Results" export starts with report metadata rows
    report = (
        b'"Scan Results","scan/1234"\n'
        b'"Company","Example"\n'
        b"\n"
        b'"IP","DNS","QID","Title","Type","Severity","Port","Protocol","CVE ID","Results"\n'
        b'"10.0.0.5","web01","38657","Sweet32","Vuln","3","443","tcp","CVE-2016-2183","DES-CBC3"\n'
    )
    # when
    (finding,) = _parse(report)
    # then
    assert (finding.title, finding.severity, finding.rule_id) == (
        "Sweet32",
        Severity.MEDIUM,
        "QID-38657",
    )
    assert finding.advisory_ids == ("CVE-2016-2183",)
    assert finding.evidence == "DES-CBC3"


def test_csv_finding_spans_hosts_so_its_fingerprint_is_the_qids() -> None:
    # given: the same QID on two hosts, and in another export on a third
    report = (
        b'"IP","QID","Title","Severity","Port","Protocol"\n'
        b'"10.0.0.5","38657","Sweet32","4","443","tcp"\n'
        b'"10.0.0.6","38657","Sweet32","4","8443","tcp"\n'
    )
    elsewhere = b'"IP","QID","Title","Severity"\n"10.0.0.7","38657","Sweet32","4"\n'
    # when
    (finding,) = _parse(report)
    # then
    assert (finding.location.host, finding.location.port) == ("10.0.0.5", 443)
    assert finding.evidence == "Other instances (1):\n- 10.0.0.6 tcp/8443"
    assert finding.tags == ("instances:2",)
    assert _parse(elsewhere)[0].fingerprint == finding.fingerprint
    # the XML keeps one finding per host, fingerprinted with its host
    assert _parse(REPORT)[0].fingerprint != finding.fingerprint


def test_detects_xml_and_csv_only() -> None:
    assert PARSER.detect(REPORT) == 95
    assert PARSER.detect(b'"IP","DNS","QID","Title","Severity"\n') == 85
    assert PARSER.detect(b"<NessusClientData_v2>") == 0
    assert PARSER.detect(b"IP,Hostname,Port,NVT Name,NVT OID\n") == 0


def test_doctype_with_an_internal_subset_is_refused() -> None:
    # given: an internal subset can declare entities, so it is not blanked
    report = REPORT.replace(
        b'SYSTEM "https://qualysguard.qualys.com/asset_data_report.dtd">',
        b'[<!ENTITY boom "x">]>',
    )
    # when / then
    with pytest.raises(MalformedReport, match="XML refused"):
        _parse(report)


def test_csv_without_header_row_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="no CSV header row naming the IP and QID columns"):
        _parse(b'"Host","Title"\n"10.0.0.5","x"\n')


def test_csv_row_with_missing_fields_is_rejected_with_its_line() -> None:
    # given
    report = b'"IP","QID","Title"\n"10.0.0.5","6"\n'
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(report)
    # then
    assert caught.value.reason == "row has 2 fields where the header has 3"
    assert caught.value.position == "line 2"


def test_vuln_info_without_qid_is_rejected() -> None:
    # given
    report = REPORT.replace(b'<QID id="qid_6">6</QID><TYPE>Ig</TYPE>', b"<TYPE>Ig</TYPE>")
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(report)
    # then
    assert caught.value.reason == "VULN_INFO has no QID"
    assert caught.value.position == "HOST[0].VULN_INFO[1]"


def test_truncated_xml_is_rejected_through_the_registry() -> None:
    with pytest.raises(MalformedReport, match="invalid XML"):
        list(parse_report(io.BytesIO(REPORT[:600]))[1])


def test_unknown_encoding_in_the_xml_declaration_is_rejected() -> None:
    # given
    report = REPORT.replace(b'encoding="UTF-8"', b'encoding="UTF-L"')
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(report)
    # then
    assert caught.value.reason == "invalid XML: unknown encoding: UTF-L"
    assert caught.value.position == "XML declaration"
