"""Every real report in tests/fixtures/scans is detected as its tool and yields its findings.

EXPECTED.tsv comes with the reports (see README.md there): counts and first-finding
details as DefectDojo's own parser tests assert them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bastion.contracts.finding import Severity
from bastion.scanner.parsers import all_parsers, parse_report

SCANS = Path(__file__).parents[2] / "fixtures" / "scans"


def _rows() -> list[dict[str, str]]:
    with (SCANS / "EXPECTED.tsv").open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [row for row in rows if (SCANS / row["tool"] / row["file"]).exists()]


def _notes(row: dict[str, str]) -> dict[str, str]:
    notes = {}
    for part in row["notes"].split("; "):
        key, separator, value = part.partition("=")
        if separator and key.startswith("first."):
            notes[key.removeprefix("first.")] = value
    return notes


ROWS = _rows()


@pytest.mark.parametrize("row", ROWS, ids=[f"{row['tool']}/{row['file']}" for row in ROWS])
def test_sample_yields_expected_findings(row: dict[str, str]) -> None:
    # given
    path = SCANS / row["tool"] / row["file"]
    # when
    with path.open("rb") as stream:
        parser, findings_iter = parse_report(stream)
        findings = list(findings_iter)
    # then
    assert parser.name == row["tool"]
    if row["expected_findings_count"] != "?":
        assert len(findings) == int(row["expected_findings_count"])
    notes = _notes(row)
    if not findings:
        return
    first = findings[0]
    if "severity" in notes:
        assert first.severity == Severity(notes["severity"].lower())
    if "cwe" in notes:
        assert int(notes["cwe"].removeprefix("CWE-")) in first.cwe_ids
    if "vuln_id" in notes:
        assert notes["vuln_id"] in first.advisory_ids or notes["vuln_id"] == first.rule_id
    if "component_name" in notes:
        assert notes["component_name"] in (first.location.package, first.location.component)
    if "component_version" in notes:
        assert first.location.package_version == notes["component_version"]


@pytest.mark.parametrize("row", ROWS, ids=[f"{row['tool']}/{row['file']}" for row in ROWS])
def test_sample_parses_the_same_when_forced(row: dict[str, str]) -> None:
    # given
    path = SCANS / row["tool"] / row["file"]
    # when
    with path.open("rb") as stream:
        detected = [finding.fingerprint for finding in parse_report(stream)[1]]
    with path.open("rb") as stream:
        forced = [
            finding.fingerprint for finding in parse_report(stream, format_name=row["tool"])[1]
        ]
    # then
    assert forced == detected


def test_every_sample_folder_has_a_parser() -> None:
    folders = {path.name for path in SCANS.iterdir() if path.is_dir()}
    assert folders <= set(all_parsers())
