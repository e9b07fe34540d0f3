"""Veracode: detailed XML (static, dynamic, SCA) and the Findings API JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "veracode"
PARSER = get_parser("veracode")

DYNAMIC = b"""<?xml version="1.0" encoding="UTF-8"?>
<detailedreport xmlns="https://www.veracode.com/schema/reports/export/1.0" app_id="9"
 report_format_version="1.5">
 <severity level="4"><category categoryid="19" categoryname="SQL Injection">
  <recommendations><para text="Use parameterized queries."><bulletitem text="Validate input."/></para>
  </recommendations>
  <cwe cweid="89"><dynamicflaws>
   <flaw severity="4" categoryname="SQL Injection" issueid="77" cweid="89" url="https://app.example:8443/search"
         vuln_parameter="q" description="Injection in q. References: CWE (http://cwe.mitre.org/data/definitions/89.html)"
         remediation_status="Open" mitigation_status="none" affects_policy_compliance="true"/>
  </dynamicflaws></cwe>
  <cwe cweid="564"><dynamicflaws>
   <flaw severity="4" categoryname="SQL Injection" issueid="77" cweid="564" url="https://app.example:8443/search"/>
  </dynamicflaws></cwe>
 </category></severity>
</detailedreport>
"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def test_static_flaw_fields() -> None:
    # when
    findings = _sample("veracode_scan_changed_severity.xml")
    # then
    assert len(findings) == 7
    first = findings[0]
    assert first.title == "Information Exposure Through Sent Data"
    assert first.severity == Severity.LOW
    assert first.cwe_ids == (201,)
    assert first.rule_id == "CWE-201"
    assert first.tool_finding_id == "18"
    assert (first.location.file_path, first.location.line_start) == ("/devTools/utility.jsp", 279)
    assert first.location.component == "bogus-services-client-web-1.1.15-SNAPSHOT.war"
    assert first.references == (
        "http://cwe.mitre.org/data/definitions/201.html",
        "http://webappsec.pbworks.com/Information-Leakage",
    )
    assert first.remediation.startswith("Apply robust input filtering for all user-supplied data")
    assert first.tags == ("sast",)


def test_mitigated_fixed_flaw_keeps_its_state() -> None:
    # when
    (finding,) = _sample("mitigated_fixed_finding.xml")
    # then
    assert finding.severity == Severity.MEDIUM
    assert finding.location.file_path == "sourcefilepath/MyApp.java"
    assert finding.remediation == "Problem text\n- Bullet text"
    assert finding.tags == ("sast", "mitigation:accepted", "remediation:fixed")


def test_sca_component_vulnerability() -> None:
    # when
    (finding,) = _sample("veracode_maven.xml")
    # then
    assert finding.title == "CVE-2022-41852 in commons-jxpath:1.3"
    assert finding.severity == Severity.CRITICAL
    assert finding.advisory_ids == ("CVE-2022-41852",)
    assert finding.cvss_v3_score == 9.8
    assert (finding.location.package, finding.location.package_version) == ("commons-jxpath", "1.3")
    assert (
        finding.location.file_path
        == "bogus-services-1.1.15-SNAPSHOT.war#zip:WEB-INF/lib/commons-jxpath-1.3.jar"
    )


def test_dynamic_flaw_listed_under_two_cwes_is_one_finding() -> None:
    # when
    (finding,) = _parse(DYNAMIC)
    # then
    assert finding.severity == Severity.HIGH
    assert finding.location.url == "https://app.example:8443/search"
    assert finding.location.host == "app.example"
    assert finding.location.parameter == "q"
    assert finding.location.file_path is None
    assert finding.remediation == "Use parameterized queries.\n- Validate input."
    assert finding.tags == ("dast", "policy-violation")
    assert finding.description == "Injection in q."


def test_json_findings_api_static_sca_and_closed() -> None:
    # given: the Findings API v2 answer, as documented
    document = {
        "_embedded": {
            "findings": [
                {
                    "issue_id": 18,
                    "scan_type": "STATIC",
                    "description": "<span>Sensitive data is sent.</span> <span>References: "
                    '<a href="https://cwe.mitre.org/data/definitions/201.html">CWE</a></span>',
                    "count": 1,
                    "violates_policy": True,
                    "finding_status": {"status": "OPEN", "resolution": "UNRESOLVED", "new": False},
                    "finding_details": {
                        "severity": 2,
                        "cwe": {"id": 201, "name": "Information Exposure Through Sent Data"},
                        "finding_category": {"id": 8, "name": "Information Leakage"},
                        "file_path": "devTools/utility.jsp",
                        "file_line_number": 279,
                        "module": "web.war",
                    },
                },
                {
                    "issue_id": 99,
                    "scan_type": "SCA",
                    "finding_status": {"status": "OPEN"},
                    "finding_details": {
                        "severity": 4,
                        "component_id": "47c2f2ee",
                        "component_filename": "commons-text-1.9.jar",
                        "version": "1.9",
                        "cve": {
                            "name": "CVE-2022-42889",
                            "cvss": 9.8,
                            "cvss3": {"vector": "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                        },
                        "component_path": [{"path": "lib/commons-text-1.9.jar"}],
                    },
                },
                {
                    "issue_id": 5,
                    "scan_type": "STATIC",
                    "finding_status": {"status": "CLOSED"},
                    "finding_details": {"severity": 5},
                },
            ]
        }
    }
    # when
    static, sca = _parse(json.dumps(document).encode())
    # then
    assert static.title == "Information Leakage"
    assert static.severity == Severity.LOW
    assert static.cwe_ids == (201,)
    assert (static.location.file_path, static.location.line_start) == ("devTools/utility.jsp", 279)
    assert static.references == ("https://cwe.mitre.org/data/definitions/201.html",)
    assert static.tags == ("static", "policy-violation")
    assert sca.title == "CVE-2022-42889 in commons-text.jar:1.9"
    assert sca.severity == Severity.HIGH
    assert sca.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert sca.cvss_v3_score == 9.8
    assert sca.location.package_version == "1.9"


def test_static_flaw_has_the_same_fingerprint_in_xml_and_json() -> None:
    # given
    xml = _sample("veracode_scan_changed_severity.xml")[0]
    document = {"findings": [{"issue_id": 18, "scan_type": "STATIC", "finding_details": {"severity": 2}}]}
    # when
    (from_json,) = _parse(json.dumps(document).encode())
    # then
    assert from_json.fingerprint == xml.fingerprint


def test_flaw_without_issueid_is_refused() -> None:
    # given
    broken = DYNAMIC.replace(b'issueid="77" cweid="89"', b'cweid="89"')
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(broken)
    # then
    assert caught.value.reason == "the flaw has no issueid"
    assert caught.value.position == "flaw[0]"


def test_json_without_findings_is_refused() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"page": {"total_elements": 0}}')
    assert caught.value.reason == "the report has no 'findings'; it may be another tool's report"


def test_detection() -> None:
    assert PARSER.detect((SAMPLES / "mitigated_fixed_finding.xml").read_bytes()) == 100
    assert (
        PARSER.detect(b'{"findings": [{"issue_id": 1, "scan_type": "STATIC", "finding_details": {}}]}') == 90
    )
    for neighbour in (
        "checkmarx/multiple_findings.xml",
        "fortify/issue6082.xml",
        "hcl_appscan/issue_9279.xml",
    ):
        assert PARSER.detect((SAMPLES.parent / neighbour).read_bytes()[:65536]) == 0, neighbour
