"""Nexpose XML Export 2.0 and Simple XML."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import HEAD_BYTES, MalformedReport, detect_format, nexpose
from bastion.parsers.nexpose import PARSER

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"
SAMPLES = SCANS / "nexpose"

REPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<NexposeReport version="2.0">
  <scans>
    <scan id="7" name="Office" startTime="20240301T100000000" endTime="20240301T110000000" status="finished"/>
  </scans>
  <nodes>
    <node address="192.0.2.10" status="alive">
      <names><name>web.example.com</name></names>
      <tests>
        <test id="generic-icmp-timestamp" status="vulnerable-exploited">
          <Paragraph>Remote time: 10:00</Paragraph>
        </test>
        <test id="ssh-weak-kex" status="not-vulnerable"/>
      </tests>
      <endpoints>
        <endpoint protocol="tcp" port="443" status="open">
          <services><service name="HTTPS"><tests>
            <test id="TLS-Weak" status="vulnerable-version">
              <Paragraph>Accepts <UnorderedList><ListItem>RC4</ListItem></UnorderedList></Paragraph>
            </test>
            <test id="undefined-check" status="vulnerable-exploited"/>
          </tests></service></services>
        </endpoint>
      </endpoints>
    </node>
    <node address="192.0.2.11" status="alive">
      <tests>
        <test id="generic-icmp-timestamp" status="vulnerable-potential">
          <Paragraph>Remote time: 11:00</Paragraph>
        </test>
      </tests>
    </node>
  </nodes>
  <VulnerabilityDefinitions>
    <vulnerability id="generic-icmp-timestamp" title="ICMP timestamp response" severity="1" cvssScore="0.0">
      <description><ContainerBlockElement><Paragraph>The host answered
        an ICMP timestamp request.</Paragraph></ContainerBlockElement></description>
      <references><reference source="CVE">CVE-1999-0524</reference></references>
      <tags><tag>Network</tag></tags>
      <solution>
        <Paragraph>Block ICMP type 13. See
          <URLLink LinkURL="https://example.org/icmp" LinkTitle="ICMP"/></Paragraph>
      </solution>
    </vulnerability>
    <vulnerability id="tls-weak" title="Weak TLS ciphers" severity="7" cvssScore="7.5"
        cvssV3Vector="CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N">
      <references><reference source="URL">https://example.org/tls</reference></references>
    </vulnerability>
    <vulnerability id="never-found" title="Not in any test" severity="10"/>
  </VulnerabilityDefinitions>
</NexposeReport>
"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_tests_become_findings_described_by_their_definitions() -> None:
    # when
    findings = _parse(REPORT)
    # then
    assert [(finding.title, finding.severity, finding.tags[-1]) for finding in findings] == [
        ("ICMP timestamp response", Severity.LOW, "instances:2"),
        ("Host Up", Severity.INFO, "instances:2"),
        ("Open port TCP/443", Severity.INFO, "instances:1"),
        ("Weak TLS ciphers", Severity.HIGH, "instances:1"),
    ]
    icmp = findings[0]
    assert icmp.rule_id == "generic-icmp-timestamp"
    assert icmp.advisory_ids == ("CVE-1999-0524",)
    assert icmp.location.host == "192.0.2.10"
    assert icmp.description == "The host answered an ICMP timestamp request."
    assert icmp.remediation == "Block ICMP type 13. See ICMP (https://example.org/icmp)"
    assert icmp.evidence == (
        "Remote time: 10:00\nHost names: web.example.com\n\n"
        "Other instances (1):\n- 192.0.2.11: Remote time: 11:00"
    )
    assert icmp.tags == ("Network", "instances:2")
    tls = findings[3]
    assert tls.location.port == 443
    assert tls.location.protocol == "tcp"
    assert tls.location.component == "HTTPS"
    assert tls.cvss_v3_score == 5.9  # computed from the vector, not Nexpose's cvssScore (a CVSS v2 score)
    assert tls.references == ("https://example.org/tls",)
    assert tls.evidence.startswith("Accepts\n- RC4")


def test_fingerprint_ignores_hosts_and_test_output() -> None:
    # given
    rescan = REPORT.replace(b"192.0.2.10", b"192.0.2.99").replace(b"10:00", b"12:34")
    # when / then
    assert [finding.fingerprint for finding in _parse(rescan)] == [
        finding.fingerprint for finding in _parse(REPORT)
    ]


def _one_test_report(output: str) -> bytes:
    return f"""<NexposeReport version="2.0"><nodes><node address="192.0.2.1"><tests>
      <test id="check" status="vulnerable-exploited">{output}</test>
    </tests></node></nodes><VulnerabilityDefinitions>
      <vulnerability id="check" title="Check" severity="4"/>
    </VulnerabilityDefinitions></NexposeReport>""".encode()


def test_long_test_output_keeps_its_start() -> None:
    # given: a test whose output lists far more than the evidence keeps
    items = "".join(f"<ListItem>item {number}</ListItem>" for number in range(3000))
    # when
    finding = _parse(_one_test_report(f"<UnorderedList>{items}</UnorderedList>"))[0]
    # then
    listed = "\n".join(f"- item {number}" for number in range(3000))
    assert finding.evidence == listed[:1999] + "…"


def test_test_output_after_much_blank_markup_is_kept() -> None:
    # given: thousands of empty links (text that folds to nothing) before what the test saw
    output = "<URLLink/>" * 9000 + "<Paragraph>Seen:\n  yes</Paragraph>"
    # when
    finding = _parse(_one_test_report(output))[0]
    # then
    assert finding.evidence == "Seen: yes"


@pytest.mark.parametrize(("kept", "characters"), [(1, 10**6), (1024, 0)])
def test_findings_are_the_same_however_few_are_kept_for_later_places(
    monkeypatch: pytest.MonkeyPatch, kept: int, characters: int
) -> None:
    # given: every place of a vulnerability made anew (the findings for earlier places forgotten)
    expected = [finding.model_dump() for finding in _parse(REPORT)]
    monkeypatch.setattr(nexpose, "RECENT_FINDINGS", kept)
    monkeypatch.setattr(nexpose, "RECENT_CHARACTERS", characters)
    # when
    findings = [finding.model_dump() for finding in _parse(REPORT)]
    # then
    assert findings == expected
    assert [finding["tags"][-1] for finding in findings] == [
        "instances:2",
        "instances:2",
        "instances:1",
        "instances:1",
    ]


def test_sample_dns_groups_one_check_over_tcp_and_udp() -> None:
    # when
    with (SAMPLES / "dns.xml").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    snooping = next(finding for finding in findings if finding.rule_id == "dns-allows-cache-snooping")
    assert snooping.severity is Severity.MEDIUM
    assert (snooping.location.port, snooping.location.protocol) == (53, "tcp")
    assert snooping.tags[-1] == "instances:2"


def test_detection() -> None:
    assert detect_format(REPORT).name == "nexpose"
    assert detect_format(SIMPLE_REPORT).name == "nexpose"
    assert PARSER.detect(b"<NessusClientData_v2>") == 0


def test_other_tools_samples_are_not_taken_for_nexpose() -> None:
    # given: the first bytes of every other tool's sample report
    heads = {
        path: path.read_bytes()[:HEAD_BYTES]
        for path in sorted(SCANS.glob("*/*"))
        if path.is_file() and path.parent.name != "nexpose"
    }
    # when / then
    assert [path for path, head in heads.items() if PARSER.detect(head)] == []


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (b"<NexposeReport><nodes><node status='alive'/></nodes></NexposeReport>", "node has no address"),
        (
            b"<NexposeReport><nodes><node address='1.2.3.4'><endpoints><endpoint port='x'/></endpoints>"
            b"</node></nodes></NexposeReport>",
            "endpoint has no valid port",
        ),
        (b"<NexposeReport><nodes>", "invalid XML"),
        (b"<ScanGroup/>", "the root element is <ScanGroup>"),
    ],
)
def test_malformed_report_is_refused_naming_the_problem(report: bytes, message: str) -> None:
    with pytest.raises(MalformedReport) as error:
        _parse(report)
    assert message in str(error.value)


# A Simple XML export (Nexpose 6, InsightVM) of two devices: what the console writes, trimmed.
SIMPLE_REPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<NeXposeSimpleXML version="1.0">
<generated>20240301T101500123</generated>
<devices>
<device address="192.0.2.10">
<fingerprint certainty="0.85">
<description>Ubuntu Linux 20.04</description>
<vendor>Ubuntu</vendor>
<family>Linux</family>
<product>Linux</product>
<version>20.04</version>
<device-class>General</device-class>
<architecture>x86_64</architecture>
</fingerprint>
<vulnerabilities>
<vulnerability id="generic-icmp-timestamp" resultCode="VE">
<id type="cve">CVE-1999-0524</id>
<id type="url">https://example.org/icmp</id>
</vulnerability>
<vulnerability id="ssh-weak-kex" resultCode="NV">
</vulnerability>
</vulnerabilities>
<services>
<service name="NTP" port="123" protocol="udp">
<fingerprint certainty="0.80">
<description>NTP 4.2.6</description>
<vendor></vendor>
<family>NTP</family>
<product>NTP</product>
<version>4.2.6</version>
</fingerprint>
<vulnerabilities>
<vulnerability id="NTPD-CRYPTO" resultCode="VV">
<id type="cve">CAN-2009-1252</id>
<id type="bid">35017</id>
<id type="secunia">35137</id>
<id type="url">http://bugs.ntp.org/1151</id>
</vulnerability>
<vulnerability id="ntp-clock-variables-disclosure" resultCode="VP">
</vulnerability>
<vulnerability id="ntp-monlist" resultCode="SV">
</vulnerability>
</vulnerabilities>
</service>
<service name="HTTPS" port="443" protocol="tcp">
<fingerprint certainty="0.90">
<vendor>nginx</vendor>
<product>nginx</product>
<version>1.18.0</version>
</fingerprint>
<vulnerabilities>
</vulnerabilities>
</service>
</services>
</device>
<device address="192.0.2.11">
<fingerprint certainty="0.60">
<description>Microsoft Windows Server 2019</description>
</fingerprint>
<vulnerabilities>
<vulnerability id="generic-icmp-timestamp" resultCode="VE">
<id type="cve">CVE-1999-0524</id>
</vulnerability>
</vulnerabilities>
<services>
</services>
</device>
</devices>
</NeXposeSimpleXML>
"""


def test_simple_xml_devices_and_services_become_findings() -> None:
    # when
    findings = _parse(SIMPLE_REPORT)
    # then: vulnerable results (VE, VV, VP) only, with Host Up and open ports as in XML 2.0
    assert [(finding.title, finding.severity, finding.rule_id, finding.tags[-1]) for finding in findings] == [
        ("generic-icmp-timestamp", Severity.MEDIUM, "generic-icmp-timestamp", "instances:2"),
        ("Host Up", Severity.INFO, "host-up", "instances:2"),
        ("Open port UDP/123", Severity.INFO, "open-port", "instances:1"),
        ("ntpd-crypto", Severity.MEDIUM, "ntpd-crypto", "instances:1"),
        ("ntp-clock-variables-disclosure", Severity.MEDIUM, "ntp-clock-variables-disclosure", "instances:1"),
        ("Open port TCP/443", Severity.INFO, "open-port", "instances:1"),
    ]
    icmp, host_up, ntp_port, crypto, _disclosure, https_port = findings
    assert icmp.location.host == "192.0.2.10"
    assert icmp.location.port is None
    assert icmp.advisory_ids == ("CVE-1999-0524",)
    assert icmp.references == ("https://example.org/icmp",)
    assert icmp.description == (
        "Nexpose vulnerability check generic-icmp-timestamp; the Simple XML export does not describe it."
    )
    assert icmp.evidence == (
        "vulnerable-exploited\nFingerprint: Ubuntu Linux 20.04\n\n"
        "Other instances (1):\n- 192.0.2.11: vulnerable-exploited"
    )
    assert host_up.evidence == "Fingerprint: Ubuntu Linux 20.04\n\nOther instances (1):\n- 192.0.2.11"
    assert ntp_port.evidence == 'udp/123 port is open with "NTP" service\nFingerprint: NTP 4.2.6'
    assert crypto.advisory_ids == ("CVE-2009-1252",)
    assert crypto.references == ("http://bugs.ntp.org/1151",)
    assert crypto.description.endswith("\nReferences: BID-35017, SECUNIA-35137")
    assert crypto.evidence == "vulnerable-version\nFingerprint: NTP 4.2.6"
    assert (crypto.location.port, crypto.location.protocol, crypto.location.component) == (123, "udp", "NTP")
    assert crypto.tags == ("service:ntp", "instances:1")
    assert crypto.remediation == ""
    assert crypto.cvss_v3_score is None
    assert https_port.evidence == 'tcp/443 port is open with "HTTPS" service\nFingerprint: nginx 1.18.0'


def test_simple_xml_and_xml_2_0_key_a_finding_alike() -> None:
    # given: the same checks on the same places, in each export
    simple = b"""<NeXposeSimpleXML version="1.0"><devices><device address="192.0.2.10">
        <vulnerabilities><vulnerability id="generic-icmp-timestamp" resultCode="VE"/></vulnerabilities>
        <services><service name="HTTPS" port="443" protocol="tcp"><vulnerabilities>
          <vulnerability id="tls-weak" resultCode="VV"/>
        </vulnerabilities></service></services>
      </device></devices></NeXposeSimpleXML>"""
    # when
    export_keys = {
        f"{finding.rule_id}:{finding.location.port}": finding.fingerprint for finding in _parse(REPORT)
    }
    simple_keys = {
        f"{finding.rule_id}:{finding.location.port}": finding.fingerprint for finding in _parse(simple)
    }
    # then: a team moving from one export to the other gets no duplicates
    assert simple_keys == export_keys


def test_empty_simple_xml_has_no_findings() -> None:
    report = (
        b'<?xml version="1.0"?>\n<NeXposeSimpleXML version="1.0"><generated>20240301T101500123</generated>'
    )
    report += b"<devices></devices></NeXposeSimpleXML>"
    assert detect_format(report).name == "nexpose"
    assert _parse(report) == []


@pytest.mark.parametrize(
    ("report", "message", "position"),
    [
        (
            b"<NeXposeSimpleXML><devices><device address='192.0.2.1'/><device/></devices></NeXposeSimpleXML>",
            "device has no address",
            "devices.device[1]",
        ),
        (
            b"<NeXposeSimpleXML><devices><device address='192.0.2.1'><services>"
            b"<service name='HTTP' port='80' protocol='tcp'/><service name='x' port='http' protocol='tcp'/>"
            b"</services></device></devices></NeXposeSimpleXML>",
            "service has no valid port",
            "devices.device[0].service[1]",
        ),
        (
            b'<NeXposeSimpleXML version="1.0">\n<devices>\n<device address="192.0.2.1">\n</devices>',
            "invalid XML: mismatched tag",
            "line 4, column 2",
        ),
    ],
)
def test_malformed_simple_xml_is_refused_naming_the_place(report: bytes, message: str, position: str) -> None:
    with pytest.raises(MalformedReport) as error:
        _parse(report)
    assert message in error.value.reason
    assert error.value.position == position
