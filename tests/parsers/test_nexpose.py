"""Nexpose XML Export 2.0."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format
from bastion.parsers.nexpose import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "nexpose"

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
    assert PARSER.detect(b"<NessusClientData_v2>") == 0


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
