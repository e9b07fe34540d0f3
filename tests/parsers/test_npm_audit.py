"""npm audit JSON: npm 6 advisories, npm 7+ vulnerabilities, error reports, fingerprints."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "npm_audit"
PARSER = get_parser("npm_audit")

NPM7 = b"""{
  "auditReportVersion": 2,
  "vulnerabilities": {
    "@firebase/firestore": {
      "name": "@firebase/firestore", "severity": "high", "isDirect": true,
      "via": ["node-fetch"], "effects": [], "range": "<=2.3.0",
      "nodes": ["node_modules/@firebase/firestore"], "fixAvailable": true
    },
    "node-fetch": {
      "name": "node-fetch", "severity": "high", "isDirect": false,
      "via": [{
        "source": 1064646, "name": "node-fetch", "dependency": "node-fetch",
        "title": "node-fetch is vulnerable to Exposure of Sensitive Information",
        "url": "https://github.com/advisories/GHSA-r683-j2x4-v87g",
        "severity": "high", "cwe": ["CWE-173", "CWE-200"],
        "cvss": {"score": 8.8, "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H"},
        "range": "<2.6.7"
      }],
      "effects": ["@firebase/firestore"], "range": "<2.6.7",
      "nodes": ["node_modules/node-fetch"],
      "fixAvailable": {"name": "node-fetch", "version": "2.6.7", "isSemVerMajor": false}
    }
  },
  "metadata": {"vulnerabilities": {"high": 2, "total": 2}}
}"""

NPM6_SAME_ADVISORY = b"""{
  "actions": [], "muted": [], "metadata": {},
  "advisories": {
    "1064646": {
      "id": 1064646, "module_name": "node-fetch", "severity": "high",
      "title": "node-fetch is vulnerable to Exposure of Sensitive Information",
      "url": "https://github.com/advisories/GHSA-r683-j2x4-v87g",
      "github_advisory_id": "GHSA-r683-j2x4-v87g", "cves": ["CVE-2022-0235"],
      "cwe": ["CWE-173", "CWE-200"], "vulnerable_versions": "<2.6.7", "patched_versions": ">=2.6.7",
      "overview": "node-fetch forwards secure headers to untrusted sites.",
      "recommendation": "Upgrade to version 2.6.7 or later", "references": "",
      "findings": [{"version": "2.6.1", "paths": ["@firebase/firestore>node-fetch"]}]
    }
  }
}"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def test_npm6_advisory_becomes_one_finding() -> None:
    # when
    findings = _sample("many_vuln.json")
    # then
    assert len(findings) == 5
    first = findings[0]
    assert first.title == "Regular Expression Denial of Service"
    assert first.severity == Severity.HIGH
    assert first.tool == "npm_audit"
    assert first.rule_id == "106"
    assert first.advisory_ids == ("CVE-2016-10539",)
    assert first.cwe_ids == (400,)
    assert first.location.package == "negotiator"
    assert first.location.package_version == "0.5.3"
    assert first.location.fixed_version == ">= 0.6.1"
    assert first.remediation == "Update to version 0.6.1 or later."
    assert first.references == ("https://nodesecurity.io/advisories/106",)
    assert first.description.endswith("Dependency paths:\n- express>accepts>negotiator")


def test_npm6_reads_json_encoded_cwe_lists_and_cvss() -> None:
    # when
    first = _sample("multiple_cwes.json")[0]
    # then
    assert first.title == "Uncontrolled Resource Consumption in ansi-html"
    assert first.cwe_ids == (400,)
    assert first.advisory_ids == ("GHSA-whgm-jr23-g3j9", "CVE-2021-23424")
    assert first.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"
    assert first.cvss_v3_score == 7.5


def test_one_ghsa_split_by_range_gives_distinct_fingerprints() -> None:
    # given: multiple_cwes.json holds GHSA-vh95-rmgr-6w4m twice (minimist, two ranges)
    findings = _sample("multiple_cwes.json")
    # then
    assert len(findings) == 41
    assert len({finding.fingerprint for finding in findings}) == 41


def test_npm6_report_without_advisories_yields_nothing() -> None:
    assert _sample("no_vuln.json") == []


def test_npm7_yields_advisories_not_the_packages_that_depend_on_them() -> None:
    # when
    findings = _parse(NPM7)
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "node-fetch is vulnerable to Exposure of Sensitive Information"
    assert finding.severity == Severity.HIGH
    assert finding.rule_id == "1064646"
    assert finding.advisory_ids == ("GHSA-r683-j2x4-v87g",)
    assert finding.cwe_ids == (173, 200)
    assert finding.cvss_v3_score == 8.8
    assert finding.location.package == "node-fetch"
    assert finding.location.file_path == "node_modules/node-fetch"
    assert finding.location.fixed_version == "2.6.7"
    assert finding.remediation == "Upgrade node-fetch to 2.6.7: `npm audit fix --force`."
    assert finding.tags == ("transitive",)
    assert "Packages depending on it: @firebase/firestore" in finding.description


def test_npm6_and_npm7_reports_of_one_advisory_share_the_fingerprint() -> None:
    npm6 = _parse(NPM6_SAME_ADVISORY)[0]
    npm7 = _parse(NPM7)[0]
    assert npm6.fingerprint == npm7.fingerprint


def test_detects_both_shapes_and_the_error_report() -> None:
    assert PARSER.detect(NPM7) == 100
    assert PARSER.detect((SAMPLES / "many_vuln.json").read_bytes()) == 90
    assert PARSER.detect((SAMPLES / "empty_with_error.json").read_bytes()) == 80
    assert PARSER.detect(b'{"results": [], "advisories": {}}') == 0


def test_error_report_is_refused_not_read_as_clean() -> None:
    # when
    with (
        (SAMPLES / "empty_with_error.json").open("rb") as stream,
        pytest.raises(MalformedReport) as caught,
    ):
        list(parse_report(stream)[1])
    # then
    assert caught.value.reason.startswith("npm audit report contains errors: ENOAUDIT: ")
    assert caught.value.position == "error"


def test_advisories_of_the_wrong_type_are_refused() -> None:
    report = b'{"actions": [], "muted": [], "advisories": "none"}'
    with pytest.raises(MalformedReport) as caught:
        list(parse_report(io.BytesIO(report), format_name="npm_audit")[1])
    assert caught.value.reason == "expected an object or an array, found str"
    assert caught.value.position == "advisories"


def test_report_with_neither_shape_is_refused() -> None:
    with pytest.raises(MalformedReport, match="neither 'advisories'"):
        list(parse_report(io.BytesIO(b'{"metadata": {}}'), format_name="npm_audit")[1])
