"""Retire.js JSON: the 2.x object and the 1.x array, merged duplicate advisories, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "retirejs"
PARSER = get_parser("retirejs")

# Written from Retire.js 1.x output: a bare array, githubID and cwe.
OLD_ARRAY = b"""[{"file": "static/js/jquery-3.4.0.js", "results": [{"component": "jquery", "version": "3.4.0",
  "vulnerabilities": [{"info": ["https://blog.jquery.com/2020/04/10/jquery-3-5-0-released/"],
    "below": "3.5.0",
    "atOrAbove": "1.2.0", "severity": "high", "cwe": ["CWE-79"],
    "identifiers": {"summary": "XSS in htmlPrefilter", "CVE": ["CVE-2020-11022"],
      "githubID": "GHSA-gxr4-xjj5-5px2"}}]}]}]"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_sample_first_finding() -> None:
    with (SAMPLES / "latest.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    assert len(findings) == 23
    first = findings[0]
    assert first.title == "Quoteless attributes in templates can lead to XSS (handlebars, 3.0.0)"
    assert first.severity == Severity.MEDIUM
    assert (
        first.location.file_path
        == "/home/damien/dd/.venv/report/scout2-report/inc-handlebars/handlebars-v3.0.0.js"
    )
    assert first.location.fixed_version == "4.0.0"
    assert first.cwe_ids == (1395,)
    assert first.references == ("https://github.com/wycats/handlebars.js/pull/1083",)


def test_one_summary_with_the_same_references_keeps_both_cves() -> None:
    with (SAMPLES / "latest.json").open("rb") as stream:
        merged = [f for f in PARSER.parse(stream) if f.title.startswith("Regex in its jQuery.htmlPrefilter")]
    assert len(merged) == 3  # one per jQuery file
    assert {f.advisory_ids for f in merged} == {("CVE-2020-11022", "CVE-2020-11023")}


def test_old_array_reads_ids_and_cwe() -> None:
    (finding,) = _parse(OLD_ARRAY)
    assert finding.severity == Severity.HIGH
    assert finding.advisory_ids == ("CVE-2020-11022", "GHSA-gxr4-xjj5-5px2")
    assert finding.cwe_ids == (79,)
    assert finding.tags == ("vulnerable:>=1.2.0 <3.5.0",)
    parser, _ = parse_report(io.BytesIO(OLD_ARRAY))
    assert parser.name == "retirejs"


def test_fingerprint_ignores_the_version() -> None:
    upgraded = OLD_ARRAY.replace(b'"version": "3.4.0"', b'"version": "3.4.1"')
    assert _parse(upgraded)[0].fingerprint == _parse(OLD_ARRAY)[0].fingerprint


def test_object_without_data_is_refused() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"version": "2.2.4", "results": []}')
    assert caught.value.reason == "the report has no 'data'; it may be another tool's report"


def test_result_without_component_is_refused_naming_it() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(OLD_ARRAY.replace(b'"component": "jquery", ', b""))
    assert caught.value.position == "[0].results[0]"
