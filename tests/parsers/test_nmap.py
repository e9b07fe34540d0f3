"""The Nmap parser: open ports and vulners results from Nmap's XML output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.nmap import PARSER
from bastion.parsers.readers import iter_xml, root_attributes

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "nmap"

VULNERS_OUTPUT = (
    b"&#xa;  cpe:/a:igor_sysoev:nginx:1.18.0: "
    b"&#xa;    &#x9;CVE-2021-23017&#x9;7.5&#x9;https://vulners.com/cve/CVE-2021-23017"
    b"&#xa;    &#x9;PACKETSTORM:162830&#x9;6.8"
    b"&#x9;https://vulners.com/packetstorm/PACKETSTORM:162830&#x9;*EXPLOIT*"
)

REPORT = (
    b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>
<!-- Nmap 7.94 scan initiated as: nmap -sV -oX - 198.51.100.7 -->
<nmaprun scanner="nmap" args="nmap -sV -oX - 198.51.100.7" start="1700000000"
  version="7.94" xmloutputversion="1.05">
<hosthint><status state="up" reason="unknown-response"/>
<address addr="198.51.100.99" addrtype="ipv4"/>
<hostnames></hostnames></hosthint>
<host starttime="1700000000" endtime="1700000100"><status state="up" reason="syn-ack"/>
<address addr="198.51.100.7" addrtype="ipv4"/>
<address addr="00:11:22:33:44:55" addrtype="mac"/>
<hostnames><hostname name="www.example.test" type="PTR"/></hostnames>
<ports>
<port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="64"/>
<service name="http" product="nginx" version="1.18.0" method="probed" conf="10">
<cpe>cpe:/a:igor_sysoev:nginx:1.18.0</cpe></service>
<script id="vulners" output='"""
    + VULNERS_OUTPUT
    + b"""'/>
<script id="http-title" output="Welcome"/>
</port>
<port protocol="udp" portid="161"><state state="closed" reason="port-unreach"/></port>
</ports>
</host>
</nmaprun>
"""
)


def _parse(data: bytes) -> list[NormalizedFinding]:
    _parser, findings = parse_report(io.BytesIO(data))
    return list(findings)


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def test_vulners_tables_become_findings_before_their_port() -> None:
    # when
    findings = _sample("nmap_script_vulners.xml")
    # then
    assert [(finding.title, finding.severity, finding.rule_id) for finding in findings] == [
        ("CVE-2018-15919 in openssh 7.4", Severity.MEDIUM, "CVE-2018-15919"),
        ("CVE-2017-15906 in openssh 7.4", Severity.MEDIUM, "CVE-2017-15906"),
        ("Open port: 5022/tcp", Severity.INFO, None),
    ]
    vulnerability = findings[0]
    assert vulnerability.tool == "nmap"
    assert vulnerability.tool_version == "7.60"
    assert vulnerability.advisory_ids == ("CVE-2018-15919",)
    assert vulnerability.references == ("https://vulners.com/cve/CVE-2018-15919",)
    assert vulnerability.tags == ("vulners:cve",)
    assert vulnerability.location == FindingLocation(
        host="192.168.0.1",
        port=5022,
        protocol="tcp",
        package="openssh",
        package_version="7.4",
        component="cpe:/a:openbsd:openssh:7.4",
    )
    port = findings[2]
    assert port.location == FindingLocation(
        host="192.168.0.1", port=5022, protocol="tcp", package="openssh", package_version="7.4"
    )
    assert port.description == (
        "Port 5022/tcp is open on 192.168.0.1.\nService: ssh (OpenSSH 7.4 protocol 2.0)\nReason: syn-ack"
    )
    assert port.tags == ("service:ssh",)
    assert port.evidence.startswith("vulners:\ncpe:/a:openbsd:openssh:7.4:")


def test_exploit_entries_are_tagged_and_scored() -> None:
    # when
    findings = _sample("issue4406.xml")
    # then
    assert len(findings) == 67
    first = findings[0]
    assert first.rule_id == "MSF:ILITIES/UBUNTU-CVE-2019-6111/"
    assert first.severity == Severity.MEDIUM
    assert first.advisory_ids == ("CVE-2019-6111",)
    assert first.tags == ("vulners:metasploit", "exploit")
    assert [finding.severity for finding in findings[38:43]] == [
        Severity.INFO,
        Severity.INFO,
        Severity.INFO,
        Severity.INFO,
        Severity.INFO,
    ]
    assert findings[42].title == "Open port: 22/tcp"
    assert len({finding.fingerprint for finding in findings}) == 67


def test_only_open_ports_are_reported() -> None:
    findings = _sample("nmap_multiple_port.xml")
    assert [finding.title for finding in findings] == [
        f"Open port: {port}/tcp" for port in (21, 25, 53, 80, 110, 143, 443, 465, 587, 993, 995, 2525, 3306)
    ]
    assert {finding.severity for finding in findings} == {Severity.INFO}
    assert findings[0].location.host == "198.38.82.159"
    assert _sample("nmap_0port.xml") == []


def test_vulners_text_output_is_read_when_tables_are_missing() -> None:
    # when
    findings = _parse(REPORT)
    # then: the hosthint's address is not taken for the host's
    assert [(finding.title, finding.severity) for finding in findings] == [
        ("CVE-2021-23017 in nginx 1.18.0", Severity.HIGH),
        ("PACKETSTORM:162830 in nginx 1.18.0", Severity.MEDIUM),
        ("Open port: 80/tcp", Severity.INFO),
    ]
    exploit = findings[1]
    assert exploit.tags == ("vulners:packetstorm", "exploit")
    assert exploit.references == ("https://vulners.com/packetstorm/PACKETSTORM:162830",)
    assert exploit.advisory_ids == ()
    assert exploit.location == FindingLocation(
        host="198.51.100.7",
        port=80,
        protocol="tcp",
        package="nginx",
        package_version="1.18.0",
        component="cpe:/a:igor_sysoev:nginx:1.18.0",
    )
    assert findings[2].description.splitlines()[1] == "Host names: www.example.test"
    assert findings[2].evidence.endswith("http-title:\nWelcome")


def test_port_fingerprint_survives_a_service_upgrade() -> None:
    # given: the next scan finds a newer nginx on the same port
    later = REPORT.replace(b"1.18.0", b"1.25.3").replace(b'start="1700000000"', b'start="1800000000"')
    # when
    before = {finding.title: finding.fingerprint for finding in _parse(REPORT)}
    after = {finding.title: finding.fingerprint for finding in _parse(later)}
    # then
    assert after["Open port: 80/tcp"] == before["Open port: 80/tcp"]
    assert after["CVE-2021-23017 in nginx 1.25.3"] == before["CVE-2021-23017 in nginx 1.18.0"]
    assert before["Open port: 80/tcp"] != before["CVE-2021-23017 in nginx 1.18.0"]


def test_invalid_port_number_is_rejected() -> None:
    report = REPORT.replace(b'portid="80"', b'portid="eighty"')
    with pytest.raises(MalformedReport, match="port number 'eighty' is not valid") as error:
        _parse(report)
    assert error.value.position == "host[0]"


def test_truncated_report_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="invalid XML"):
        _parse(REPORT[:900])


def test_doctype_is_blanked_keeping_lines_and_root_attributes_are_read() -> None:
    # given: a DOCTYPE over three lines, then an element cut short on line 4
    report = b'<?xml version="1.0"?>\n<!DOCTYPE x [\n]>\n<x a="1&amp;2"><y>1</y>\n<y'
    # when
    with pytest.raises(MalformedReport) as error:
        list(iter_xml(io.BytesIO(report), ["y"], drop_doctype=True))
    # then: the DOCTYPE is not refused, and the error names the line it is on
    assert error.value.reason == "invalid XML: unclosed token"
    assert error.value.position == "line 5, column 0"
    assert root_attributes(report.decode(), "x") == {"a": "1&2"}


def test_detection_needs_nmap_markers() -> None:
    assert PARSER.detect(REPORT[:600]) == 95
    assert PARSER.detect(b"<?xml version='1.0'?>\n<!DOCTYPE nmaprun>\n<nmaprun>") == 80
    assert PARSER.detect(b'<?xml version="1.0"?><niktoscan></niktoscan>') == 0
