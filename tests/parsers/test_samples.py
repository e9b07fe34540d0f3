"""Every real report in tests/fixtures/scans is detected as its tool and yields its findings.

EXPECTED.tsv comes with the reports (see README.md there): counts and first-finding
details as DefectDojo's own parser tests assert them. Where its notes say the tool's
own error report is expected, the report must be refused naming that error; an empty
(0-byte) report has no format to detect, and its parser, named, finds nothing in it.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from bastion.contracts.finding import Severity
from bastion.parsers import MalformedReport, all_parsers, parse_report

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"


def _rows() -> list[dict[str, str]]:
    with (SCANS / "EXPECTED.tsv").open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [row for row in rows if (SCANS / row["tool"] / row["file"]).exists()]


def _expected_error(row: dict[str, str]) -> list[str]:
    """Return what the notes say the error message contains; [] when no error is expected."""
    if not row["notes"].startswith("ERROR expected"):
        return []
    return re.findall(r'"([^"]+)"', row["notes"])


def _is_empty(row: dict[str, str]) -> bool:
    return (SCANS / row["tool"] / row["file"]).stat().st_size == 0


def _is_markerless(row: dict[str, str]) -> bool:
    """Tell whether a report is a bare empty JSON array: no tool's marker, any tool's empty report."""
    return b"".join((SCANS / row["tool"] / row["file"]).read_bytes().split()) == b"[]"


def _notes(row: dict[str, str]) -> dict[str, str]:
    notes = {}
    for part in row["notes"].split("; "):
        key, separator, value = part.partition("=")
        if separator and key.startswith("first."):
            notes[key.removeprefix("first.")] = value
    return notes


# Where Bastion's count differs from DefectDojo's on purpose: the file, Bastion's count, and why.
DEVIATIONS: dict[str, tuple[int, str]] = {
    "govulncheck/issue_14642.json": (
        40,
        "govulncheck writes an OSV record for every known vulnerability of every required module, "
        "whatever version is used; only its `finding` messages say the code is affected. DefectDojo "
        "makes a finding of each of the 201 records (11 of them repeats); Bastion of each affected "
        "vulnerability and module (40), tagged with how far the code reaches it.",
    ),
    "coverity_api/few_findings_mitigated.json": (
        20,
        "Bastion reads Coverity's security issues (displayIssueKind Security: 20 of 93 rows); no rule "
        "over the rows' fields gives DefectDojo's 25 (every one-field filter and every distinct key of up "
        "to three fields was tried), and its notes' first finding, a resource leak, is a quality issue.",
    ),
    "coverity_api/few_findings_triaged_as_bug.json": (
        1,
        "As for few_findings_mitigated.json: the one security issue of 18 rows (DefectDojo: 13).",
    ),
    "mobsf/report1.json": (
        73,
        "DefectDojo's parser never reads the older `manifest_analysis` list (its `else` belongs to the "
        "inner `if`): its own test expects `findings[10]` to be RELRO on the first library, which holds "
        "only without the 5 manifest findings, one of them 'Debug Enabled For App' (high). "
        "Bastion reads them.",
    ),
}

ALL_ROWS = _rows()
ERROR_ROWS = [row for row in ALL_ROWS if _expected_error(row)]
EMPTY_ROWS = [row for row in ALL_ROWS if _is_empty(row)]
MARKERLESS_ROWS = [row for row in ALL_ROWS if not _is_empty(row) and _is_markerless(row)]
ROWS = [row for row in ALL_ROWS if row not in ERROR_ROWS + EMPTY_ROWS + MARKERLESS_ROWS]


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
    deviation = DEVIATIONS.get(f"{row['tool']}/{row['file']}")
    if deviation is not None:
        assert len(findings) == deviation[0]
        return  # the notes describe DefectDojo's first finding, of DefectDojo's list
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
        forced = [finding.fingerprint for finding in parse_report(stream, format_name=row["tool"])[1]]
    # then
    assert forced == detected


@pytest.mark.parametrize("row", ERROR_ROWS, ids=[f"{row['tool']}/{row['file']}" for row in ERROR_ROWS])
def test_sample_of_a_tool_error_is_refused_naming_the_error(row: dict[str, str]) -> None:
    # given
    path = SCANS / row["tool"] / row["file"]
    # when: detected, then forced
    with path.open("rb") as stream:
        parser, findings = parse_report(stream)
        with pytest.raises(MalformedReport) as detected:
            list(findings)
    with path.open("rb") as stream, pytest.raises(MalformedReport) as forced:
        list(parse_report(stream, format_name=row["tool"])[1])
    # then
    assert parser.name == row["tool"]
    for fragment in _expected_error(row):
        assert fragment in detected.value.reason
    assert forced.value.reason == detected.value.reason


@pytest.mark.parametrize("row", EMPTY_ROWS, ids=[f"{row['tool']}/{row['file']}" for row in EMPTY_ROWS])
def test_empty_sample_is_not_detected_and_has_no_findings_when_forced(
    row: dict[str, str],
) -> None:
    # given
    path = SCANS / row["tool"] / row["file"]
    # when
    with path.open("rb") as stream, pytest.raises(MalformedReport) as detected:
        parse_report(stream)
    with path.open("rb") as stream:
        parser, findings = parse_report(stream, format_name=row["tool"])
        forced = list(findings)
    # then
    assert detected.value.reason == "the report is empty"
    assert parser.name == row["tool"]
    assert len(forced) == int(row["expected_findings_count"]) == 0


@pytest.mark.parametrize(
    "row", MARKERLESS_ROWS, ids=[f"{row['tool']}/{row['file']}" for row in MARKERLESS_ROWS]
)
def test_a_bare_empty_array_has_no_findings_whichever_parser_reads_it(row: dict[str, str]) -> None:
    """``[]`` carries no tool's marker: several tools write it for "nothing found", and the same
    bytes cannot be detected as each of them. Whichever parser detection picks finds nothing in
    it, and so does the tool's own parser, named."""
    # given
    path = SCANS / row["tool"] / row["file"]
    # when
    with path.open("rb") as stream:
        _parser, detected = parse_report(stream)
        detected_findings = list(detected)
    with path.open("rb") as stream:
        parser, forced = parse_report(stream, format_name=row["tool"])
        forced_findings = list(forced)
    # then
    assert detected_findings == forced_findings == []
    assert parser.name == row["tool"]
    assert int(row["expected_findings_count"]) == 0


def test_every_sample_row_is_checked() -> None:
    # then: the error and empty samples the notes name are there, and every row is tested
    assert [f"{row['tool']}/{row['file']}" for row in ERROR_ROWS] == ["npm_audit/empty_with_error.json"]
    assert [f"{row['tool']}/{row['file']}" for row in EMPTY_ROWS] == ["nuclei/empty.jsonl"]
    assert sorted(f"{row['tool']}/{row['file']}" for row in MARKERLESS_ROWS) == [
        "aqua/empty_aquadevops.json",
        "aws_prowler_v3plus/no_vuln.json",
        "eslint/empty.json",
        "pip_audit/empty.json",
    ]
    assert len(ROWS) + len(ERROR_ROWS) + len(EMPTY_ROWS) + len(MARKERLESS_ROWS) == len(ALL_ROWS)


def test_every_sample_folder_has_a_parser() -> None:
    folders = {path.name for path in SCANS.iterdir() if path.is_dir()}
    assert folders <= set(all_parsers())
