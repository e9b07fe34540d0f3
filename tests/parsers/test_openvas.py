"""OpenVAS / Greenbone XML report and CSV results."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.openvas import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "openvas"

REPORT = b"""<get_reports_response status="200" status_text="OK">
<report id="r1" format_id="a994b278-1f62-11e1-96ac-406186ea4fc5" content_type="text/xml">
<report id="r1"><gmp><version>22.4</version></gmp><scan_run_status>Done</scan_run_status>
<results start="1" max="-1">
<result id="0f3c">
  <name>OpenSSH Information Disclosure</name>
  <host>10.0.0.7<asset asset_id="a1"/><hostname>db01</hostname></host>
  <port>22/tcp</port>
  <nvt oid="1.3.6.1.4.1.25623.1.0.99999">
    <type>nvt</type><name>OpenSSH Information Disclosure</name><family>General</family>
    <tags>summary=OpenSSH is prone to an
      information disclosure.|insight=The flaw exists.|impact=Users can be listed.|\
solution_type=VendorFix</tags>
    <solution type="VendorFix">Update to version 9.3p2 or later.</solution>
    <severities score="5.3"><severity type="cvss_base_v3">
      <value>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N</value></severity></severities>
    <refs><ref type="cve" id="CVE-2023-51767"/><ref type="url" id="https://www.openssh.com/security.html"/>
      <ref type="cert-bund" id="WID-SEC-2024-0001"/></refs>
  </nvt>
  <threat>Medium</threat><severity>5.3</severity>
  <description>Installed version: 8.9p1
Fixed version: 9.3p2</description>
  <detection><result id="d1"><details><detail><name>product</name>
    <value>cpe:/a:openbsd:openssh:8.9p1</value></detail></details></result></detection>
</result>
<result id="77aa">
  <host>10.0.0.7</host><port>general/tcp</port>
  <nvt oid="1.3.6.1.4.1.25623.1.0.80091"><name>TCP timestamps</name>
    <tags>summary=The remote host implements TCP timestamps.|solution=Disable TCP timestamps.</tags>
  </nvt>
  <threat>Log</threat><severity>0.0</severity><description>Packet 1: 1</description>
</result>
</results></report></report></get_reports_response>
"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_xml_result_is_read_with_refs_cvss_and_solution() -> None:
    # when
    findings = _parse(REPORT)
    # then: the nested product-detection result is not a finding
    assert len(findings) == 2
    first = findings[0]
    assert first.title == "OpenSSH Information Disclosure"
    assert first.severity is Severity.MEDIUM
    assert first.tool == "openvas"
    assert first.rule_id == "1.3.6.1.4.1.25623.1.0.99999"
    assert first.tool_finding_id == "0f3c"
    assert first.advisory_ids == ("CVE-2023-51767",)
    assert first.references == ("https://www.openssh.com/security.html",)
    assert first.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"
    assert first.cvss_v3_score == 5.3
    assert (first.location.host, first.location.port, first.location.protocol) == (
        "10.0.0.7",
        22,
        "tcp",
    )
    assert first.description == (
        "OpenSSH is prone to an information disclosure.\n\nThe flaw exists.\n\nUsers can be listed."
    )
    assert first.remediation == "Update to version 9.3p2 or later."
    assert first.evidence == "Installed version: 8.9p1\nFixed version: 9.3p2"
    assert first.tags == ("family:General", "solution-type:VendorFix", "hostname:db01")


def test_log_result_on_general_port_is_info_without_port() -> None:
    # when
    second = _parse(REPORT)[1]
    # then
    assert second.severity is Severity.INFO
    assert (second.location.port, second.location.protocol) == (None, "tcp")
    assert second.remediation == "Disable TCP timestamps."


def test_fingerprint_ignores_result_id_and_text_but_not_the_port() -> None:
    # given
    later = REPORT.replace(b'result id="0f3c"', b'result id="9e9e"').replace(b"8.9p1", b"9.0p1")
    other_port = REPORT.replace(b"<port>22/tcp</port>", b"<port>2222/tcp</port>")
    # when
    before = _parse(REPORT)
    # then
    assert [finding.fingerprint for finding in _parse(later)] == [finding.fingerprint for finding in before]
    assert _parse(other_port)[0].fingerprint != before[0].fingerprint
    assert before[0].fingerprint != before[1].fingerprint


def test_empty_threat_falls_back_to_the_severity_score() -> None:
    # given
    report = REPORT.replace(
        b"<threat>Medium</threat><severity>5.3</severity>", b"<threat/><severity>9.8</severity>"
    )
    # when / then
    assert _parse(report)[0].severity is Severity.CRITICAL


def test_sample_many_vuln_xml() -> None:
    # when
    with (SAMPLES / "many_vuln.xml").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert len(findings) == 44
    assert len({finding.fingerprint for finding in findings}) == 44
    first = findings[0]
    assert first.title == "The rexec service is running"
    assert first.severity is Severity.HIGH
    assert first.rule_id == "1.3.6.1.4.1.25623.1.0.100111"
    assert first.advisory_ids == ("CVE-1999-0618",)
    assert (first.location.host, first.location.port) == ("192.168.1.1001", 512)
    assert first.remediation == "Disable the rexec service and use alternatives like SSH instead."
    assert [finding.severity for finding in findings[-2:]] == [Severity.MEDIUM, Severity.MEDIUM]


def test_sample_one_vuln_xml() -> None:
    # when
    with (SAMPLES / "one_vuln.xml").open("rb") as stream:
        (finding,) = list(PARSER.parse(stream))
    # then
    assert finding.title == "Mozilla Firefox Security Update (mfsa_2023-32_2023-36) - Windows"
    assert finding.severity is Severity.HIGH
    assert len(finding.advisory_ids) == 12
    assert finding.references == ("https://www.mozilla.org/en-US/security/advisories/mfsa2023-34/",)
    assert (finding.location.host, finding.location.port, finding.location.protocol) == (
        "10.0.101.2",
        None,
        "tcp",
    )


def test_sample_no_vuln_xml() -> None:
    with (SAMPLES / "no_vuln.xml").open("rb") as stream:
        assert list(PARSER.parse(stream)) == []


def test_sample_csv() -> None:
    # when
    with (SAMPLES / "many_vuln.csv").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert [finding.severity for finding in findings] == [
        Severity.LOW,
        Severity.MEDIUM,
        Severity.MEDIUM,
        Severity.HIGH,
    ]
    first = findings[0]
    assert first.title == "TCP timestamps"
    assert first.rule_id == "1.3.6.1.4.1.25623.1.0.80091"
    assert first.tool_finding_id == "063f05eb-422b-4be5-8b95-65be1252bd17"
    assert (first.location.host, first.location.port, first.location.protocol) == (
        "192.168.118.212",
        None,
        None,
    )
    assert findings[2].advisory_ids == ("CVE-2011-3389", "CVE-2015-0204")
    assert (findings[2].location.port, findings[2].location.protocol) == (9200, "tcp")


def test_csv_and_xml_of_the_same_result_share_a_fingerprint() -> None:
    # given
    report = (
        b"IP,Hostname,Port,Port Protocol,CVSS,Severity,NVT Name,NVT OID,Result ID\n"
        b"10.0.0.7,db01,,,0.0,Log,TCP timestamps,1.3.6.1.4.1.25623.1.0.80091,other-id\n"
    )
    # when / then
    assert _parse(report)[0].fingerprint == _parse(REPORT)[1].fingerprint


def test_detects_xml_and_csv_only() -> None:
    assert PARSER.detect(REPORT) == 95
    assert PARSER.detect(b"IP,Hostname,Port,Port Protocol,CVSS,Severity,NVT Name,NVT OID\n") == 90
    assert PARSER.detect(b"<report><name>zap</name></report>") == 0
    assert PARSER.detect(b'"IP","QID","Title"\n') == 0


def test_result_nvt_without_oid_is_rejected() -> None:
    # given
    report = REPORT.replace(b'<nvt oid="1.3.6.1.4.1.25623.1.0.80091">', b"<nvt>")
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(report)
    # then
    assert caught.value.reason == "result's nvt has no oid"
    assert caught.value.position == "result[1]"


def test_csv_without_oid_column_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="no CSV header row naming the NVT OID column"):
        _parse(b"IP,NVT Name\n10.0.0.7,x\n")


def test_truncated_xml_is_rejected_through_the_registry() -> None:
    with pytest.raises(MalformedReport, match="invalid XML"):
        list(parse_report(io.BytesIO(REPORT[:400]))[1])
