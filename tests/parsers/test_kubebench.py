"""kube-bench JSON reports: an array of controls, or ``{"Controls": [...]}``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.grouping import fingerprint
from bastion.parsers.kubebench import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "kubebench"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "kubebench"


# kube-bench v0.4+ (``--json``): the controls under ``Controls``, totals after.
CONTROLS = json.loads((VARIANTS / "controls.json").read_bytes())


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="kubebench")[1])


def test_failed_check_is_read_with_its_control_and_section() -> None:
    # when
    findings = _sample("kube-bench-report-one-vuln.json")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert (
        finding.title
        == "4.2.11 - Ensure that the --rotate-certificates argument is not set to false (Scored)"
    )
    assert finding.severity is Severity.MEDIUM
    assert finding.rule_id == "4.2.11"
    assert finding.description.startswith(
        "Control: 4 Worker Node Security Configuration\nSection: 4.2 Kubelet\n"
    )
    assert (
        finding.evidence
        == "Expected result: 'false' is equal to 'true' OR '--rotate-certificates' is not present"
    )
    assert finding.remediation.startswith("If using a Kubelet config file")
    assert finding.tags == ("status:fail", "node_type:node", "benchmark:1.5", "scored")
    assert finding.fingerprint == fingerprint("kubebench", "1.5", "node", "4.2.11")


def test_every_control_of_an_array_report_is_read() -> None:
    # when
    findings = _sample("kube-bench-report-many-vuln.json")
    # then
    assert [finding.rule_id for finding in findings] == ["3.1.1", "4.1.2", "4.1.5", "4.2.11"]


def test_controls_object_yields_failures_and_warnings_that_are_not_manual() -> None:
    # given
    report = json.dumps(CONTROLS).encode()
    # when
    findings = _parse(report)
    # then
    assert [(finding.rule_id, finding.severity) for finding in findings] == [
        ("1.2.1", Severity.MEDIUM),
        ("1.2.4", Severity.INFO),
    ]
    assert findings[0].evidence == "Actual value: true"
    assert findings[0].tags == ("status:fail", "node_type:master", "benchmark:cis-1.6")
    assert "Reason: flag not set" in findings[1].description
    assert detect_format(report).name == "kubebench"


def test_object_without_controls_is_refused() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"Results": []}')
    assert caught.value.reason == "the report has no 'Controls'; it may be another tool's report"


def test_results_that_are_not_objects_are_refused() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(b'[{"id": "1", "tests": [{"section": "1.1", "results": ["FAIL"]}]}]')
    assert caught.value.position == "[0].tests[0].results[0]"


def test_other_json_is_not_detected() -> None:
    # when / then
    assert PARSER.detect(b'[{"id": "1", "text": "x"}]') == 0
