"""Dependency-Track FPF: one finding per component and vulnerability, aliases, analysis, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "dependency_track"
PARSER = get_parser("dependency_track")

# Written from the FPF documentation (Dependency-Track 3.x): no aliases, an analysis state.
OLD_FPF = b"""{"version": "1.0", "meta": {"application": "Dependency-Track", "version": "3.4.0"},
 "project": {"name": "Acme"},
 "findings": [{"component": {"uuid": "b815", "name": "timespan", "version": "2.3.0",
   "purl": "pkg:npm/timespan@2.3.0"},
   "vulnerability": {"uuid": "115b", "source": "NPM", "vulnId": "533",
     "title": "Regular Expression Denial of Service",
     "severity": "LOW", "cweId": 400, "recommendation": "No direct patch is available."},
   "analysis": {"state": "FALSE_POSITIVE", "isSuppressed": true},
   "matrix": "ca4f:b815:115b"}]}"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_sample_fields() -> None:
    with (SAMPLES / "dependency_track_4.10_2024_02_11.json").open("rb") as stream:
        (finding,) = list(PARSER.parse(stream))
    assert finding.title == "urllib3:1.26.16 affected by CVE-2023-45803 (NVD)"
    assert finding.severity == Severity.MEDIUM
    assert finding.advisory_ids == ("CVE-2023-45803", "GHSA-g4mx-q9vg-27p4")
    assert finding.cwe_ids == (200,)
    assert finding.cvss_v3_score == 4.2
    assert finding.location.package == "urllib3"
    assert finding.location.package_version == "1.26.16"
    assert finding.location.component == "pkg:pypi/urllib3@1.26.16"
    assert finding.tool_finding_id == "3ef52aaa-6f61-4b8e-9764-d51fe5cd754d"


def test_cvss_v4_and_markdown_references() -> None:
    with (SAMPLES / "deptrack_npm_4.14.1.json").open("rb") as stream:
        first = next(iter(PARSER.parse(stream)))
    assert first.severity == Severity.CRITICAL
    assert first.cvss_v4_score == 9.2
    assert first.references == (
        "https://github.com/isaacs/brace-expansion/security/advisories/GHSA-7h2j-956f-4vf2",
    )


def test_old_fpf_keeps_analysis_and_recommendation() -> None:
    (finding,) = _parse(OLD_FPF)
    assert finding.title == "timespan:2.3.0 affected by 533 (NPM)"
    assert finding.severity == Severity.LOW
    assert finding.rule_id == "533"
    assert finding.advisory_ids == ()
    assert finding.cwe_ids == (400,)
    assert finding.remediation == "No direct patch is available."
    assert finding.tags == ("source:NPM", "analysis:false_positive", "suppressed")


def test_fingerprint_ignores_uuids() -> None:
    moved = OLD_FPF.replace(b'"uuid": "b815"', b'"uuid": "ffff"').replace(b"ca4f:b815", b"0000:ffff")
    assert _parse(moved)[0].fingerprint == _parse(OLD_FPF)[0].fingerprint


def test_detection() -> None:
    assert PARSER.detect(OLD_FPF) == 100
    assert PARSER.detect(b'{"results": [], "meta": {"application": "Other"}}') == 0


def test_export_without_findings_is_empty_but_another_document_is_refused() -> None:
    assert _parse(b'{"meta": {"application": "Dependency-Track"}, "project": {}}') == []
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"meta": {"application": "Other"}}')
    assert caught.value.reason == "the report has no 'findings'; it may be another tool's report"


def test_finding_without_vuln_id_is_refused_naming_it() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(OLD_FPF.replace(b'"vulnId": "533",', b""))
    assert caught.value.position == "findings[0].vulnerability"
