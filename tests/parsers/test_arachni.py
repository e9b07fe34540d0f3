"""Arachni JSON report."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format
from bastion.parsers.arachni import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "arachni"


def _issue(**overrides: Any) -> dict[str, Any]:
    issue: dict[str, Any] = {
        "name": "SQL Injection",
        "description": "\nSQL injection lets an attacker\nrun queries.\n\nIt is serious.\n",
        "references": {"OWASP": "https://owasp.org/sqli"},
        "tags": ["sql", "injection"],
        "cwe": 89,
        "severity": "high",
        "remedy_guidance": "Use prepared statements.",
        "check": {"name": "SQL Injection", "shortname": "sql_injection"},
        "vector": {
            "class": "Arachni::Element::Form",
            "type": "form",
            "url": "https://shop.example.com/",
            "action": "https://shop.example.com/search",
            "method": "get",
            "affected_input_name": "q",
            "seed": "'\"`--",
        },
        "proof": "You have an error in your SQL syntax",
        "trusted": True,
        "digest": 3254960792,
        "request": {"url": "https://shop.example.com/search?q=%27"},
        "response": {"url": "https://shop.example.com/search?q=%27"},
    }
    issue.update(overrides)
    return issue


def _report(*issues: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "version": "1.5.1",
            "seed": "6c78ef9032b42c79e79988f7862ddb55",
            "options": {"http": {"user_agent": "Arachni/v1.5.1"}},
            "sitemap": {},
            "issues": list(issues),
        }
    ).encode()


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_issue_is_read_with_its_place_proof_and_ids() -> None:
    # when
    (finding,) = _parse(_report(_issue()))
    # then
    assert finding.title == "SQL Injection"
    assert finding.severity is Severity.HIGH
    assert finding.rule_id == "sql_injection"
    assert finding.tool_finding_id == "3254960792"
    assert finding.cwe_ids == (89,)
    assert finding.location.url == "https://shop.example.com/search"
    assert finding.location.parameter == "q"
    assert finding.location.host == "shop.example.com"
    assert finding.description == "SQL injection lets an attacker run queries.\n\nIt is serious."
    assert finding.remediation == "Use prepared statements."
    assert finding.evidence == "Proof: You have an error in your SQL syntax\nElement: form GET"
    assert finding.references == ("https://owasp.org/sqli",)
    assert finding.tags == ("sql", "injection", "instances:1")


def test_issues_of_one_check_are_one_finding_across_inputs_and_rescans_keep_it() -> None:
    # given
    second = _issue(vector={**_issue()["vector"], "affected_input_name": "page"}, digest=1)
    untrusted = _issue(check={"shortname": "xss"}, name="XSS", severity="medium", trusted=False)
    # when
    findings = _parse(_report(_issue(), second, untrusted))
    rescan = _parse(_report(_issue(digest=42, proof="other")))
    # then
    assert [finding.tags[-1] for finding in findings] == ["instances:2", "instances:1"]
    assert findings[0].evidence.endswith("Other instances (1):\n- https://shop.example.com/search [page]")
    assert "untrusted" in findings[1].tags
    assert rescan[0].fingerprint == findings[0].fingerprint


def test_variations_of_an_arachni_0_4_issue_are_its_places() -> None:
    # given: Arachni 0.4 lists the places of one issue in "variations"
    issue = _issue(
        vector={},
        url="https://shop.example.com/a",
        var="id",
        variations=[
            {"url": "https://shop.example.com/a", "var": "id"},
            {"url": "https://shop.example.com/b", "var": "id"},
        ],
    )
    # when
    (finding,) = _parse(_report(issue))
    # then
    assert finding.location.url == "https://shop.example.com/a"
    assert finding.tags[-1] == "instances:2"


def test_sample_many_findings_are_grouped_by_check() -> None:
    # when
    with (SAMPLES / "js.com.afr.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert [(finding.rule_id, finding.severity) for finding in findings[:3]] == [
        ("sql_injection", Severity.HIGH),
        ("unvalidated_redirect", Severity.MEDIUM),
        ("common_directories", Severity.MEDIUM),
    ]
    interesting = findings[-1]
    assert interesting.rule_id == "interesting_responses"
    assert interesting.severity is Severity.INFO
    assert interesting.tags[-1] == "instances:25"


def test_detection() -> None:
    assert detect_format(_report(_issue())).name == "arachni"
    assert PARSER.detect(b'{"seed": 1, "results": []}') == 0
    assert PARSER.detect(b"<report/>") == 0


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (b'{"version": "1.5.1", "seed": "x", "options": {}}', "the report has no 'issues'"),
        (_report(_issue(name="")), "issue has no name"),
        (_report(_issue(vector={}, request={}, response={})), "issue has no URL"),
        (b'{"seed": "x", "issues": [{"name": ', "invalid JSON"),
    ],
)
def test_malformed_report_is_refused_naming_the_problem(report: bytes, message: str) -> None:
    with pytest.raises(MalformedReport) as error:
        _parse(report)
    assert message in str(error.value)
