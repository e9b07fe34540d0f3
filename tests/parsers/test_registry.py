"""The registry and what every parser shares: empty reports, reports of another format."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from bastion.parsers import MalformedReport, all_parsers, parse_report

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"
# Formats whose report is a list of lines: no line, no finding.
JSON_LINES_FORMATS = frozenset({"nuclei", "trufflehog"})
# Formats read from XML, besides ZAP's.
XML_FORMATS = (
    "acunetix",
    "burp",
    "cyclonedx",
    "dependency_check",
    "nikto",
    "nmap",
    "openvas",
    "qualys",
    "tenable",
)


@pytest.mark.parametrize("content", [b"", b" \n\t\r\n", b"\xef\xbb\xbf\n"])
def test_empty_report_without_a_format_is_refused(content: bytes) -> None:
    # when
    with pytest.raises(MalformedReport) as caught:
        parse_report(io.BytesIO(content))
    # then
    assert caught.value.reason == "the report is empty"
    assert caught.value.position is None


@pytest.mark.parametrize("format_name", sorted(JSON_LINES_FORMATS))
@pytest.mark.parametrize("content", [b"", b" \n\n"])
def test_empty_json_lines_report_with_its_format_has_no_findings(format_name: str, content: bytes) -> None:
    # when
    parser, findings = parse_report(io.BytesIO(content), format_name=format_name)
    # then
    assert parser.name == format_name
    assert list(findings) == []


@pytest.mark.parametrize("format_name", sorted(set(all_parsers()) - JSON_LINES_FORMATS))
@pytest.mark.parametrize("content", [b"", b" \n\n"])
def test_empty_report_with_its_format_is_refused_by_the_parser(format_name: str, content: bytes) -> None:
    # given: the registry hands the empty report to the named parser
    parser, findings = parse_report(io.BytesIO(content), format_name=format_name)
    # when
    with pytest.raises(MalformedReport) as caught:
        list(findings)
    # then
    assert parser.name == format_name
    assert caught.value.reason == "the report is empty"


def test_detection_reads_the_head_and_parsing_starts_over() -> None:
    # given: a report that does not start at the stream's start
    report = b'[{"code": "DL3008", "file": "Dockerfile", "line": 3, "column": 1, '
    report += b'"level": "warning", "message": "Pin versions"}]'
    stream = io.BytesIO(b"#" + report)
    stream.seek(1)
    # when
    parser, findings = parse_report(stream)
    # then
    assert parser.name == "hadolint"
    assert [finding.rule_id for finding in findings] == ["DL3008"]


@pytest.mark.parametrize("format_name", sorted(set(all_parsers()) - {"trivy"}))
def test_another_tools_json_report_forced_on_a_parser_is_refused(format_name: str) -> None:
    # given: a Trivy report, named as another format
    report = (SCANS / "trivy" / "scheme_2_many_vulns.json").read_bytes()
    _parser, findings = parse_report(io.BytesIO(report), format_name=format_name)
    # when / then: refused, not read as a report without findings
    with pytest.raises(MalformedReport):
        list(findings)


@pytest.mark.parametrize("format_name", XML_FORMATS)
def test_another_tools_xml_report_forced_on_a_parser_is_refused_by_its_root(
    format_name: str,
) -> None:
    # given: a ZAP report, named as another XML format
    report = (SCANS / "zap" / "0_zap_sample.xml").read_bytes()
    _parser, findings = parse_report(io.BytesIO(report), format_name=format_name)
    # when
    with pytest.raises(MalformedReport) as caught:
        list(findings)
    # then
    assert caught.value.reason.startswith("the root element is <OWASPZAPReport>, not <")
    assert caught.value.position == "top level"


def test_json_report_without_its_formats_array_is_refused_naming_it() -> None:
    # given: a JSON object of another shape, named as bandit
    _parser, findings = parse_report(io.BytesIO(b'{"Results": []}'), format_name="bandit")
    # when
    with pytest.raises(MalformedReport) as caught:
        list(findings)
    # then
    assert caught.value.reason == "the report has no 'results'; it may be another tool's report"
    assert caught.value.position == "top level"


def test_the_defectdojo_guide_lists_every_format_with_its_scan_types() -> None:
    # given: the table of docs/defectdojo.md
    guide = (Path(__file__).parents[2] / "docs" / "defectdojo.md").read_text()
    table = guide.split("## Formats and their DefectDojo names", 1)[1]
    rows = [line for line in table.splitlines() if line.startswith("| `")]

    # then: one row per parser, naming exactly its scan types
    listed = {}
    for row in rows:
        name, _label, types = (cell.strip() for cell in row.strip("|").split(" | "))
        listed[name.strip("`")] = sorted(re.findall(r"`([^`]+)`", types))
    assert listed == {name: sorted(parser.defectdojo_scan_types) for name, parser in all_parsers().items()}


def test_each_defectdojo_scan_type_names_one_format() -> None:
    claimed = [name for parser in all_parsers().values() for name in parser.defectdojo_scan_types]
    assert len(claimed) == len(set(claimed))
