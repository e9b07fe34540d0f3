"""Checkmarx One: the results API, the scan report (SAST, IaC, SCA), the GitLab SAST export; 64-bit ids."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "checkmarx_one"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "checkmarx_one"
PARSER = get_parser("checkmarx_one")

# The results API's answer, as the documentation and real exports show it (query ids beyond int64).
RESULTS = (VARIANTS / "results_api.json").read_bytes()


# The scan report ("Vulnerability Type" JSON) with SCA results, as Checkmarx One writes them:
# a package, its CWEs, each with its results. Query ids beyond int64 as in real reports.
SCAN_REPORT = b"""{
 "reportCreationDate": "2025-05-13T16:04:30.845619293Z",
 "reportType": "Vulnerability Type",
 "reportHeader": {"projectName": "shop/goat4shell-service", "scanners": ["SAST", "SCA"]},
 "scanInformation": {"scanId": "2ebe6e65-36fa-4a0c-8b51-6b5a14d7b7ca", "scanners": ["SAST", "SCA"]},
 "scanResults": {"totalResults": 0, "severitiesBreakdown": [], "resultsList": []},
 "iacScanResults": {"totalResults": 0, "severitiesBreakdown": [], "technology": []},
 "scaScanResults": {
  "totalResults": 3,
  "severitiesBreakdown": [{"level": "High", "value": 2}, {"level": "Medium", "value": 1}],
  "packages": [
   {
    "packageName": "org.apache.logging.log4j:log4j-core",
    "packageId": "Maven-org.apache.logging.log4j:log4j-core-2.8.2",
    "packageVersion": "2.8.2",
    "totalResults": 2,
    "packageCategory": [
     {
      "categoryName": "CWE-502",
      "totalResults": 1,
      "categoryResults": [
       {
        "resultId": "lp77cpA42saxjvgvRCkVK1YWazz8lOzAUP7CSBiG6o4=",
        "severity": "High",
        "status": "Recurrent",
        "state": "To Verify",
        "firstDetectionDate": "2025-05-08T13:10:49Z",
        "lastDetectionDate": "2025-05-08T13:10:49Z",
        "firstScanId": "2ebe6e65-36fa-4a0c-8b51-6b5a14d7b7ca",
        "outdated": true,
        "cve": "CVE-2021-45046",
        "description": "The fix for CVE-2021-44228 in Log4j 2.15.0 was incomplete.",
        "references": [
         {"url": "https://logging.apache.org/log4j/2.x/security.html", "type": "Advisory"},
         {"url": "https://github.com/advisories/GHSA-7rjr-3q55-vv33", "type": "Advisory"},
         {"url": "https://logging.apache.org/log4j/2.x/security.html", "type": "Advisory"}
        ]
       }
      ]
     },
     {
      "categoryName": "CWE-674",
      "totalResults": 1,
      "categoryResults": [
       {
        "resultId": "vcl1t+XD/l23sPWxUanY071lhpYUf5Hdm1GnHPbf7OY=",
        "severity": "Medium",
        "status": "New",
        "state": "Not Exploitable",
        "cve": "CVE-2021-45105",
        "description": "Log4j2 did not protect from uncontrolled recursion from self-referential lookups.",
        "references": []
       }
      ]
     }
    ]
   },
   {
    "packageName": "com.fasterxml.jackson.core:jackson-databind",
    "packageId": "Maven-com.fasterxml.jackson.core:jackson-databind-2.12.5",
    "packageVersion": "2.12.5",
    "totalResults": 1,
    "packageCategory": [
     {
      "categoryName": "CWE-400",
      "totalResults": 1,
      "categoryResults": [
       {
        "resultId": "uc9k/TAS5T6m7S+7e8mlXNkZoBLViu9wTaL85YcSja8=",
        "severity": "Medium",
        "status": "Recurrent",
        "state": "To Verify",
        "cve": "Cxced0c06c-935c",
        "description": "DoS is possible if using JDK serialization to serialize JsonNode values.",
        "references": [{"url": "https://github.com/FasterXML/jackson-databind/issues/3328", "type": "Issue"}]
       }
      ]
     }
    ]
   }
  ]
 },
 "vulnerabilityDetails": []
}"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_results_api_sast_sca_kics() -> None:
    # when
    sast, sca, kics = _parse(RESULTS)
    # then
    assert sast.title == "SQL Injection"
    assert sast.severity == Severity.HIGH
    assert sast.rule_id == "14517067005933136034"
    assert sast.cwe_ids == (89,)
    assert (sast.location.file_path, sast.location.line_start) == ("/src/Endpoint.java", 91)
    assert sast.evidence == "Data flow:\n1. /src/Endpoint.java:86 get\n2. /src/Endpoint.java:91 executeQuery"
    assert sast.tags == ("sast", "state:to-verify", "status:recurrent", "language:java")
    assert sca.title == "CVE-2016-10707 in jquery:2.1.4"
    assert sca.advisory_ids == ("CVE-2016-10707", "GHSA-mhpp-875w-9cpv")
    assert sca.cwe_ids == (674,)
    assert sca.cvss_v3_score == 7.5
    assert (sca.location.package, sca.location.package_version, sca.location.fixed_version) == (
        "jquery",
        "2.1.4",
        "3.5.0",
    )
    assert sca.remediation == "Upgrade jquery to 3.5.0 or later."
    assert sca.tags == ("sca", "state:not-exploitable")
    assert kics.title == "Missing User Instruction"
    assert kics.evidence == "Expected: USER is set\nActual: USER is missing"
    assert (kics.location.file_path, kics.location.line_start) == ("/Dockerfile", 1)


def test_sast_fingerprint_follows_the_similarity_id() -> None:
    # given: the same flow after lines were added above its sink
    moved = RESULTS.replace(b'"line": 91', b'"line": 97')
    # then
    assert _parse(RESULTS)[0].fingerprint == _parse(moved)[0].fingerprint


def test_scan_report_sample() -> None:
    # when
    with (SAMPLES / "vulnerabilities_from_scan_results.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert len(findings) == 146
    first = findings[0]
    assert first.title == "Reflected XSS"
    assert first.severity == Severity.HIGH
    assert first.cwe_ids == (79,)
    assert first.location.file_path == "/src/main/kotlin/br/com/123/loiskjdye/domain/entity/Customer.kt"
    assert first.location.line_start == 484
    # placeholders filled in from the result
    assert first.description.startswith(
        "The method Lambda embeds untrusted data in generated output with set,"
    )
    assert first.remediation.startswith("*   Fully encode all dynamic data")
    iac = findings[136]
    assert iac.title == "Kubernetes: Using Unrecommended Namespace"
    assert iac.tags[0] == "iac"
    assert len({finding.fingerprint for finding in findings}) == 146


def test_gitlab_export_sample() -> None:
    # when
    with (SAMPLES / "checkmarx_one.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert len(findings) == 5
    assert findings[0].title == "Client HTML5 Store Sensitive data In Web Storage"
    assert findings[0].severity == Severity.MEDIUM
    assert (findings[0].location.file_path, findings[0].location.line_start) == (
        "/src/helpers/Constants.ts",
        450,
    )


def test_big_integers_inside_strings_are_left_alone() -> None:
    # given: a digit run in a string, and a query id split over the reader's chunks
    payload = {
        "results": [
            {
                "type": "kics",
                "severity": "LOW",
                "description": "id 14517067005933136034",
                "data": {"queryName": "Q", "filename": "/f"},
            }
        ],
        "scanID": "s",
    }
    # when
    (finding,) = _parse(json.dumps(payload).encode())
    # then
    assert finding.description == "id 14517067005933136034"


def test_sast_result_without_query_is_refused() -> None:
    # given
    report = b'{"results": [{"type": "sast", "severity": "HIGH", "data": {"nodes": []}}], "scanID": "s"}'
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(report)
    # then
    assert caught.value.reason == "the SAST result names no query"
    assert caught.value.position == "results[0].data"


def test_json_of_another_shape_is_refused() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"issues": []}')
    assert caught.value.reason.startswith("the report has no 'results', 'vulnerabilities' or 'scanResults'")


def test_detection() -> None:
    assert PARSER.detect(RESULTS) == 90
    assert PARSER.detect((SAMPLES / "no_findings.json").read_bytes()) == 90
    assert PARSER.detect((SAMPLES / "checkmarx_one.json").read_bytes()) == 100
    for neighbour in (
        "checkmarx/sample_report.json",
        "sonarqube/sonar-6-findings.json",
        "snyk/single_project_one_vuln.json",
    ):
        path = SAMPLES.parent / neighbour
        assert PARSER.detect(path.read_bytes()[:65536]) == 0, neighbour


def test_big_integers_and_escaped_quotes_cut_by_the_reader_chunks() -> None:
    # given: results whose query ids, and strings full of escaped quotes, straddle
    # every place the reader's 256 KiB chunks may end
    results = [
        {
            "type": "sast",
            "severity": "HIGH",
            "description": 'say \\"' + "x" * index + '\\" then 14517067005933136034 in a string \\\\',
            "data": {
                "queryId": 14517067005933136034 + index,
                "queryName": f"Query_{index}",
                "nodes": [{"fileName": "/a.java", "line": 1 + index % 7}],
            },
        }
        for index in range(2_500)
    ]
    document = json.dumps({"results": results, "scanID": "s"}).encode()
    assert len(document) > 3 * 256 * 1024
    # when
    findings = _parse(document)
    # then: every id is read as written, and every string is left as it was
    assert [finding.rule_id for finding in findings] == [
        str(14517067005933136034 + index) for index in range(2_500)
    ]
    assert all("14517067005933136034 in a string" in finding.description for finding in findings)


def test_scan_report_sca_packages() -> None:
    # when
    log4shell, recursion, jackson = _parse(SCAN_REPORT)
    # then: one finding per result of each of a package's CWEs
    assert log4shell.title == "CVE-2021-45046 in org.apache.logging.log4j:log4j-core:2.8.2"
    assert log4shell.severity == Severity.HIGH
    assert log4shell.rule_id == "CVE-2021-45046"
    assert log4shell.tool_finding_id == "lp77cpA42saxjvgvRCkVK1YWazz8lOzAUP7CSBiG6o4="
    assert log4shell.description == "The fix for CVE-2021-44228 in Log4j 2.15.0 was incomplete."
    assert log4shell.advisory_ids == ("CVE-2021-45046", "GHSA-7rjr-3q55-vv33")
    assert log4shell.cwe_ids == (502,)
    assert (log4shell.location.package, log4shell.location.package_version) == (
        "org.apache.logging.log4j:log4j-core",
        "2.8.2",
    )
    assert log4shell.references == (
        "https://logging.apache.org/log4j/2.x/security.html",
        "https://github.com/advisories/GHSA-7rjr-3q55-vv33",
    )
    assert log4shell.tags == ("sca", "state:to-verify", "status:recurrent")
    assert recursion.severity == Severity.MEDIUM
    assert recursion.cwe_ids == (674,)
    assert recursion.tags == ("sca", "state:not-exploitable", "status:new")
    # Checkmarx's own ids, for vulnerabilities without a CVE, name the finding all the same
    assert jackson.title == "Cxced0c06c-935c in com.fasterxml.jackson.core:jackson-databind:2.12.5"
    assert jackson.advisory_ids == ()
    assert len({log4shell.fingerprint, recursion.fingerprint, jackson.fingerprint}) == 3


def test_sca_fingerprint_is_the_same_in_the_results_api_and_the_scan_report() -> None:
    # given: the same package and CVE, as the results API gives it
    results = {
        "results": [
            {
                "type": "sca",
                "id": "CVE-2021-45046",
                "severity": "HIGH",
                "data": {"packageIdentifier": "Maven-org.apache.logging.log4j:log4j-core-2.8.2"},
                "vulnerabilityDetails": {"cveName": "CVE-2021-45046"},
            }
        ],
        "scanID": "2ebe6e65",
    }
    # when
    (from_api,) = _parse(json.dumps(results).encode())
    from_report = _parse(SCAN_REPORT)[0]
    # then
    assert from_api.fingerprint == from_report.fingerprint
    assert (from_api.location.package, from_api.location.package_version) == (
        from_report.location.package,
        from_report.location.package_version,
    )


def test_scan_report_sca_results_of_another_shape_are_refused() -> None:
    # given
    document = json.loads(SCAN_REPORT)
    document["scaScanResults"]["packages"][1]["packageCategory"][0]["categoryResults"] = {"cve": "x"}
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(json.dumps(document).encode())
    # then
    assert caught.value.reason == "expected an array, found dict"
    assert caught.value.position == "scaScanResults.packages[1].packageCategory[0].categoryResults"


def test_scan_report_sca_result_without_a_vulnerability_is_refused() -> None:
    # given
    document = json.loads(SCAN_REPORT)
    del document["scaScanResults"]["packages"][0]["packageCategory"][1]["categoryResults"][0]["cve"]
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(json.dumps(document).encode())
    # then
    assert caught.value.reason == "the SCA result names no vulnerability (cve)"
    assert caught.value.position == "scaScanResults.packages[0].packageCategory[1].categoryResults[0]"


def test_scan_report_broken_in_an_sca_package_is_refused_with_its_place() -> None:
    # given
    broken = SCAN_REPORT.replace(b'"outdated": true', b'"outdated": tru')
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(broken)
    # then
    assert caught.value.reason.startswith("invalid JSON")
    assert caught.value.position == "scaScanResults.packages[0]"


def test_scan_report_with_no_sca_packages_has_no_findings() -> None:
    # given: the report of a scan whose SCA found nothing (and no other scanner either)
    document = json.loads(SCAN_REPORT)
    document["scaScanResults"] = {"totalResults": 0, "severitiesBreakdown": [], "packages": []}
    # then
    assert _parse(json.dumps(document).encode()) == []


def test_scan_report_with_sca_packages_is_detected() -> None:
    assert PARSER.detect(SCAN_REPORT) == 95
