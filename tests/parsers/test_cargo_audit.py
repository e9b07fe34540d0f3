"""cargo-audit JSON: one finding per advisory and crate, CVSS v3 and v4, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "cargo_audit"
PARSER = get_parser("cargo_audit")

# Written from cargo-audit's documented layout: no CVSS, affected functions named.
NO_CVSS = b"""{"database": {"advisory-count": 1}, "lockfile": {"dependency-count": 2},
 "vulnerabilities": {"found": true, "count": 1, "list": [
  {"advisory": {"id": "RUSTSEC-2020-0071", "package": "time", "title": "Potential segfault",
    "description": "Unix-like operating systems may segfault.", "aliases": ["CVE-2020-26235"],
    "cvss": null, "references": [], "url": null},
   "versions": {"patched": [">=0.2.23"], "unaffected": []},
   "affected": {"arch": [], "os": [], "functions": {"time::at": ["<0.2.23"]}},
   "package": {"name": "time", "version": "0.1.45"}}]},
 "warnings": {"unmaintained": [{"kind": "unmaintained", "package": {"name": "ansi_term"}}]}}"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_sample_fields_of_the_first_finding() -> None:
    with (SAMPLES / "many_findings_cvss.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    assert len(findings) == 10
    first = findings[0]
    assert (
        first.title
        == "RUSTSEC-2026-0047 in aws-lc-sys@0.36.0: PKCS7_verify Signature Validation Bypass in AWS-LC"
    )
    assert first.severity == Severity.HIGH
    assert first.rule_id == "RUSTSEC-2026-0047"
    assert first.advisory_ids == ("CVE-2026-3338", "GHSA-hfpc-8r3f-gw53", "GHSA-jchq-39cv-q4wj")
    assert first.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N"
    assert first.cvss_v3_score == 7.5
    assert first.location.package == "aws-lc-sys"
    assert first.location.package_version == "0.36.0"
    assert first.location.fixed_version == ">=0.38.0"
    assert first.references[0] == "https://rustsec.org/advisories/RUSTSEC-2026-0047.html"


def test_cvss_v4_vector_is_read_as_v4() -> None:
    with (SAMPLES / "many_findings_cvss.json").open("rb") as stream:
        lettre = [f for f in PARSER.parse(stream) if f.location.package == "lettre"]
    assert len(lettre) == 1
    assert lettre[0].cvss_v3_vector is None
    assert lettre[0].cvss_v4_vector is not None
    assert lettre[0].cvss_v4_vector.startswith("CVSS:4.0/")


def test_advisory_without_cvss_is_medium_and_lists_affected_functions() -> None:
    (finding,) = _parse(NO_CVSS)
    assert finding.severity == Severity.MEDIUM
    assert finding.advisory_ids == ("CVE-2020-26235",)
    assert "- time::at" in finding.description
    assert finding.remediation == "Upgrade time to a version matching >=0.2.23."


def test_fingerprint_keeps_the_crate_version_apart() -> None:
    other = NO_CVSS.replace(b'"version": "0.1.45"', b'"version": "0.1.44"')
    assert _parse(NO_CVSS)[0].fingerprint != _parse(other)[0].fingerprint
    assert _parse(NO_CVSS)[0].fingerprint == _parse(NO_CVSS.replace(b"segfault.", b"crash."))[0].fingerprint


def test_detection_and_neighbours() -> None:
    assert PARSER.detect(NO_CVSS) == 95
    assert PARSER.detect((SAMPLES.parent / "pip_audit" / "many_vulns_new.json").read_bytes()) == 0
    parser, _ = parse_report(io.BytesIO(NO_CVSS))
    assert parser.name == "cargo_audit"


def test_report_without_the_list_is_refused() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"database": {}, "vulnerabilities": {"found": false}}')
    assert caught.value.reason == "the report has no 'vulnerabilities.list'; it may be another tool's report"


def test_entry_without_advisory_id_is_refused_naming_it() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(NO_CVSS.replace(b'"id": "RUSTSEC-2020-0071", ', b""))
    assert caught.value.position == "vulnerabilities.list[0].advisory"
