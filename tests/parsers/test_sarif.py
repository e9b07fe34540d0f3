"""SARIF 2.1.0 logs, from any tool."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.sarif import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "sarif"


def _parse(data: bytes) -> list[NormalizedFinding]:
    _parser, findings = parse_report(io.BytesIO(data), format_name="sarif")
    return list(findings)


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        _parser, findings = parse_report(stream)
        return list(findings)


def _log(*runs: dict[str, Any]) -> bytes:
    return json.dumps({"version": "2.1.0", "runs": list(runs)}).encode()


def _codeql_run(line: int, *, fingerprints: dict[str, str] | None = None) -> dict[str, Any]:
    """Return a CodeQL-like run: rules in an extension pack, scores in rule properties."""
    result: dict[str, Any] = {
        "ruleId": "js/sql-injection",
        "rule": {"id": "js/sql-injection", "index": 0, "toolComponent": {"index": 0}},
        "message": {"id": "default", "arguments": ["user-provided value"]},
        "guid": "2b1a3c9e-0000-4000-8000-000000000001",
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": "src/db%20layer/query.js",
                        "uriBaseId": "%SRCROOT%",
                    },
                    "region": {
                        "startLine": line,
                        "startColumn": 5,
                        "endLine": line,
                        "endColumn": 40,
                        "snippet": {"text": "  db.query('SELECT * FROM t WHERE id=' + id)\n"},
                    },
                }
            }
        ],
    }
    if fingerprints is not None:
        result["partialFingerprints"] = fingerprints
    return {
        "tool": {
            "driver": {"name": "CodeQL", "semanticVersion": "2.15.1", "rules": []},
            "extensions": [
                {
                    "name": "codeql/javascript-queries",
                    "rules": [
                        {
                            "id": "js/sql-injection",
                            "name": "js/sql-injection",
                            "shortDescription": {"text": "Database query built from user-controlled sources"},
                            "fullDescription": {"text": "Building a query from user input is unsafe."},
                            "help": {"text": "Use a parameterized query."},
                            "helpUri": "https://codeql.github.com/codeql-query-help/javascript/js-sql-injection/",
                            "messageStrings": {"default": {"text": "This query depends on a {0}."}},
                            "defaultConfiguration": {"level": "error"},
                            "properties": {
                                "tags": ["security", "external/cwe/cwe-089"],
                                "security-severity": "9.8",
                            },
                        }
                    ],
                }
            ],
        },
        "results": [result],
    }


def test_detect_claims_sarif_logs_and_nothing_else() -> None:
    assert PARSER.detect((SAMPLES / "no_runs.sarif").read_bytes()) == 100
    assert PARSER.detect((SAMPLES / "appendix_k1.sarif").read_bytes()) == 90
    assert PARSER.detect((SAMPLES / "njsscan.sarif").read_bytes()) == 100
    assert PARSER.detect(b'{"runs": 3, "version": "2.1.0"}') == 80
    assert PARSER.detect(b'{"results": [], "errors": []}') == 0
    assert PARSER.detect(b"<runs/>") == 0


def test_njsscan_results_keep_rule_details_and_strip_the_file_scheme() -> None:
    # when
    findings = _sample("njsscan.sarif")
    # then
    assert len(findings) == 3
    first = findings[0]
    assert first.title == (
        "crypto.pseudoRandomBytes()/Math.random() is a cryptographically weak random number generator."
    )
    assert first.severity == Severity.MEDIUM  # no level anywhere: SARIF's default "warning"
    assert first.tool == "nodejsscan"
    assert first.tool_version == "0.2.3"
    assert first.rule_id == "node_insecure_random_generator"
    assert first.cwe_ids == (327,)
    assert first.location.file_path == "/src/index.js"
    assert first.location.line_start == 321
    assert first.location.line_end == 321
    assert first.evidence == "var r = Math.random()*16|0, v = c == 'x' ? r : (r&0x3|0x8);"
    assert first.references == ("https://ajinabraham.github.io/nodejsscan/#node_insecure_random_generator",)


def test_a_result_with_two_locations_is_a_finding_at_each() -> None:
    # when
    findings = _sample("njsscan.sarif")
    # then
    second, third = findings[1], findings[2]
    assert second.severity == Severity.HIGH
    assert (second.rule_id, third.rule_id) == ("node_password", "node_password")
    assert (second.location.line_start, third.location.line_start) == (235, 239)
    assert second.evidence == 'passwdInput.type = "text";'
    assert third.evidence == 'passwdInput.type = "password";'
    assert second.cwe_ids == (798,)
    assert len({finding.fingerprint for finding in findings}) == 3


def test_shellcheck_log_repeats_findings_with_their_stated_fingerprints() -> None:
    # when
    findings = _sample("bash-report.sarif")
    # then
    assert len(findings) == 27
    first = findings[0]
    assert first.title == "Don't quote right-hand side of =~, it'll match literally rather than as a regex."
    assert first.severity == Severity.LOW
    assert first.tool == "shell script analysis"
    assert first.tool_version == "1.0.0-scan"
    assert first.rule_id == "2076"
    assert first.location.file_path == "/home/damien/dd/docker/setEnv.sh"
    assert first.location.line_start == 134
    assert first.references == ("https://github.com/koalaman/shellcheck/wiki/SC2076",)
    assert first.tags == ("Scan", "baseline:new")
    # The log repeats results (same rule, file, partial fingerprints): 12 distinct ones.
    assert len({finding.fingerprint for finding in findings}) == 12


@pytest.mark.parametrize("name", ["appendix_k1.sarif", "no_runs.sarif"])
def test_logs_without_results_yield_nothing(name: str) -> None:
    assert _sample(name) == []


def test_security_severity_extension_rules_and_message_strings() -> None:
    # when
    [finding] = _parse(_log(_codeql_run(12)))
    # then
    assert finding.title == "This query depends on a user-provided value."
    assert finding.severity == Severity.CRITICAL  # security-severity 9.8 wins over "error"
    assert finding.tool == "codeql"
    assert finding.tool_version == "2.15.1"
    assert finding.rule_id == "js/sql-injection"
    assert finding.tool_finding_id == "2b1a3c9e-0000-4000-8000-000000000001"
    assert finding.cwe_ids == (89,)
    assert finding.description == (
        "This query depends on a user-provided value.\n\nBuilding a query from user input is unsafe."
    )
    assert finding.remediation == "Use a parameterized query."
    assert finding.location.file_path == "src/db layer/query.js"
    assert finding.location.line_start == 12
    assert finding.references == ("https://codeql.github.com/codeql-query-help/javascript/js-sql-injection/",)
    assert finding.tags == ("security", "external/cwe/cwe-089")


def test_fingerprint_without_stated_ones_follows_the_snippet_not_the_line() -> None:
    # given: the same result, moved down by 30 lines
    before = _parse(_log(_codeql_run(12)))
    after = _parse(_log(_codeql_run(42)))
    # then
    assert before[0].fingerprint == after[0].fingerprint
    assert before[0].location.line_start != after[0].location.line_start


def test_fingerprint_uses_the_tools_partial_fingerprints_whatever_their_order() -> None:
    # given
    one = _parse(_log(_codeql_run(12, fingerprints={"a": "1", "primaryLocationLineHash": "ff:1"})))
    two = _parse(_log(_codeql_run(99, fingerprints={"primaryLocationLineHash": "ff:1", "a": "1"})))
    other = _parse(_log(_codeql_run(12, fingerprints={"primaryLocationLineHash": "ee:1"})))
    # then
    assert one[0].fingerprint == two[0].fingerprint
    assert one[0].fingerprint != other[0].fingerprint


def test_the_same_snippet_at_two_places_gets_two_fingerprints() -> None:
    # given
    run = _codeql_run(12)
    moved = json.loads(json.dumps(run["results"][0]))
    moved["locations"][0]["physicalLocation"]["region"]["startLine"] = 80
    run["results"].append(moved)
    run["results"].append(json.loads(json.dumps(moved)))  # a real repeat of the second
    # when
    findings = _parse(_log(run))
    # then
    assert [finding.location.line_start for finding in findings] == [12, 80, 80]
    assert findings[0].fingerprint != findings[1].fingerprint
    assert findings[1].fingerprint == findings[2].fingerprint
    assert findings[0].fingerprint == _parse(_log(_codeql_run(12)))[0].fingerprint


def test_results_before_the_tool_and_several_runs() -> None:
    # given: a run whose results come before its tool, then a run of another tool
    first = {
        "results": [
            {
                "ruleId": "R1",
                "level": "note",
                "message": {"text": "Found it"},
                "properties": {"cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///a.py"}}}],
            }
        ],
        "tool": {"driver": {"name": "ScannerOne", "rules": [{"id": "R1", "name": "CVE-2023-1234"}]}},
    }
    second = {
        "tool": {"driver": {"name": "Two"}},
        "results": [{"message": {"text": "x"}, "kind": "pass"}],
    }
    # when
    findings = _parse(_log(first, second))
    # then
    assert [finding.tool for finding in findings] == ["scannerone", "two"]
    assert findings[0].severity == Severity.LOW
    assert findings[0].advisory_ids == ("CVE-2023-1234",)
    assert findings[0].cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert findings[0].cvss_v3_score == 9.8
    assert findings[0].location.file_path == "/a.py"
    assert findings[1].severity == Severity.INFO  # a "pass" result without a level is "none"
    assert findings[1].tags == ("kind:pass",)


def test_runs_that_are_not_an_array_are_rejected() -> None:
    with pytest.raises(MalformedReport, match="expected an array, found dict") as caught:
        _parse(b'{"version": "2.1.0", "runs": {"tool": {}}}')
    assert caught.value.position == "runs"


def test_a_result_that_is_not_an_object_is_rejected_naming_it() -> None:
    data = _log({"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "ok"}}, "oops"]})
    with pytest.raises(MalformedReport, match="expected an object, found str") as caught:
        _parse(data)
    assert caught.value.position == "runs[0].results[1]"


def test_a_log_without_runs_is_rejected() -> None:
    with pytest.raises(MalformedReport, match="no runs array"):
        _parse(b'{"version": "2.1.0"}')


def test_a_truncated_log_is_rejected() -> None:
    data = (SAMPLES / "njsscan.sarif").read_bytes()[:1500]
    with pytest.raises(MalformedReport, match="invalid JSON"):
        _parse(data)


def test_windows_file_uris_become_windows_paths() -> None:
    location = {"physicalLocation": {"artifactLocation": {"uri": "file:///C:/src/My%20App/a.c"}}}
    run = {"tool": {"driver": {"name": "x"}}, "results": [{"locations": [location]}]}
    [finding] = _parse(_log(run))
    assert finding.location.file_path == "C:/src/My App/a.c"
    assert finding.severity == Severity.MEDIUM
    assert finding.title == "Untitled finding"


def test_a_log_broken_after_its_results_begin_gives_its_findings_then_the_error() -> None:
    # given a one-run log, damaged in its third result
    results = [{"ruleId": f"r{n}", "message": {"text": f"m{n}"}} for n in range(3)]
    data = _log({"tool": {"driver": {"name": "x"}}, "results": results}).replace(b'"m2"', b'"m2" @')
    # when
    found: list[NormalizedFinding] = []
    with pytest.raises(MalformedReport, match="invalid JSON") as caught:
        found.extend(parse_report(io.BytesIO(data), format_name="sarif")[1])
    # then the first two, once each, and where it breaks
    assert [finding.rule_id for finding in found] == ["r0", "r1"]
    assert caught.value.position == "runs[0].results[2]"


def test_a_second_run_whose_tool_key_is_escaped_keeps_its_own_tool() -> None:
    first = {"tool": {"driver": {"name": "one"}}, "results": [{"message": {"text": "a"}}]}
    second = {"tool": {"driver": {"name": "two"}}, "results": [{"message": {"text": "b"}}]}
    data = _log(first, second).replace(b'"tool"', b'"\\u0074ool"', 2).replace(b'"\\u0074ool"', b'"tool"', 1)
    assert [finding.tool for finding in _parse(data)] == ["one", "two"]
