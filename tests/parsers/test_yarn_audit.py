"""yarn audit: yarn 1 lines grouped per advisory, yarn 2/3 documents, yarn 4 lines, errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "yarn_audit"
PARSER = get_parser("yarn_audit")

# Written from yarn 4's `yarn npm audit --json` output.
YARN4 = (
    b'{"value":"nth-check","children":{"ID":1096460,"Issue":"Inefficient Regular Expression Complexity",'
    b'"URL":"https://github.com/advisories/GHSA-rp65-9cf3-cjxr","Severity":"high",'
    b'"Vulnerable Versions":"<2.0.1","Tree Versions":["1.0.2"],"Dependents":["css-select@npm:4.1.3"]}}\n'
)
YARN_BERRY = b"""{"actions": [], "advisories": {"1179": {"id": 1179, "title": "Prototype Pollution",
 "module_name": "minimist", "severity": "low", "cves": ["CVE-2020-7598"], "cwe": "CWE-471",
 "vulnerable_versions": "<0.2.1", "patched_versions": ">=0.2.1",
 "findings": [{"version": "0.0.10", "paths": ["a>minimist"]}], "url": "https://npmjs.com/advisories/1179"}},
 "muted": [], "metadata": {}}"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_yarn1_repeated_lines_make_one_finding_with_every_path() -> None:
    with (SAMPLES / "yarn_audit_multiple_cwes.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    assert [f.location.package for f in findings] == ["nth-check", "node-fetch", "ansi-regex"]
    node_fetch = findings[1]
    assert node_fetch.severity == Severity.HIGH
    assert node_fetch.advisory_ids == ("GHSA-r683-j2x4-v87g", "CVE-2022-0235")
    assert node_fetch.cwe_ids == (173, 200, 601)
    assert node_fetch.cvss_v3_score == 8.8
    assert node_fetch.location.package_version == "2.6.5"
    assert node_fetch.location.fixed_version == ">=2.6.7"
    assert node_fetch.description.count("\n- react-native>") == 5


def test_yarn1_first_finding_fields() -> None:
    with (SAMPLES / "yarn_audit_many_vul.json").open("rb") as stream:
        first = next(iter(PARSER.parse(stream)))
    assert first.title == "minimist: Prototype Pollution"
    assert first.severity == Severity.LOW
    assert first.rule_id == "1179"
    assert first.cwe_ids == (471,)
    assert first.tags == ("vulnerable:<0.2.1 || >=1.0.0 <1.2.3",)


def test_yarn4_line_is_one_finding() -> None:
    (finding,) = _parse(YARN4)
    assert finding.title == "nth-check: Inefficient Regular Expression Complexity"
    assert finding.severity == Severity.HIGH
    assert finding.advisory_ids == ("GHSA-rp65-9cf3-cjxr",)
    assert finding.location.package_version == "1.0.2"
    parser, _ = parse_report(io.BytesIO(YARN4))
    assert parser.name == "yarn_audit"


def test_yarn_berry_document_named_as_yarn_audit_is_read() -> None:
    (finding,) = _parse(YARN_BERRY)
    assert finding.advisory_ids == ("CVE-2020-7598",)
    assert finding.location.package_version == "0.0.10"


def test_fingerprint_agrees_with_the_shape_and_ignores_paths() -> None:
    moved = YARN4.replace(b'"Tree Versions":["1.0.2"]', b'"Tree Versions":["1.0.3"]')
    assert _parse(moved)[0].fingerprint == _parse(YARN4)[0].fingerprint


def test_error_line_is_refused_with_yarns_message() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"type":"error","data":"An unexpected error occurred: 503"}\n')
    assert caught.value.reason == "yarn audit failed: An unexpected error occurred: 503"
    assert caught.value.position == "line 1"


def test_detection_leaves_npm_audit_its_reports() -> None:
    npm = (SAMPLES.parent / "npm_audit").glob("*.json")
    assert all(PARSER.detect(path.read_bytes()[:65536]) == 0 for path in npm)
    assert PARSER.detect(b'{"type":"auditSummary","data":{}}\n') == 95


def test_other_json_document_is_refused() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"results": []}')
    assert caught.value.reason == "the report has no 'advisories'; it may be another tool's report"
