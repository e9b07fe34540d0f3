"""Coverity Connect view API: security issues only, triage as tags, CID fingerprints."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "coverity_api"
PARSER = get_parser("coverity_api")


def _row(**fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "cid": 1001,
        "displayType": "SQL injection",
        "displayImpact": "High",
        "displayIssueKind": "Security",
        "checker": "SQLI",
        "cwe": 89,
        "displayFile": "src/db.py",
        "displayFunction": "query",
        "displayComponent": "Backend",
        "status": "New",
        "classification": "Unclassified",
        "action": "Undecided",
    }
    row.update(fields)
    return row


def _parse(*rows: dict[str, object]) -> list[NormalizedFinding]:
    document = {"viewContentsV1": {"offset": 0, "totalRows": len(rows), "columns": [], "rows": list(rows)}}
    return list(PARSER.parse(io.BytesIO(json.dumps(document).encode())))


def test_security_issue_fields() -> None:
    # when
    (finding,) = _parse(_row())
    # then
    assert finding.title == "SQL injection"
    assert finding.severity == Severity.HIGH
    assert finding.rule_id == "SQLI"
    assert finding.tool_finding_id == "1001"
    assert finding.cwe_ids == (89,)
    assert finding.location.file_path == "src/db.py"
    assert finding.location.component == "Backend"
    assert finding.tags == ("status:new", "classification:unclassified", "action:undecided")
    assert "Function: query" in finding.description


def test_quality_issues_are_skipped_and_kindless_rows_kept() -> None:
    # given
    quality = _row(cid=2, displayIssueKind="Quality", displayType="Resource leak")
    various = _row(cid=3, displayIssueKind="Various")
    kindless = _row(cid=4)
    del kindless["displayIssueKind"]
    # when
    findings = _parse(quality, various, kindless)
    # then
    assert [finding.tool_finding_id for finding in findings] == ["3", "4"]


@pytest.mark.parametrize(
    ("impact", "severity"),
    [("High", Severity.HIGH), ("Medium", Severity.MEDIUM), ("Low", Severity.LOW), ("Audit", Severity.INFO)],
)
def test_impact_is_the_severity(impact: str, severity: Severity) -> None:
    assert _parse(_row(displayImpact=impact))[0].severity == severity


def test_fingerprint_is_the_cid() -> None:
    # given: the same defect, moved to another file by a refactoring, then triaged
    first = _parse(_row())[0]
    later = _parse(_row(displayFile="src/database.py", status="Triaged"))[0]
    # then
    assert first.fingerprint == later.fingerprint
    assert _parse(_row(cid=1002))[0].fingerprint != first.fingerprint


def test_sample_with_dismissed_issues() -> None:
    # when
    with (SAMPLES / "few_findings_mitigated.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then: the 20 security issues of 93 rows, as DefectDojo's own test asserts
    assert len(findings) == 20
    first = findings[0]
    assert (first.title, first.tool_finding_id, first.cwe_ids) == ("Cross-site scripting", "22486", (79,))
    assert first.tags == ("status:dismissed", "classification:false-positive", "action:ignore")
    assert findings[10].title == "Use of hard-coded password"
    assert findings[10].cwe_ids == (259,)


def test_row_without_cid_is_refused() -> None:
    # given
    row = _row()
    del row["cid"]
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(row)
    # then
    assert caught.value.reason == "the issue has no cid"
    assert caught.value.position == "viewContentsV1.rows[0]"


def test_document_without_rows_is_refused() -> None:
    with pytest.raises(MalformedReport) as caught:
        list(PARSER.parse(io.BytesIO(b'{"viewContentsV1": {"offset": 0}}')))
    assert caught.value.reason == "the report has no 'viewContentsV1.rows'; it may be another tool's report"


def test_detection() -> None:
    assert PARSER.detect((SAMPLES / "empty.json").read_bytes()) == 100
    for neighbour in (
        "checkmarx_one/no_findings.json",
        "sonarqube/sonar-6-findings.json",
        "trivy/scheme_2_many_vulns.json",
    ):
        assert PARSER.detect((SAMPLES.parent / neighbour).read_bytes()[:65536]) == 0, neighbour
