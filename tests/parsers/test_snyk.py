"""Snyk JSON: one project and all projects."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.snyk import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "snyk"

LODASH = {
    "id": "SNYK-JS-LODASH-567746",
    "title": "Prototype Pollution",
    "severity": "high",
    "packageName": "lodash",
    "version": "4.17.15",
    "from": ["shop@1.0.0", "@babel/core@7.9.0", "lodash@4.17.15"],
    "upgradePath": [False, "@babel/core@7.10.0", "lodash@4.17.19"],
    "fixedIn": ["4.17.16"],
    "identifiers": {"CVE": ["CVE-2020-8203"], "CWE": ["CWE-400"], "GHSA": ["GHSA-p6mc-m468-83gw"]},
    "CVSSv3": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H",
}


def _findings(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="snyk")[1])


def _sample(name: str) -> list[NormalizedFinding]:
    return _findings((SAMPLES / name).read_bytes())


def _project(*vulnerabilities: object) -> dict[str, object]:
    return {
        "vulnerabilities": list(vulnerabilities),
        "ok": False,
        "dependencyCount": 3,
        "packageManager": "npm",
        "projectName": "shop",
        "displayTargetFile": "package-lock.json",
    }


def test_single_project_issue_is_read_in_full() -> None:
    # when
    findings = _sample("single_project_one_vuln.json")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "XML External Entity (XXE) Injection in org.apache.santuario:xmlsec@2.1.1"
    assert finding.severity is Severity.MEDIUM
    assert finding.rule_id == "SNYK-JAVA-ORGAPACHESANTUARIO-460281"
    assert finding.advisory_ids == ("CVE-2019-12400",)
    assert finding.cwe_ids == (611,)
    assert finding.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:L"
    assert finding.cvss_v3_score == 6.5
    assert finding.location.file_path == "pom.xml"
    assert finding.location.package == "org.apache.santuario:xmlsec"
    assert finding.location.package_version == "2.1.1"
    assert finding.location.fixed_version == "2.1.4"
    assert finding.location.component == "com.test:myframework"
    assert finding.evidence == "com.test:myframework@1.0.0-SNAPSHOT > org.apache.santuario:xmlsec@2.1.1"
    assert finding.remediation == "Upgrade to org.apache.santuario:xmlsec@2.1.4."
    assert finding.description.startswith("## Overview\n")


def test_all_projects_report_names_each_project() -> None:
    # when
    findings = _sample("all-projects_many_vulns.json")
    # then
    assert [(finding.location.component, finding.rule_id) for finding in findings] == [
        ("com.test:version-collision", "SNYK-JAVA-COMGOOGLEGUAVA-1015415"),
        ("com.test:project-a", "SNYK-JAVA-COMGOOGLEGUAVA-1015415"),
        ("com.test:project-a", "SNYK-JAVA-COMGOOGLEGUAVA-32236"),
        ("com.test:project-b", "SNYK-JAVA-COMGOOGLEGUAVA-1015415"),
    ]
    assert findings[1].location.file_path == "project-a\\pom.xml"
    assert findings[2].advisory_ids == ("CVE-2018-10237", "GHSA-mvr2-9pj6-7w5j")
    assert len({finding.fingerprint for finding in findings}) == 4


def test_large_all_projects_report() -> None:
    # when
    findings = _sample("all_projects_issue4277.json")
    # then
    assert len(findings) == 82
    first = findings[0]
    assert first.title == "Denial of Service (DoS) in Microsoft.AspNetCore@2.2.0"
    assert first.severity is Severity.HIGH
    assert first.advisory_ids == ("CVE-2019-0815",)
    assert first.location.file_path == "company.Api.project\\src\\obj\\project.assets.json"


def test_each_dependency_path_is_a_finding() -> None:
    # given: the same issue brought in by two paths
    other_path = {**LODASH, "from": ["shop@1.0.0", "webpack@4.0.0", "lodash@4.17.15"]}
    # when
    findings = _findings(orjson.dumps(_project(LODASH, other_path)))
    # then
    assert len(findings) == 2
    assert findings[0].fingerprint != findings[1].fingerprint
    assert findings[0].remediation == "Upgrade to @babel/core@7.10.0 (brings lodash@4.17.19)."
    assert findings[0].advisory_ids == ("CVE-2020-8203", "GHSA-p6mc-m468-83gw")


def test_fingerprint_ignores_versions_along_the_path() -> None:
    # given: the next scan, after an upgrade of the parent that still pulls in a vulnerable lodash
    later = {
        **LODASH,
        "version": "4.17.16",
        "from": ["shop@1.0.1", "@babel/core@7.9.6", "lodash@4.17.16"],
    }
    # when
    before = _findings(orjson.dumps(_project(LODASH)))[0]
    after = _findings(orjson.dumps(_project(later)))[0]
    # then
    assert before.fingerprint == after.fingerprint


def test_single_object_and_all_projects_array_agree() -> None:
    single = _findings(orjson.dumps(_project(LODASH)))
    listed = _findings(orjson.dumps([_project(LODASH)]))
    assert [finding.fingerprint for finding in single] == [finding.fingerprint for finding in listed]


def test_project_without_vulnerabilities_has_no_findings() -> None:
    assert _sample("single_project_no_vulns.json") == []


def test_detects_snyk_and_not_other_vulnerability_lists() -> None:
    assert PARSER.detect((SAMPLES / "single_project_no_vulns.json").read_bytes()) == 90
    assert PARSER.detect((SAMPLES / "all-projects_many_vulns.json").read_bytes()) == 95
    assert (
        PARSER.detect(b'{"imageDigest": "sha256:00", "vulnerabilities": [], "vulnerability_type": "os"}') == 0
    )


def test_issue_without_id_is_rejected() -> None:
    # given
    data = orjson.dumps(_project({**LODASH, "id": None}))
    # when / then
    with pytest.raises(MalformedReport, match="a vulnerability has no id") as caught:
        _findings(data)
    assert caught.value.position == "vulnerabilities[0]"


def test_project_that_is_not_an_object_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="expected an object, found list") as caught:
        _findings(orjson.dumps([_project(LODASH), ["not", "a", "project"]]))
    assert caught.value.position == "[1]"


def test_all_projects_report_names_a_bad_issue_by_its_project_and_place() -> None:
    # given
    data = orjson.dumps([_project(LODASH), _project(LODASH, {**LODASH, "id": None})])
    # when / then
    with pytest.raises(MalformedReport, match="a vulnerability has no id") as caught:
        _findings(data)
    assert caught.value.position == "[1].vulnerabilities[1]"


def test_all_projects_report_without_names_is_rejected() -> None:
    # given: vulnerabilities, but no project name nor package manager: another tool's report
    data = orjson.dumps([{"vulnerabilities": [LODASH]}])
    # when / then
    with pytest.raises(MalformedReport, match="names neither itself nor its package manager") as caught:
        _findings(data)
    assert caught.value.position == "[0].vulnerabilities[0]"


def test_array_without_vulnerabilities_is_not_a_snyk_report() -> None:
    with pytest.raises(MalformedReport, match="'item.vulnerabilities'"):
        _findings(b'[{"projectName": "shop"}]')


def test_repeated_description_is_read_for_each_issue() -> None:
    # given: one description repeated (clipped once), and a control character in another
    other = {**LODASH, "id": "SNYK-JS-LODASH-1", "description": "Prototype\x00 Pollution"}
    repeated = {**LODASH, "description": "## Overview\nlodash"}
    # when
    findings = _findings(orjson.dumps(_project(repeated, other, repeated)))
    # then
    assert [finding.description for finding in findings] == [
        "## Overview\nlodash",
        "Prototype Pollution",
        "## Overview\nlodash",
    ]
