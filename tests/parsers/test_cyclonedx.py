"""CycloneDX BOMs: JSON and XML vulnerabilities, the 1.0 extension, VEX states, fingerprints."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "cyclonedx"
PARSER = get_parser("cyclonedx")

# Vulnerabilities written before the components they affect; VEX states on two of them.
VEX_JSON = b"""{
  "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "metadata": {"tools": {"components": [
                 {"type": "application", "name": "trivy", "version": "0.50.0"}]},
               "component": {"type": "container", "name": "shop/api:1.2", "bom-ref": "image"}},
  "vulnerabilities": [
    {"id": "CVE-2022-42003", "bom-ref": "v1",
     "ratings": [{"score": 7.5, "severity": "high", "method": "CVSSv31",
                  "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
     "cwes": [502], "references": [{"id": "GHSA-jjjh-jjxp-wpff", "source": {"url": "https://github.com/advisories/GHSA-jjjh-jjxp-wpff"}}],
     "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
     "affects": [{"ref": "jackson-2.13"}, {"ref": "jackson-2.12"}]},
    {"id": "CVE-2023-0001", "bom-ref": "v2", "ratings": [],
     "analysis": {"state": "false_positive"},
     "affects": [{"ref": "pkg:npm/%40angular/core@15.0.0"}]}
  ],
  "components": [
    {"type": "library", "bom-ref": "jackson-2.13", "group": "com.fasterxml.jackson.core",
     "name": "jackson-databind", "version": "2.13.3",
     "purl": "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.3?type=jar"},
    {"type": "library", "bom-ref": "jackson-2.12", "group": "com.fasterxml.jackson.core",
     "name": "jackson-databind", "version": "2.12.1",
     "purl": "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.12.1"}
  ]
}"""

XML_14 = b"""<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
  <metadata>
    <tools><tool><vendor>OWASP</vendor><name>Dependency-Track</name><version>4.8.0</version></tool></tools>
    <component type="application"><name>shop</name><version>2.0</version></component>
  </metadata>
  <components>
    <component type="library" bom-ref="c1">
      <group>org.yaml</group><name>snakeyaml</name><version>1.33</version>
      <purl>pkg:maven/org.yaml/snakeyaml@1.33</purl></component>
  </components>
  <vulnerabilities>
    <vulnerability bom-ref="v1">
      <id>CVE-2022-1471</id>
      <source><name>NVD</name><url>https://nvd.nist.gov/vuln/detail/CVE-2022-1471</url></source>
      <ratings><rating><score>8.3</score><severity>high</severity><method>CVSSv31</method>
        <vector>AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:L</vector></rating></ratings>
      <cwes><cwe>502</cwe><cwe>20</cwe></cwes>
      <description>SnakeYaml Constructor deserialization.</description>
      <recommendation>Upgrade to 2.0.</recommendation>
      <analysis><state>exploitable</state></analysis>
      <affects><target><ref>c1</ref></target></affects>
    </vulnerability>
  </vulnerabilities>
</bom>"""


class _OneWayStream(io.BytesIO):
    """A stream that cannot seek, like a socket or a pipe."""

    def seekable(self) -> bool:
        return False


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def test_json_bom_vulnerability_details() -> None:
    # when
    findings = _sample("log4j.json")
    # then
    assert len(findings) == 8
    first = findings[0]
    assert first.title == "CVE-2021-44228 in log4j-core:2.13.2"
    assert first.severity == Severity.CRITICAL
    assert first.tool == "cyclonedx"
    assert first.tool_version == "grype 0.41.0"
    assert first.rule_id == "CVE-2021-44228"
    assert first.advisory_ids == ("CVE-2021-44228",)
    assert first.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"
    assert first.cvss_v3_score == 10.0
    assert first.location.package == "log4j-core"
    assert first.location.package_version == "2.13.2"
    assert (
        first.location.component
        == "./configuration/.m2/repository/org/apache/logging/log4j/log4j-core/2.13.2"
    )
    assert first.tags == ("vex:in_triage",)
    assert first.references[0] == "http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2021-44228"


def test_extension_vulnerability_at_the_end_of_the_bom_resolves_its_ref() -> None:
    # when
    findings = _sample("spec1.xml")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.severity == Severity.CRITICAL  # the CVSSv3 rating, not the OWASP one
    assert finding.cvss_v3_vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert finding.cvss_v3_score == 9.8
    assert finding.cwe_ids == (184, 502)
    assert finding.location.package == "jackson-databind"
    assert finding.location.package_version == "2.9.9"
    assert finding.remediation == "Upgrade"
    assert finding.references[0] == "https://nvd.nist.gov/vuln/detail/CVE-2018-7489"


def test_extension_vulnerabilities_inside_components_belong_to_them() -> None:
    # when
    findings = _sample("dd_1_15_0.xml")
    # then
    assert len(findings) == 381
    assert [(f.title, f.severity) for f in findings[:2]] == [
        ("CVE-2011-3374 in apt:1.8.2.1", Severity.LOW),
        ("CVE-2020-27350 in apt:1.8.2.1", Severity.MEDIUM),
    ]
    assert findings[0].location.component == "defectdojo/defectdojo-django:1.15.0"
    assert findings[0].tool_version == "grype 0.11.0"
    assert len({finding.fingerprint for finding in findings}) == 381


def test_bom_without_vulnerabilities_yields_nothing() -> None:
    assert _sample("cyclonedx_bom.xml") == []


def test_vex_states_are_kept_as_tags_and_each_affected_component_is_a_finding() -> None:
    # when
    findings = _parse(VEX_JSON)
    # then
    assert [(f.title, f.tags) for f in findings] == [
        ("CVE-2022-42003 in jackson-databind:2.13.3", ("vex:not_affected",)),
        ("CVE-2022-42003 in jackson-databind:2.12.1", ("vex:not_affected",)),
        ("CVE-2023-0001 in @angular/core:15.0.0", ("vex:false_positive",)),
    ]
    first = findings[0]
    assert first.advisory_ids == ("CVE-2022-42003", "GHSA-jjjh-jjxp-wpff")
    assert first.cwe_ids == (502,)
    assert first.tool_finding_id == "v1"
    assert first.tool_version == "trivy 0.50.0"
    assert first.location.component == "shop/api:1.2"
    assert first.description == "VEX analysis: not_affected (code_not_reachable)"
    assert findings[2].severity == Severity.MEDIUM  # no rating at all


def test_xml_spec_14_vulnerability_details() -> None:
    # when
    findings = _parse(XML_14)
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "CVE-2022-1471 in snakeyaml:1.33"
    assert finding.severity == Severity.HIGH
    assert finding.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:L"
    assert finding.cwe_ids == (502, 20)
    assert finding.tool_finding_id == "v1"
    assert finding.tool_version == "Dependency-Track 4.8.0"
    assert finding.location.component == "shop"
    assert finding.remediation == "Upgrade to 2.0."
    assert finding.references == ("https://nvd.nist.gov/vuln/detail/CVE-2022-1471",)
    assert finding.tags == ("vex:exploitable",)


def test_fingerprint_ignores_purl_qualifiers_and_keeps_versions_apart() -> None:
    # given: the same BOM rewritten with another per-scan qualifier
    rescanned = VEX_JSON.replace(b"@2.13.3?type=jar", b"@2.13.3?type=jar&package-id=42")
    # when
    first = _parse(VEX_JSON)
    second = _parse(rescanned)
    # then
    assert [f.fingerprint for f in first] == [f.fingerprint for f in second]
    assert len({f.fingerprint for f in first}) == 3


def test_stream_that_cannot_seek_is_read() -> None:
    stream = _OneWayStream(VEX_JSON)
    assert len(list(PARSER.parse(stream))) == 3


def test_detects_json_and_xml_boms() -> None:
    assert PARSER.detect(VEX_JSON) == 100
    assert PARSER.detect(XML_14) == 100
    assert PARSER.detect(b'{"dependencies": []}') == 0


def test_vulnerability_that_is_not_an_object_is_refused() -> None:
    report = b'{"bomFormat": "CycloneDX", "specVersion": "1.4", "vulnerabilities": ["CVE-2021-44228"]}'
    with pytest.raises(MalformedReport) as caught:
        list(parse_report(io.BytesIO(report), format_name="cyclonedx")[1])
    assert caught.value.reason == "expected an object, found str"
    assert caught.value.position == "vulnerabilities[0]"


def test_truncated_json_is_refused() -> None:
    with pytest.raises(MalformedReport, match="invalid JSON"):
        list(parse_report(io.BytesIO(VEX_JSON[:700]), format_name="cyclonedx")[1])
