"""Veracode: detailed XML (static, dynamic, SCA), the Findings API JSON, the SCA agent's JSON and CSV."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, get_parser

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


# `srcclr scan --json` (SCA agent), as Veracode documents it: libraries, then the
# vulnerabilities that point at them, then the vulnerable methods the project calls.
AGENT = b"""{
  "metadata" : {
    "requestDate" : "2024-07-11T16:52:30.148+00:00"
  },
  "records" : [ {
    "metadata" : {
      "recordType" : "SCAN",
      "report" : "https://sca.analysiscenter.veracode.com/workspaces/Abcdef1/projects/123/scans/4567"
    },
    "graphs" : [ {
      "coords" : {
        "coordinateType" : "MAVEN",
        "coordinate1" : "com.example",
        "coordinate2" : "shop",
        "version" : "1.0-SNAPSHOT",
        "scope" : null,
        "platform" : null
      },
      "directs" : [ ],
      "filename" : "pom.xml",
      "lineNumber" : null,
      "moduleName" : null,
      "sha1" : null,
      "sha2" : null,
      "bytecodeHash" : null
    } ],
    "libraries" : [ {
      "name" : "Spring Web",
      "description" : "Spring Web",
      "author" : null,
      "authorUrl" : "https://github.com/spring-projects/spring-framework",
      "language" : "JAVA",
      "coordinateType" : "MAVEN",
      "coordinate1" : "org.springframework",
      "coordinate2" : "spring-web",
      "bugTrackerUrl" : null,
      "codeRepoType" : null,
      "codeRepoUrl" : "https://github.com/spring-projects/spring-framework",
      "latestRelease" : "6.1.10",
      "latestReleaseDate" : "2024-06-13T00:00:00.000+00:00",
      "versions" : [ {
        "version" : "3.1.1.RELEASE",
        "releaseDate" : "2012-02-16T23:42:42.000+00:00",
        "sha1" : "7b18bbab94119e8ae322e8599c067c4f4b3701f6",
        "sha2" : "3dec7f701d26548f11b4116bcd1d2d4ecba307519c3d0b8fdd585604645fc71e",
        "bytecodeHash" : "6851528664b5a6940d31da2eba57aebd4d8aaa398757c3de1bc1af87dff30d5a",
        "platform" : "",
        "licenses" : [ {
          "name" : "APACHE20",
          "license" : "Apache License 2.0 (Apache-2.0)",
          "fromParentPom" : false
        } ],
        "_links" : {
          "html" : "https://sca.analysiscenter.veracode.com/vulnerability-database/libraries/1104?version=3.1.1.RELEASE"
        }
      } ],
      "_links" : {
        "html" : "https://sca.analysiscenter.veracode.com/vulnerability-database/libraries/1104"
      }
    }, {
      "name" : "requests",
      "description" : "Python HTTP for Humans.",
      "author" : null,
      "authorUrl" : null,
      "language" : "PYTHON",
      "coordinateType" : "PYPI",
      "coordinate1" : "requests",
      "coordinate2" : "",
      "bugTrackerUrl" : null,
      "codeRepoType" : null,
      "codeRepoUrl" : null,
      "latestRelease" : "2.32.3",
      "latestReleaseDate" : null,
      "versions" : [ {
        "version" : "2.19.1",
        "releaseDate" : "2018-06-14T00:00:00.000+00:00",
        "sha1" : null,
        "sha2" : null,
        "bytecodeHash" : null,
        "platform" : "",
        "licenses" : [ ],
        "_links" : {
          "html" : "https://sca.analysiscenter.veracode.com/vulnerability-database/libraries/2231?version=2.19.1"
        }
      } ],
      "_links" : {
        "html" : "https://sca.analysiscenter.veracode.com/vulnerability-database/libraries/2231"
      }
    } ],
    "vulnerabilities" : [ {
      "disclosureDate" : "2014-01-12T16:00:00.000+00:00",
      "cve" : "2014-0054",
      "title" : "XML External Entity (XXE) in Jaxb2RootElementHttpMessageConverter",
      "overview" : "Spring MVC's Jaxb2RootElementHttpMessageConverter resolves external entities.",
      "language" : "JAVA",
      "vulnerabilityTypes" : [ "XML Injection" ],
      "cvssScore" : 6.8,
      "libraries" : [ {
        "details" : [ {
          "updateToVersion" : "3.2.8.RELEASE",
          "versionRange" : "3.0.0.RELEASE-3.2.7.RELEASE",
          "fixText" : null,
          "patch" : null
        } ],
        "_links" : {
          "ref" : "/records/0/libraries/0/versions/0"
        }
      } ],
      "_links" : {
        "html" : "https://sca.analysiscenter.veracode.com/vulnerability-database/vulnerabilities/766"
      },
      "hasExploits" : false
    }, {
      "disclosureDate" : "2018-10-09T00:00:00.000+00:00",
      "cve" : null,
      "title" : "Information Disclosure",
      "overview" : "requests leaks the Authorization header on an HTTPS to HTTP redirect.",
      "language" : "PYTHON",
      "vulnerabilityTypes" : [ "Information Disclosure" ],
      "cvssScore" : 5.0,
      "libraries" : [ {
        "details" : [ {
          "updateToVersion" : "2.20.0",
          "versionRange" : "0.0.1-2.19.1",
          "fixText" : "",
          "patch" : "https://github.com/psf/requests/commit/c45d7c49ea75133e52ab22a8e9e13173938e36ff"
        } ],
        "_links" : {
          "ref" : "/records/0/libraries/1/versions/0"
        }
      } ],
      "_links" : {
        "html" : "https://sca.analysiscenter.veracode.com/vulnerability-database/vulnerabilities/7453"
      },
      "hasExploits" : true
    } ],
    "unmatchedLibraries" : [ ],
    "vulnMethods" : [ {
      "calls" : [ {
        "method" : {
          "className" : "SessionRedirectMixin",
          "descriptor" : null,
          "id" : null,
          "methodName" : "resolve_redirects",
          "moduleName" : ".requests.sessions"
        },
        "callChains" : [ [ {
          "callee" : {
            "className" : "SessionRedirectMixin",
            "descriptor" : null,
            "id" : null,
            "methodName" : "resolve_redirects",
            "moduleName" : ".requests.sessions"
          },
          "caller" : {
            "className" : null,
            "descriptor" : null,
            "id" : null,
            "methodName" : null,
            "moduleName" : ".main"
          },
          "fileName" : "main.py",
          "internal" : true,
          "lineNumber" : 10
        } ] ]
      } ],
      "links" : [ {
        "ref" : "/records/0/libraries/1/versions/0"
      } ]
    } ]
  } ]
}
"""

# The agent-based scan's issues export (CSV): its documented columns, in its order.
CSV_COLUMNS = tuple(
    "Issue ID|Issue type|Ignored|Status|Project ID|Library|Version in use|Library release date|"
    "Package manager|Coordinate 1|Coordinate 2|Latest version|Latest release date|Project|Branch|"
    "Tag|Issue opened: Scan ID|Issue opened: Scan date|Issue fixed: Scan ID|"
    "Issue fixed: Scan date|Dependency (Transitive or Direct)|Scan|Scan date|Vulnerability ID|"
    "Title|CVSS score|Severity|CVE|Public or Veracode Customer Access|Disclosure date|"
    "Has vulnerable methods|Number of vulnerable methods|Updated release date|Release date|"
    "Updated Version|License|License Risk".split("|")
)
SPRING = {
    "Issue ID": "131000001",
    "Issue type": "Vulnerability",
    "Ignored": "false",
    "Status": "Open",
    "Project ID": "412001",
    "Library": "Spring Web",
    "Version in use": "3.1.1.RELEASE",
    "Package manager": "MAVEN",
    "Coordinate 1": "org.springframework",
    "Coordinate 2": "spring-web",
    "Latest version": "6.1.10",
    "Project": "example/shop",
    "Branch": "main",
    "Dependency (Transitive or Direct)": "Direct",
    "Scan date": "11 Jul 2024 16:52PM GMT",
    "Vulnerability ID": "766",
    "Title": "XML External Entity (XXE) in Jaxb2RootElementHttpMessageConverter",
    "CVSS score": "6.8",
    "Severity": "Medium",
    "CVE": "2014-0054",
    "Public or Veracode Customer Access": "Public Disclosure",
    "Has vulnerable methods": "false",
    "Number of vulnerable methods": "0",
}
REQUESTS = {
    **SPRING,
    "Issue ID": "131000002",
    "Ignored": "true",
    "Library": "requests",
    "Version in use": "2.19.1",
    "Package manager": "PYPI",
    "Coordinate 1": "requests",
    "Coordinate 2": "",
    "Dependency (Transitive or Direct)": "Transitive",
    "Vulnerability ID": "7453",
    "Title": "Information Disclosure",
    "CVSS score": "5.0",
    "CVE": "",
    "Public or Veracode Customer Access": "Veracode Customer Access",
    "Has vulnerable methods": "true",
    "Number of vulnerable methods": "1",
    "Updated Version": "2.20.0",
}
COMMONS_TEXT = {
    **SPRING,
    "Issue ID": "131000003",
    "Library": "Apache Commons Text",
    "Version in use": "1.9",
    "Coordinate 1": "org.apache.commons",
    "Coordinate 2": "commons-text",
    "Vulnerability ID": "38125",
    "Title": "Remote Code Execution (RCE)",
    "CVSS score": "9.8",
    "Severity": "Very High",
    "CVE": "2022-42889",
    "Updated Version": "1.10.0",
}
OUTDATED = {
    **SPRING,
    "Issue ID": "131000004",
    "Issue type": "Outdated Library",
    "Vulnerability ID": "",
    "Title": "",
    "CVSS score": "",
    "Severity": "",
    "CVE": "",
}
RESOLVED = {**COMMONS_TEXT, "Issue ID": "131000005", "Status": "Resolved", "Version in use": "1.8"}


def _csv(*rows: dict[str, str]) -> bytes:
    """Write rows as Veracode exports them: every cell quoted, a header row first."""
    lines = [CSV_COLUMNS, *([row.get(column, "") for column in CSV_COLUMNS] for row in rows)]
    return "".join(",".join(f'"{cell}"' for cell in line) + "\r\n" for line in lines).encode()


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


def test_sca_agent_json_fields() -> None:
    # when
    spring, requests = _parse(AGENT)
    # then: one finding per vulnerability and library, the library found by its pointer
    assert spring.title == "CVE-2014-0054 in spring-web:3.1.1.RELEASE"
    assert spring.severity == Severity.MEDIUM  # cvssScore 6.8
    assert spring.rule_id == "CVE-2014-0054"
    assert spring.advisory_ids == ("CVE-2014-0054",)
    assert spring.cvss_v3_score is None  # cvssScore is CVSS v2: kept in the description
    assert spring.description == (
        "XML External Entity (XXE) in Jaxb2RootElementHttpMessageConverter\n\n"
        "Spring MVC's Jaxb2RootElementHttpMessageConverter resolves external entities.\n\n"
        "Library: Spring Web (org.springframework:spring-web)\n"
        "Vulnerable versions: 3.0.0.RELEASE-3.2.7.RELEASE\n"
        "Vulnerability types: XML Injection\n"
        "CVSS score: 6.8\n"
        "Disclosed: 2014-01-12T16:00:00.000+00:00"
    )
    assert (
        spring.location.package,
        spring.location.package_version,
        spring.location.fixed_version,
        spring.location.component,
    ) == ("spring-web", "3.1.1.RELEASE", "3.2.8.RELEASE", "org.springframework:spring-web")
    assert spring.remediation == "Upgrade spring-web to 3.2.8.RELEASE or later."
    assert spring.references == (
        "https://sca.analysiscenter.veracode.com/vulnerability-database/vulnerabilities/766",
        "https://sca.analysiscenter.veracode.com/vulnerability-database/libraries/1104",
    )
    assert spring.evidence == ""
    assert spring.tags == ("sca", "language:java")
    # a vulnerability without a CVE is named by its title and Veracode's id
    assert requests.title == "Information Disclosure in requests:2.19.1"
    assert requests.rule_id == "SRCCLR-SID-7453"
    assert requests.advisory_ids == ()
    assert requests.location.component == "requests"
    assert requests.remediation == (
        "Upgrade requests to 2.20.0 or later.\n"
        "Patch: https://github.com/psf/requests/commit/c45d7c49ea75133e52ab22a8e9e13173938e36ff"
    )
    # the vulnerable methods, written after the vulnerabilities, linked by library version
    assert requests.evidence == (
        "Vulnerable methods of this library version that the project calls:\n"
        "- SessionRedirectMixin.resolve_redirects (called from main.py:10)"
    )
    assert requests.tags == ("sca", "language:python", "exploit-available", "vulnerable-method")


def test_sca_agent_json_with_its_keys_sorted_reads_the_same() -> None:
    # given: the same report through `jq -S` (vulnerable methods before the vulnerabilities)
    document = json.dumps(json.loads(AGENT), sort_keys=True).encode()
    # when
    findings = _parse(document)
    # then
    assert findings == _parse(AGENT)


def test_sca_agent_json_with_libraries_after_the_vulnerabilities() -> None:
    # given: a report whose libraries were moved after the vulnerabilities that point at them
    document = json.loads(AGENT)
    record = document["records"][0]
    record["libraries"] = record.pop("libraries")
    # when
    findings = _parse(json.dumps(document).encode())
    # then
    assert findings == _parse(AGENT)


def test_sca_agent_csv_fields() -> None:
    # when
    spring, requests, commons_text = _parse(_csv(SPRING, REQUESTS, COMMONS_TEXT, OUTDATED, RESOLVED))
    # then: the outdated-library issue and the resolved vulnerability make no finding
    assert spring.title == "CVE-2014-0054 in spring-web:3.1.1.RELEASE"
    assert spring.severity == Severity.MEDIUM
    assert spring.tool_finding_id == "131000001"
    assert spring.advisory_ids == ("CVE-2014-0054",)
    assert spring.description == (
        "XML External Entity (XXE) in Jaxb2RootElementHttpMessageConverter\n\n"
        "Library: Spring Web (org.springframework:spring-web)\nPackage manager: MAVEN\nCVSS score: 6.8"
    )
    assert (spring.location.package, spring.location.package_version, spring.location.component) == (
        "spring-web",
        "3.1.1.RELEASE",
        "org.springframework:spring-web",
    )
    assert spring.tags == ("sca", "dependency:direct")
    assert requests.rule_id == "SRCCLR-SID-7453"
    assert (requests.location.package, requests.location.fixed_version) == ("requests", "2.20.0")
    assert requests.remediation == "Upgrade requests to 2.20.0 or later."
    assert requests.tags == ("sca", "mitigation:ignored", "dependency:transitive", "vulnerable-method")
    assert commons_text.severity == Severity.CRITICAL  # Very High
    assert commons_text.title == "CVE-2022-42889 in commons-text:1.9"


def test_sca_agent_json_and_csv_share_fingerprints() -> None:
    # when
    from_json = [finding.fingerprint for finding in _parse(AGENT)]
    from_csv = [finding.fingerprint for finding in _parse(_csv(SPRING, REQUESTS))]
    # then: a team switching export gets the same findings, not new ones
    assert from_json == from_csv
    assert len(set(from_json)) == 2


def test_sca_agent_json_with_a_dangling_library_reference_is_refused() -> None:
    # given
    broken = AGENT.replace(b'"/records/0/libraries/1/versions/0"', b'"/records/0/libraries/7/versions/0"', 1)
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(broken)
    # then
    assert caught.value.reason == "the report has no library /records/0/libraries/7/versions/0"
    assert caught.value.position == "records[0].vulnerabilities[1].libraries[0]"


def test_sca_agent_json_with_a_library_reference_of_another_shape_is_refused() -> None:
    # given
    broken = AGENT.replace(b'"ref" : "/records/0/libraries/0/versions/0"', b'"ref" : "libraries/0"', 1)
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(broken)
    # then
    assert caught.value.reason == (
        "the vulnerability's library has no reference such as /records/0/libraries/1"
    )
    assert caught.value.position == "records[0].vulnerabilities[0].libraries[0]"


def test_sca_agent_json_broken_in_a_vulnerability_is_refused_with_its_place() -> None:
    # given: a literal cut short in the second vulnerability
    broken = AGENT.replace(b'"hasExploits" : true', b'"hasExploits" : tru')
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(broken)
    # then: named by the main pass, not by the pass that looks for the vulnerable methods
    assert caught.value.reason.startswith("invalid JSON")
    assert caught.value.position == "records[0].vulnerabilities[1]"


def test_sca_agent_json_vulnerability_of_another_shape_is_refused() -> None:
    # given
    document = json.loads(AGENT)
    document["records"][0]["vulnerabilities"][1]["libraries"] = "requests"
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(json.dumps(document).encode())
    # then
    assert caught.value.reason == "expected an array, found str"
    assert caught.value.position == "records[0].vulnerabilities[1].libraries"


def test_sca_agent_csv_row_of_another_width_is_refused() -> None:
    # given
    broken = _csv(SPRING) + b'"131000009","Vulnerability","false"\r\n'
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(broken)
    # then
    assert caught.value.reason == "row has 3 fields where the header has 37"
    assert caught.value.position == "line 3"


def test_sca_agent_reports_without_vulnerabilities_have_no_findings() -> None:
    # given
    empty_scan = (
        b'{"metadata": {"requestDate": "2024-07-11T16:52:30.148+00:00"}, "records": [{"metadata": '
        b'{"recordType": "SCAN"}, "graphs": [], "libraries": [], "vulnerabilities": [], "vulnMethods": []}]}'
    )
    # then
    assert _parse(empty_scan) == []
    assert _parse(b'{"metadata": {}, "records": []}') == []
    assert _parse(_csv()) == []
    assert _parse(_csv(OUTDATED)) == []


def test_sca_agent_detection() -> None:
    assert PARSER.detect(AGENT) == 90
    assert PARSER.detect(_csv(SPRING)) == 95
    assert detect_format(AGENT).name == "veracode"
    assert detect_format(_csv(SPRING)).name == "veracode"
    # the other variants keep their scores
    assert PARSER.detect(DYNAMIC) == 100
    assert PARSER.detect(b'{"_embedded": {"findings": [{"issue_id": 1}]}}') == 85
    # and other tools' JSON and CSV reports are not taken for the agent's
    for neighbour in (
        "wiz/sca_format.csv",
        "blackduck/many_vulns.csv",
        "sysdig_reports/sysdig-2025.csv",
        "twistlock/scan_report_prisma_twistlock_images_no_vuln.csv",
        "snyk/all-projects_many_vulns.json",
        "checkmarx_one/vulnerabilities_from_scan_results.json",
    ):
        assert PARSER.detect((SAMPLES.parent / neighbour).read_bytes()[:65536]) == 0, neighbour
