"""Hadolint JSON reports."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.grouping import fingerprint
from bastion.parsers.hadolint import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "hadolint"

LEVELS = b"""[
 {"line": 1, "code": "DL3006", "message": "Always tag", "column": 1, "file": "Dockerfile",
  "level": "error"},
 {"line": 2, "code": "DL3008", "message": "Pin versions", "column": 1, "file": "Dockerfile",
  "level": "warning"},
 {"line": 3, "code": "DL3015", "message": "Avoid extras", "column": 1, "file": "Dockerfile",
  "level": "info"},
 {"line": 4, "code": "SC2086", "message": "Double quote", "column": 1, "file": "Dockerfile",
  "level": "style"}
]"""


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="hadolint")[1])


def test_violation_is_read_with_rule_file_line_and_level() -> None:
    # when
    findings = _sample("many_dockerfile.json")
    # then
    assert len(findings) == 12
    first = findings[0]
    assert first.title == (
        "Pin versions in apt get install. Instead of `apt-get install <package>` "
        "use `apt-get install <package>=<version>`"
    )
    assert first.severity is Severity.MEDIUM
    assert first.tool == "hadolint"
    assert first.rule_id == "DL3008"
    assert first.location.file_path == "django-DefectDojo\\Dockerfile.django"
    assert (first.location.line_start, first.location.line_end) == (9, 9)
    assert first.references == ("https://github.com/hadolint/hadolint/wiki/DL3008",)
    assert first.tags == ("level:warning",)
    assert first.fingerprint == fingerprint("hadolint", "DL3008", "django-DefectDojo\\Dockerfile.django", 9)


def test_levels_map_onto_severities() -> None:
    # when
    findings = _parse(LEVELS)
    # then
    assert [finding.severity for finding in findings] == [
        Severity.HIGH,
        Severity.MEDIUM,
        Severity.LOW,
        Severity.INFO,
    ]


def test_shellcheck_rule_links_to_the_shellcheck_wiki() -> None:
    # when
    findings = _parse(LEVELS)
    # then
    assert findings[3].rule_id == "SC2086"
    assert findings[3].references == ("https://www.shellcheck.net/wiki/SC2086",)


def test_same_violation_in_two_reports_has_the_same_fingerprint() -> None:
    # when
    one = _sample("one_dockerfile.json")
    many = _sample("many_dockerfile.json")
    # then
    assert [finding.fingerprint for finding in one] == [finding.fingerprint for finding in many[:4]]


def test_violations_of_one_report_have_distinct_fingerprints() -> None:
    # when
    findings = _sample("many_dockerfile.json")
    # then
    assert len({finding.fingerprint for finding in findings}) == 12


def test_detects_hadolint_but_not_another_json_array() -> None:
    # given
    head = (SAMPLES / "one_dockerfile.json").read_bytes()
    other = b'[{"line": "x", "offender": "y", "commit": "abc", "rule": "AWS", "file": "a"}]'
    # then
    assert PARSER.detect(head) == 90
    assert PARSER.detect(other) == 0


def test_violation_without_code_is_rejected() -> None:
    # given
    report = b'[{"line": 1, "message": "m", "column": 1, "file": "Dockerfile", "level": "info"}]'
    # when / then
    with pytest.raises(MalformedReport, match="KeyError: 'code'"):
        _parse(report)


def test_violation_that_is_not_an_object_is_rejected() -> None:
    # when / then
    with pytest.raises(MalformedReport, match="expected an object, found int") as error:
        _parse(b"[1]")
    assert error.value.position == "[0]"
