"""ESLint JSON reports: the json formatter and json-with-metadata."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.eslint import PARSER
from bastion.parsers.grouping import fingerprint

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "eslint"
SAMPLES = SCANS / "eslint"

SOURCE = "const a = obj[key];\nrun();\nconst a = obj[key];\n"
# json-with-metadata (ESLint 8+): the results, then the rules' metadata and the working directory.
WITH_METADATA = json.loads((VARIANTS / "json_with_metadata.json").read_bytes())


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="eslint")[1])


def test_messages_are_findings_with_rule_file_line_and_code() -> None:
    # when
    findings = _sample("scan.json")
    # then
    assert [(f.severity, f.location.line_start) for f in findings] == [
        (Severity.HIGH, 19),
        (Severity.MEDIUM, 20),
    ]
    first = findings[0]
    assert first.title == "Generic Object Injection Sink"
    assert first.rule_id == "security/detect-object-injection"
    assert first.location.file_path == "/Users/omerlh/dev/juice-shop/routes/basketItems.js"
    assert first.location.component == "MemberExpression"
    assert first.evidence == "19:11-19:20: if (result[i].key === 'ProductId') {"
    assert first.fingerprint == fingerprint(
        "eslint",
        "security/detect-object-injection",
        "/Users/omerlh/dev/juice-shop/routes/basketItems.js",
        "if (result[i].key === 'ProductId') {",
    )


def test_report_with_metadata_uses_rule_docs_and_relative_paths() -> None:
    # when
    findings = _parse(json.dumps(WITH_METADATA).encode())
    # then
    assert len(findings) == 3
    first, second, fatal = findings
    assert first.location.file_path == "src/index.js"
    assert first.references == (
        "https://github.com/eslint-community/eslint-plugin-security#detect-object-injection",
    )
    assert first.description.endswith('Detects "variable[key]" as a left- or right-hand assignment operand.')
    # the same code at two lines: numbered apart, the first keeps the plain fingerprint
    anchor = ("eslint", "security/detect-object-injection", "src/index.js", "const a = obj[key];")
    assert first.fingerprint == fingerprint(*anchor)
    assert second.fingerprint == fingerprint(*anchor, 1)
    assert fatal.rule_id is None
    assert fatal.severity is Severity.HIGH
    assert fatal.tags == ("parse-error",)


def test_fingerprint_survives_lines_added_above() -> None:
    # given
    moved = json.loads(json.dumps(WITH_METADATA))
    moved["results"][0]["source"] = "// header\n" + SOURCE
    for message in moved["results"][0]["messages"]:
        message["line"] += 1
    # when
    before = _parse(json.dumps(WITH_METADATA).encode())
    after = _parse(json.dumps(moved).encode())
    # then
    assert [f.fingerprint for f in after] == [f.fingerprint for f in before]
    assert after[0].location.line_start == 2


def test_detects_eslint_reports_and_only_weakly_an_empty_array() -> None:
    # then
    assert PARSER.detect((SAMPLES / "scan.json").read_bytes()) == 90
    assert PARSER.detect(json.dumps(WITH_METADATA).encode()) == 90
    assert PARSER.detect(b"[]") == 5
    assert detect_format((SAMPLES / "scan.json").read_bytes()).name == "eslint"
    for other in ("gitleaks", "bandit", "hadolint"):
        assert all(PARSER.detect(path.read_bytes()) == 0 for path in (SCANS / other).glob("*.json"))


def test_empty_array_has_no_findings() -> None:
    # when / then
    assert _sample("empty.json") == []


@pytest.mark.parametrize(
    ("document", "reason", "position"),
    [
        (b'{"results": [{"filePath": "a.js"}]}', "a result has no filePath or messages", "results[0]"),
        (b'[{"filePath": "a.js", "messages": [1]}]', "expected an object, found int", "[0].messages[0]"),
        (b'{"metadata": {}}', "the report has no 'results'", "top level"),
        (b'[{"filePath": "a.js", "messages": [', "invalid JSON", "[0].messages[0]"),
    ],
)
def test_malformed_report_is_refused_naming_where(document: bytes, reason: str, position: str) -> None:
    # when
    with pytest.raises(MalformedReport) as refused:
        _parse(document)
    # then
    assert refused.value.reason.startswith(reason)
    assert refused.value.position == position
