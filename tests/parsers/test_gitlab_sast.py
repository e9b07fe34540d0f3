"""GitLab SAST reports, legacy (schema 2.x/14) and schema 15."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.gitlab_sast import PARSER
from bastion.parsers.grouping import fingerprint

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"
SAMPLES = SCANS / "gitlab_sast"

# Schema 15, as the Semgrep analyzer writes it: no category, message or cve; tracking signatures.
SCHEMA_15: dict[str, Any] = {
    "version": "15.0.7",
    "vulnerabilities": [
        {
            "id": "a1b2c3d4-0000-4000-8000-000000000001",
            "name": "Improper Neutralization of Special Elements used in an SQL Command",
            "description": "SQL query built from user input.",
            "severity": "High",
            "location": {"file": "app/db.py", "start_line": 12, "end_line": 14},
            "identifiers": [
                {"type": "semgrep_id", "name": "bandit.B608", "value": "bandit.B608"},
                {
                    "type": "cwe",
                    "name": "CWE-89",
                    "value": "89",
                    "url": "https://cwe.mitre.org/data/definitions/89.html",
                },
            ],
            "tracking": {
                "type": "source",
                "items": [
                    {
                        "file": "app/db.py",
                        "line_start": 12,
                        "line_end": 14,
                        "signatures": [
                            {"algorithm": "hash", "value": "4b1e"},
                            {"algorithm": "scope_offset", "value": "app/db.py|query()[0]:3"},
                        ],
                    }
                ],
            },
        }
    ],
    "scan": {
        "analyzer": {"id": "semgrep", "name": "Semgrep", "version": "4.1.0", "vendor": {"name": "GitLab"}},
        "scanner": {"id": "semgrep", "name": "Semgrep", "version": "1.20.0", "vendor": {"name": "GitLab"}},
        "type": "sast",
        "start_time": "2023-05-01T10:00:00",
        "end_time": "2023-05-01T10:01:00",
        "status": "success",
    },
}


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(document: object) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(json.dumps(document).encode()), format_name="gitlab_sast")[1])


def test_vulnerability_is_read_with_rule_cwe_location_and_scope() -> None:
    # when
    findings = _sample("gl-sast-report-cwe_v15.json")
    # then
    assert [finding.cwe_ids for finding in findings] == [(79,), (89,), (943,)]
    first = findings[0]
    assert first.title == "Servlet reflected cross site scripting vulnerability"
    assert first.severity is Severity.HIGH
    assert first.rule_id == "XSS_REQUEST_PARAMETER_TO_SERVLET_WRITER"
    assert first.tool_version == "4.2.0"
    assert first.location.file_path == "src/main/java/servlets/module/lesson/XssLesson.java"
    assert (first.location.line_start, first.location.line_end) == (96, 96)
    assert first.location.component == "servlets.module.lesson.XssLesson#doPost"
    assert first.tags == ("scanner:find_sec_bugs", "instances:1")
    assert first.fingerprint == fingerprint(
        "gitlab_sast",
        "find_sec_bugs",
        "find_sec_bugs_type:XSS_REQUEST_PARAMETER_TO_SERVLET_WRITER",
        "src/main/java/servlets/module/lesson/XssLesson.java",
        "3e7ef723fe684a84eb7f9a94b27d1ea2:XSS_REQUEST_PARAMETER_TO_SERVLET_WRITER:"
        "src/main/java/servlets/module/lesson/XssLesson.java:96",
    )


def test_legacy_records_sharing_a_comparison_key_are_one_finding() -> None:
    # when
    findings = _sample("gl-sast-report-many-vuln_v14.json")
    # then: 467 records, 219 comparison keys
    assert len(findings) == 219
    assert len({finding.fingerprint for finding in findings}) == 219
    key = "dojo/forms.py:a0090bb4aff12faf70e10e7b9a7237bc1c9dfc0318970659651a92fd20b828c9:B308"
    forms = [f for f in findings if f.tool_finding_id == key]
    assert len(forms) == 1
    assert forms[0].location.line_start == 58
    assert "instances:3" in forms[0].tags
    assert "dojo/forms.py:50" in forms[0].evidence
    assert "dojo/forms.py:42" in forms[0].evidence
    unrated = [f for f in findings if "scanner:eslint" in f.tags][0]
    assert unrated.severity is Severity.INFO
    assert "severity:unrated" in unrated.tags


def test_schema_15_fingerprint_follows_the_tracking_signature_not_the_line() -> None:
    # given: the same code, moved down by 40 lines
    moved = json.loads(json.dumps(SCHEMA_15))
    moved["vulnerabilities"][0]["location"].update(start_line=52, end_line=54)
    # when
    before = _parse(SCHEMA_15)
    after = _parse(moved)
    # then
    assert (
        before[0].fingerprint
        == after[0].fingerprint
        == fingerprint(
            "gitlab_sast",
            "semgrep",
            "semgrep_id:bandit.B608",
            "app/db.py",
            "scope_offset:app/db.py|query()[0]:3",
        )
    )
    assert after[0].location.line_start == 52
    assert before[0].cwe_ids == (89,)
    assert before[0].tool_version == "1.20.0"
    assert before[0].tool_finding_id == "a1b2c3d4-0000-4000-8000-000000000001"


def test_schema_15_without_anchor_numbers_the_places_of_one_rule() -> None:
    # given: one rule at two lines of one file, no tracking
    vulnerability = json.loads(json.dumps(SCHEMA_15["vulnerabilities"][0]))
    del vulnerability["tracking"]
    other = json.loads(json.dumps(vulnerability))
    other["location"].update(start_line=30, end_line=30)
    # when
    findings = _parse({"version": "15.0.0", "vulnerabilities": [vulnerability, other]})
    # then
    assert [f.location.line_start for f in findings] == [12, 30]
    assert findings[0].fingerprint == fingerprint(
        "gitlab_sast", None, "semgrep_id:bandit.B608", "app/db.py", ""
    )
    assert findings[1].fingerprint == fingerprint(
        "gitlab_sast", None, "semgrep_id:bandit.B608", "app/db.py", "", 1
    )


def test_secret_code_extract_in_a_sast_report_is_redacted() -> None:
    # given: a legacy SAST report carrying a Gitleaks secret
    document = {
        "version": "3.0",
        "vulnerabilities": [
            {
                "category": "sast",
                "message": "AWS",
                "cve": "config.py:aa11:AWS",
                "severity": "Critical",
                "raw_source_code_extract": "AKIAIOSFODNN7EXAMPLE",
                "location": {"file": "config.py", "start_line": 3},
                "identifiers": [{"type": "gitleaks_rule_id", "name": "Gitleaks rule ID AWS", "value": "AWS"}],
            }
        ],
    }
    # when
    findings = _parse(document)
    # then
    assert findings[0].evidence == "AKIA…"
    assert "AKIAIOSFODNN7EXAMPLE" not in findings[0].model_dump_json()


def test_detects_sast_reports_and_not_the_other_gitlab_kinds() -> None:
    # then
    assert PARSER.detect((SAMPLES / "gl-sast-report-many-vuln_v14.json").read_bytes()) == 95
    assert PARSER.detect(json.dumps(SCHEMA_15).encode()) == 95
    assert PARSER.detect(json.dumps({**SCHEMA_15, "scan": None}).encode()) == 85
    assert PARSER.detect((SAMPLES / "gl-sast-report-0-vuln.json").read_bytes()) == 20
    for other in (
        "gitlab_dast/gitlab_dast_many_vul_v14.json",
        "gitlab_dep_scan/gl-dependency-scanning-report-0-vuln.json",
        "gitlab_container_scan/gl-container-scanning-report-5-vuln_v15.json",
        "gitlab_secret_detection_report/gitlab_secret_detection_report_3_vuln_v14.json",
        "semgrep/" + sorted(p.name for p in (SCANS / "semgrep").iterdir())[0],
    ):
        assert PARSER.detect((SCANS / other).read_bytes()) == 0
    assert detect_format(json.dumps(SCHEMA_15).encode()).name == "gitlab_sast"


def test_report_of_another_kind_is_refused() -> None:
    # when
    with (SCANS / "gitlab_dep_scan" / "gl-dependency-scanning-report-0-vuln.json").open("rb") as stream:
        with pytest.raises(MalformedReport) as refused:
            list(parse_report(stream, format_name="gitlab_sast")[1])
    # then
    assert refused.value.reason == (
        "scan.type is 'dependency_scanning': a GitLab dependency_scanning report, not a GitLab SAST report"
    )
    assert refused.value.position == "scan.type"


@pytest.mark.parametrize(
    ("document", "reason", "position"),
    [
        (b'{"version": "2.3", "remediations": []}', "the report has no 'vulnerabilities'", "top level"),
        (
            b'{"vulnerabilities": [{"location": {}}]}',
            "a vulnerability has no identifiers",
            "vulnerabilities[0]",
        ),
        (b'{"vulnerabilities": {"a": 1}}', "expected an array, found dict", "vulnerabilities"),
        (
            b'{"vulnerabilities": [{"identifiers": [], "location": {}}]}',
            "a vulnerability has no identifiers",
            "vulnerabilities[0].identifiers",
        ),
        (b'{"vulnerabilities": [{"identifiers": [{"type": "x"}]', "invalid JSON", "vulnerabilities[0]"),
    ],
)
def test_malformed_report_is_refused_naming_where(document: bytes, reason: str, position: str) -> None:
    # when
    with pytest.raises(MalformedReport) as refused:
        list(parse_report(io.BytesIO(document), format_name="gitlab_sast")[1])
    # then
    assert refused.value.reason.startswith(reason)
    assert refused.value.position == position
