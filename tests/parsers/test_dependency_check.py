"""OWASP Dependency-Check XML: schema 1.x and 2.x, suppressed vulnerabilities, fingerprints."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "dependency_check"
PARSER = get_parser("dependency_check")

REPORT = """<?xml version="1.0"?>
<analysis xmlns="https://jeremylong.github.io/DependencyCheck/dependency-check.4.0.xsd">
  <scanInfo><engineVersion>9.0.9</engineVersion></scanInfo>
  <projectInfo><name>shop</name><reportDate>2024-01-01</reportDate><credits>NVD</credits></projectInfo>
  <dependencies>
    <dependency isVirtual="false">
      <fileName>jackson-databind-2.9.9.jar</fileName>
      <filePath>{path}/jackson-databind-2.9.9.jar</filePath>
      <identifiers>
        <package confidence="HIGH">
          <id>pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.9</id>
        </package>
      </identifiers>
      <vulnerabilities>
        <vulnerability source="NVD">
          <name>CVE-2019-12384</name>
          <severity>MEDIUM</severity>
          <cvssV3>
            <baseScore>5.9</baseScore><attackVector>NETWORK</attackVector><attackComplexity>HIGH</attackComplexity>
            <privilegesRequired>NONE</privilegesRequired><userInteraction>NONE</userInteraction>
            <scope>UNCHANGED</scope><confidentialityImpact>HIGH</confidentialityImpact>
            <integrityImpact>NONE</integrityImpact><availabilityImpact>NONE</availabilityImpact>
            <baseSeverity>MEDIUM</baseSeverity><version>3.1</version>
          </cvssV3>
          <cwes><cwe>CWE-502</cwe></cwes>
          <description>{description}</description>
        </vulnerability>
        <vulnerability source="NVD">
          <name>CVE-2019-14379</name>
          <cvssV2><score>7.5</score><severity>HIGH</severity></cvssV2>
          <description>Another one.</description>
        </vulnerability>
      </vulnerabilities>
    </dependency>
  </dependencies>
</analysis>
"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def test_schema_2_vulnerability_details() -> None:
    # when
    findings = _sample("version-6.5.3.xml")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "CVE-2020-9488 in log4j-api:2.12.4"
    assert finding.severity == Severity.LOW
    assert finding.tool == "dependency_check"
    assert finding.tool_version == "6.5.3"
    assert finding.rule_id == "CVE-2020-9488"
    assert finding.advisory_ids == ("CVE-2020-9488",)
    assert finding.cwe_ids == (295,)
    assert finding.cvss_v3_vector == "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N"
    assert finding.cvss_v3_score == 3.7
    assert finding.location.package == "log4j-api"
    assert finding.location.package_version == "2.12.4"
    assert finding.location.fixed_version == "2.13.2"
    assert finding.location.file_path == (
        "/home/damien/vulnerabilities/apache-log4j-2.12.4-bin/log4j-api-2.12.4.jar"
    )
    assert finding.remediation == "Upgrade log4j-api to 2.13.2 or later."
    assert finding.tags == ("source:nvd",)


def test_schema_1_vulnerability_uses_the_maven_identifier() -> None:
    # when
    findings = _sample("single_vuln.xml")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "CVE-0000-0001 in library:6.7.8"
    assert finding.severity == Severity.MEDIUM  # "Moderate"
    assert finding.cwe_ids == ()  # "CWE-00 Bad Vulnerability" names no real CWE
    assert finding.location.package == "library"
    assert finding.location.package_version == "6.7.8"
    assert finding.references == (
        "http://localhost/badvulnerability.htm",
        "http://localhost2/reference_for_badvulnerability.pdf",
    )


def test_suppressed_vulnerabilities_are_yielded_and_tagged() -> None:
    # when
    findings = _sample("PR6439.xml")
    # then
    assert len(findings) == 34
    assert sum("suppressed" in finding.tags for finding in findings) == 8
    assert len({finding.fingerprint for finding in findings}) == 34


def test_severity_prefers_the_report_rating_then_cvss() -> None:
    # when
    findings = _parse(REPORT.format(path="/build/1", description="Gadget.").encode())
    # then
    assert [(finding.rule_id, finding.severity) for finding in findings] == [
        ("CVE-2019-12384", Severity.MEDIUM),
        ("CVE-2019-14379", Severity.HIGH),
    ]
    assert findings[0].cvss_v3_vector == "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"
    assert findings[0].cvss_v3_score == 5.9
    assert findings[0].tool_version == "9.0.9"


def test_fingerprint_ignores_build_paths_and_descriptions() -> None:
    # given: two runs in different build directories, the NVD text reworded
    first = _parse(REPORT.format(path="/build/1", description="Gadget.").encode())
    second = _parse(REPORT.format(path="/build/2", description="Gadget chain.").encode())
    # then
    assert [finding.fingerprint for finding in first] == [finding.fingerprint for finding in second]
    assert first[0].fingerprint != first[1].fingerprint


def test_detects_by_namespace() -> None:
    assert PARSER.detect((SAMPLES / "single_vuln.xml").read_bytes()) == 100
    assert PARSER.detect(b'<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.4"/>') == 0


def test_truncated_report_is_refused() -> None:
    data = (SAMPLES / "single_vuln.xml").read_bytes()[:2000]
    with pytest.raises(MalformedReport, match="invalid XML"):
        list(parse_report(io.BytesIO(data), format_name="dependency_check")[1])


def test_doctype_is_refused() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE analysis [<!ENTITY x "y">]><analysis>&x;</analysis>'
    with pytest.raises(MalformedReport, match="DOCTYPE and entities are not allowed"):
        list(parse_report(io.BytesIO(data), format_name="dependency_check")[1])


PREFIXED_REPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<ns0:analysis xmlns:ns0="https://jeremylong.github.io/DependencyCheck/dependency-check.2.5.xsd">
  <ns0:scanInfo><ns0:engineVersion>7.3.0</ns0:engineVersion></ns0:scanInfo>
  <ns0:dependencies>
    <ns0:dependency isVirtual="false">
      <ns0:fileName>quiet-1.0.jar</ns0:fileName>
      <ns0:evidenceCollected>
        <ns0:evidence type="vendor"><ns0:value><![CDATA[<ns0:vulnerability>]]></ns0:value></ns0:evidence>
      </ns0:evidenceCollected>
      <ns0:identifiers><ns0:vulnerabilityIds><ns0:id>cpe:/a:quiet:quiet:1.0</ns0:id></ns0:vulnerabilityIds>
      </ns0:identifiers>
    </ns0:dependency>
    <ns0:dependency isVirtual="false">
      <ns0:fileName>loud-2.0.jar</ns0:fileName>
      <ns0:evidenceCollected>
        <ns0:evidence type="vendor"><ns0:value>loud</ns0:value></ns0:evidence>
      </ns0:evidenceCollected>
      <ns0:vulnerabilities>
        <ns0:vulnerability source="NVD">
          <ns0:name>CVE-2024-0001</ns0:name>
          <ns0:severity>HIGH</ns0:severity>
          <ns0:references><ns0:reference><ns0:url>https://example.com/a?b=1</ns0:url></ns0:reference>
          </ns0:references>
          <ns0:vulnerableSoftware>
            <ns0:software vulnerabilityIdMatched="true" versionEndExcluding="2.1">cpe:x</ns0:software>
          </ns0:vulnerableSoftware>
        </ns0:vulnerability>
      </ns0:vulnerabilities>
      <ns0:suppressedVulnerabilities>
        <ns0:suppressedVulnerability source="NVD"><ns0:name>CVE-2024-0002</ns0:name>
        </ns0:suppressedVulnerability>
      </ns0:suppressedVulnerabilities>
    </ns0:dependency>
    <ns0:dependency isVirtual="true"><ns0:fileName>other-3.0.jar</ns0:fileName>
      <ns0:suppressedVulnerabilities>
        <ns0:suppressedVulnerability source="OSSINDEX"><ns0:name>CVE-2024-0003</ns0:name>
        </ns0:suppressedVulnerability>
      </ns0:suppressedVulnerabilities>
    </ns0:dependency>
  </ns0:dependencies>
</ns0:analysis>
"""


def test_prefixed_report_with_evidence_gives_the_vulnerable_dependencies() -> None:
    # when: the evidence and the dependency without a vulnerability are cut before parsing
    findings = _parse(PREFIXED_REPORT)
    # then
    assert [(finding.rule_id, finding.location.package, finding.tags) for finding in findings] == [
        ("CVE-2024-0001", "loud-2.0.jar", ("source:nvd",)),
        ("CVE-2024-0002", "loud-2.0.jar", ("source:nvd", "suppressed")),
        ("CVE-2024-0003", "other-3.0.jar", ("source:ossindex", "suppressed")),
    ]
    assert findings[0].location.fixed_version == "2.1"
    assert findings[0].references == ("https://example.com/a?b=1",)
    assert findings[0].tool_version == "7.3.0"


def test_a_broken_tag_after_the_evidence_is_refused_on_its_line() -> None:
    data = PREFIXED_REPORT.replace(b"<ns0:fileName>loud-2.0.jar", b"<ns0:fileName loud-2.0.jar")
    with pytest.raises(MalformedReport) as raised:
        _parse(data)
    assert raised.value.position is not None
    assert raised.value.position.startswith("line 14,")
