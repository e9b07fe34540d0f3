"""Tenable Nessus .nessus XML and CSV exports."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.tenable import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "tenable"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "tenable"

NESSUS = b"""<?xml version="1.0" ?>
<NessusClientData_v2>
<Report name="weekly" xmlns:cm="http://www.nessus.org/cm">
<ReportHost name="10.0.0.5"><HostProperties><tag name="host-ip">10.0.0.5</tag></HostProperties>
<ReportItem port="443" svc_name="www" protocol="tcp" severity="3" pluginID="42873"
 pluginName="SSL Medium Strength Cipher Suites Supported (SWEET32)" pluginFamily="General">
<cve>CVE-2016-2183</cve><cve>CVE-2016-6329</cve>
<cvss3_vector>CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N</cvss3_vector>
<xref>CWE:327</xref>
<see_also>https://www.openssl.org/blog/blog/2016/08/24/sweet32/</see_also>
<solution>Reconfigure the affected application.</solution>
<synopsis>The remote service supports medium strength SSL ciphers.</synopsis>
<plugin_output>OUTPUT</plugin_output>
</ReportItem>
<ReportItem port="0" svc_name="general" protocol="tcp" severity="4" pluginID="108797"
 pluginName="Unsupported Windows OS (remote)" pluginFamily="Windows">
<cpe>cpe:/o:microsoft:windows</cpe><plugin_output>Windows 2003</plugin_output>
</ReportItem>
</ReportHost>
</Report>
</NessusClientData_v2>
"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_nessus_xml_item_is_read_with_its_host_port_and_ids() -> None:
    # when
    findings = _parse(NESSUS)
    # then
    first = findings[0]
    assert first.title == "SSL Medium Strength Cipher Suites Supported (SWEET32)"
    assert first.severity is Severity.HIGH
    assert first.rule_id == "42873"
    assert first.tool == "tenable"
    assert first.advisory_ids == ("CVE-2016-2183", "CVE-2016-6329")
    assert first.cwe_ids == (327,)
    assert first.cvss_v3_vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
    assert first.cvss_v3_score == 7.5
    assert (first.location.host, first.location.port, first.location.protocol) == (
        "10.0.0.5",
        443,
        "tcp",
    )
    assert first.evidence == "OUTPUT"
    assert first.remediation == "Reconfigure the affected application."
    assert first.references == ("https://www.openssl.org/blog/blog/2016/08/24/sweet32/",)
    assert first.tags == ("family:General", "instances:1")


def test_nessus_xml_severity_four_is_critical_and_port_zero_is_no_port() -> None:
    # when
    second = _parse(NESSUS)[1]
    # then
    assert second.severity is Severity.CRITICAL
    assert second.location.port is None
    assert second.location.package == "windows"
    assert second.location.package_version is None


def test_fingerprint_ignores_plugin_output_and_cvss_scores() -> None:
    # given: a later scan of the same host, with another output and another CVSS vector
    later = NESSUS.replace(b"OUTPUT", b"other ciphers this time").replace(
        b"C:H/I:N/A:N</cvss3_vector>", b"C:L/I:N/A:N</cvss3_vector>"
    )
    # when
    before = [finding.fingerprint for finding in _parse(NESSUS)]
    after = [finding.fingerprint for finding in _parse(later)]
    # then
    assert before == after
    assert before[0] != before[1]


def test_fingerprint_follows_the_grouping_key_plugin_and_severity() -> None:
    # given: the plugin rated anew is another group, so another finding
    rescored = NESSUS.replace(b'severity="3"', b'severity="2"')
    # when / then
    assert _parse(rescored)[0].fingerprint != _parse(NESSUS)[0].fingerprint
    assert _parse(rescored)[0].severity is Severity.MEDIUM


def test_fingerprint_is_the_same_on_every_host() -> None:
    # given: the finding spans hosts, so no host enters its fingerprint
    other_host = NESSUS.replace(b'ReportHost name="10.0.0.5"', b'ReportHost name="10.0.0.6"')
    # when / then
    assert _parse(NESSUS)[0].fingerprint == _parse(other_host)[0].fingerprint


def test_one_plugin_on_two_hosts_is_one_finding_listing_the_other_host() -> None:
    # given: the same report, the host scanned twice under two names
    host = NESSUS[NESSUS.index(b"<ReportHost") : NESSUS.index(b"</Report>")]
    report = NESSUS.replace(b"</Report>", host.replace(b"10.0.0.5", b"10.0.0.6") + b"</Report>")
    # when
    findings = _parse(report)
    # then
    assert [finding.rule_id for finding in findings] == ["42873", "108797"]
    first = findings[0]
    assert (first.location.host, first.location.port) == ("10.0.0.5", 443)
    assert first.evidence == "OUTPUT\n\nOther instances (1):\n- 10.0.0.6 tcp/443"
    assert first.tags == ("family:General", "instances:2")
    assert findings[1].evidence == "Windows 2003\n\nOther instances (1):\n- 10.0.0.6"


def test_sample_nessus_v_unknown_groups_report_items_by_plugin_and_severity() -> None:
    # when: 296 report items on 7 hosts
    with (SAMPLES / "nessus_v_unknown.xml").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert len(findings) == 32
    assert len({finding.fingerprint for finding in findings}) == 32
    rdp = findings[9]
    assert rdp.title == "Microsoft Windows Remote Desktop Protocol Server Man-in-the-Middle Weakness"
    assert rdp.severity is Severity.MEDIUM
    assert rdp.rule_id == "18405"
    assert rdp.advisory_ids == ("CVE-2005-1794",)
    assert (rdp.location.host, rdp.location.port) == ("qa3app09", 3389)
    assert rdp.tags == ("family:Windows", "exploit-available", "instances:7")
    assert rdp.evidence == "Other instances (6):\n" + "\n".join(
        f"- qa3app0{number} tcp/3389" for number in range(6, 0, -1)
    )


def test_sample_nessus_many_vuln_xml_first_finding() -> None:
    # when
    with (SAMPLES / "nessus_many_vuln.xml").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert len(findings) == 6
    first = findings[0]
    assert first.title == "Nessus Scan Information"
    assert first.severity is Severity.INFO
    assert first.rule_id == "19506"
    assert first.location.host == "preprod.boardvantage.net"
    assert first.remediation == ""


def test_sample_nessus_was_without_items_has_no_findings() -> None:
    with (SAMPLES / "nessus_was_no_vuln.xml").open("rb") as stream:
        assert list(PARSER.parse(stream)) == []


def test_sample_csv_is_read_and_skips_blank_rows() -> None:
    # when
    with (SAMPLES / "nessus_many_vuln.csv").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert [finding.rule_id for finding in findings] == ["35291", "51192", "57582", "65821"]
    first = findings[0]
    assert first.title == "SSL Certificate Signed Using Weak Hashing Algorithm"
    assert first.severity is Severity.MEDIUM
    assert first.advisory_ids == ("CVE-2004-2761",)
    assert first.cwe_ids == (310,)
    assert (first.location.host, first.location.port, first.location.protocol) == (
        "10.1.1.1",
        443,
        "tcp",
    )
    assert first.location.package == "md5"
    assert findings[3].advisory_ids == ("CVE-2013-2566", "CVE-2015-2808")


def test_nessus_csv_rows_of_one_plugin_per_cve_are_one_finding() -> None:
    # given: Nessus writes one row per CVE of a plugin
    report = (VARIANTS / "nessus_csv.csv").read_bytes()
    # when
    findings = _parse(report)
    # then
    assert [finding.rule_id for finding in findings] == ["42873", "10863"]
    assert findings[0].advisory_ids == ("CVE-2016-2183", "CVE-2016-6329")
    assert findings[0].severity is Severity.HIGH
    assert findings[1].severity is Severity.INFO
    assert findings[1].remediation == ""


def test_csv_and_xml_of_the_same_finding_share_a_fingerprint() -> None:
    # given
    report = (
        b'"Plugin ID","CVE","Risk","Host","Protocol","Port","Name","Synopsis","Plugin Output"\n'
        b'"42873","CVE-2016-2183","High","10.0.0.5","tcp","443","SWEET32","s","other output"\n'
    )
    # when / then
    assert _parse(report)[0].fingerprint == _parse(NESSUS)[0].fingerprint


def test_detects_nessus_xml_and_csv_but_not_other_csv() -> None:
    assert PARSER.detect(NESSUS) == 100
    assert PARSER.detect(b'"Plugin ID","CVE","Risk","Host","Protocol","Port","Name","Synopsis"\n') == 85
    assert PARSER.detect(b"IP,Hostname,Port,NVT Name,NVT OID\n") == 0
    assert PARSER.detect(b"<ScanGroup ExportedOn='x'><ReportItem/></ScanGroup>") == 0


def test_csv_row_with_extra_fields_is_rejected_with_its_line() -> None:
    # given
    report = b'"Plugin ID","Host","Name"\n"1","10.0.0.5","a"\n"2","10.0.0.5","b","surplus"\n'
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(report)
    # then
    assert caught.value.reason == "row has 4 fields where the header has 3"
    assert caught.value.position == "line 3"


def test_csv_without_plugin_column_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="no CSV header row naming the plugin and host"):
        _parse(b'"Host","Name"\n"10.0.0.5","a"\n')


def test_report_item_without_plugin_id_is_rejected() -> None:
    # given
    report = NESSUS.replace(b'pluginID="108797"', b"")
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(report)
    # then
    assert caught.value.reason == "ReportItem has no pluginID"
    assert caught.value.position == "ReportHost[0].ReportItem[1]"


def test_truncated_xml_is_rejected_through_the_registry() -> None:
    # given
    report = NESSUS[: NESSUS.index(b"</ReportHost>")]
    # when
    with pytest.raises(MalformedReport, match="invalid XML"):
        list(parse_report(io.BytesIO(report))[1])


# Tenable Vulnerability Management's findings export: dotted column names, semicolons.
TVM_CSV = (VARIANTS / "vm_export.csv").read_bytes()

# Tenable.sc's CSV: "Steps to Remediate" for the solution, vectors without "CVSS:3.0/".
SC_CSV = (
    b'"Plugin","Plugin Name","Family","Severity","IP Address","Protocol","Port","Plugin Output",'
    b'"Synopsis","Steps to Remediate","CVSS V3 Vector","CVE"\n'
    b'"73756","Microsoft SQL Server Unsupported Version Detection","Databases","Critical","2.3.4.5",'
    b'"TCP","1433","Installed version : 10.50","An unsupported version is running.",'
    b'"Upgrade to a supported version.","AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",""\n'
)


def test_tenable_vm_semicolon_export_with_dotted_columns_is_read() -> None:
    # when
    _parser, found = parse_report(io.BytesIO(TVM_CSV))
    findings = list(found)
    # then
    assert PARSER.detect(TVM_CSV) == 85
    assert len(findings) == 1
    finding = findings[0]
    assert finding.rule_id == "42873"
    assert finding.title == "SSL Medium Strength Cipher Suites Supported (SWEET32)"
    assert finding.severity is Severity.HIGH
    assert finding.advisory_ids == ("CVE-2016-2183",)
    assert finding.location.host == "web01.example"
    assert finding.location.port == 443
    assert finding.remediation == "Reconfigure; avoid 3DES."
    assert finding.evidence.startswith("DES-CBC3-SHA")
    assert "- web02.example tcp/8443" in finding.evidence
    assert finding.tags == ("family:General", "instances:2")


def test_tenable_sc_csv_reads_steps_to_remediate_and_unprefixed_vector() -> None:
    # when
    finding = _parse(SC_CSV)[0]
    # then
    assert finding.severity is Severity.CRITICAL
    assert finding.remediation == "Upgrade to a supported version."
    assert finding.cvss_v3_vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"
    assert finding.cvss_v3_score == 10.0


def test_semicolon_export_with_a_short_row_is_rejected_with_its_line() -> None:
    data = TVM_CSV + b"web03.example;192.0.2.12;42873\n"
    with pytest.raises(MalformedReport, match="row has 3 fields where the header has 12") as caught:
        _parse(data)
    assert caught.value.position == "line 4"


def test_semicolon_csv_of_another_tool_is_not_detected() -> None:
    assert PARSER.detect(b"name;severity;port\nx;high;80\n") == 0
