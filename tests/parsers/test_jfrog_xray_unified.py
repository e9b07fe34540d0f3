"""JFrog Xray Unified JSON."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.jfrog_xray_unified import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "jfrog_xray_unified"


def _findings(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="jfrog_xray_unified")[1])


def _sample(name: str) -> list[NormalizedFinding]:
    return _findings((SAMPLES / "jfrog_xray_unified" / name).read_bytes())


def _row(**fields: object) -> dict[str, object]:
    """A row as Xray 3.80+ writes it (no description, contextual analysis fields)."""
    row: dict[str, object] = orjson.loads((VARIANTS / "later_rows.json").read_bytes())["rows"][0]
    return row | fields


def _report(*rows: dict[str, object]) -> bytes:
    return orjson.dumps({"total_rows": len(rows), "rows": rows})


def test_row_of_xray_3_is_read_in_full() -> None:
    # when
    (finding,) = _sample("one_vuln.json")
    # then
    assert finding.title == "CVE-2020-28493 Jinja2 2.11.2"
    assert finding.severity is Severity.MEDIUM
    assert finding.rule_id == finding.tool_finding_id == "XRAY-139239"
    assert finding.advisory_ids == ("CVE-2020-28493",)
    assert finding.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L"
    assert finding.cvss_v3_score == 5.3
    assert finding.location.package == "Jinja2"
    assert finding.location.package_version == "2.11.2"
    assert finding.location.fixed_version == "2.11.3"
    assert finding.location.component == "pypi://Jinja2:2.11.2"
    assert finding.location.file_path == (
        "pypi-remote/30/9e/f663a2aa66a09d838042ae1a2c5659828bb9b41ea3a6efa20a20fd92b121/"
        "Jinja2-2.11.2-py2.py3-none-any.whl"
    )
    assert finding.description.startswith("This affects the package jinja2 from 0.0.0 and before 2.11.3.")
    assert finding.remediation == "Upgrade Jinja2 to 2.11.3."
    assert finding.references[0] == "https://snyk.io/vuln/SNYK-PYTHON-JINJA2-1012994"
    assert len(finding.references) == 3
    assert finding.evidence == "Vulnerable component: pypi://Jinja2:2.11.2\nImpact path: pypi://Jinja2:2.11.2"
    assert finding.tags == ("pypi",)


def test_row_with_many_cves_keeps_them_all_and_the_worst_cvss() -> None:
    # when
    first = _sample("Vulnerabilities-Report-XRAY_Unified.json")[0]
    # then
    assert len(first.advisory_ids) == 15
    assert first.advisory_ids[0] == "CVE-2019-2988"
    assert first.cvss_v3_score == 6.8  # CVE-2019-2949, the highest v3 score of the row
    assert first.cvss_v3_vector == "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N"
    assert first.location.package == "java-11-openjdk-headless"  # distribution and epoch left out
    assert first.location.package_version == "11.0.6.10-1.el7_7"
    assert first.title == "CVE-2019-2988 java-11-openjdk-headless 11.0.6.10-1.el7_7"


def test_row_of_recent_xray_is_read() -> None:
    # when
    (finding,) = _findings(_report(_row()))
    # then
    assert finding.title == "CVE-2023-42282 ip 2.0.0"
    assert finding.severity is Severity.CRITICAL
    assert finding.description == "The ip package before 1.1.9 for Node.js might allow SSRF."
    assert finding.cwe_ids == (918,)
    assert finding.location.fixed_version == "2.0.1, 1.1.9"
    assert finding.location.component == "docker://web:2.4.1"
    assert finding.remediation == "Upgrade ip to 2.0.1 or 1.1.9."
    assert finding.evidence == (
        "Vulnerable component: npm://ip:2.0.0\n"
        "Physical path: app/node_modules/ip\n"
        "Impact path: docker://web:2.4.1 > npm://express:4.18.2 > npm://ip:2.0.0"
    )
    assert finding.tags == ("npm", "applicability:applicable", "project:shop")


def test_fingerprint_ignores_versions_and_scan_times() -> None:
    # given: the next build of the image, rescanned, its component upgraded but still vulnerable
    rescan = _row(
        vulnerable_component="npm://ip:2.0.0-1",
        impacted_artifact="docker://web:2.4.2",
        path="docker-local/web/2.4.2/",
        artifact_scan_time="2025-12-01T08:00:00Z",
    )
    # when
    (before,) = _findings(_report(_row()))
    (after,) = _findings(_report(rescan))
    (other_image,) = _findings(_report(_row(impacted_artifact="docker://api:1.0")))
    # then
    assert before.fingerprint == after.fingerprint
    assert other_image.fingerprint != before.fingerprint


def test_severity_comes_from_the_score_when_the_word_is_missing_or_unknown() -> None:
    # given
    no_word = _row()
    del no_word["severity"]
    # when
    findings = _findings(_report(no_word, _row(severity="Unknown")))
    # then
    assert [finding.severity for finding in findings] == [Severity.CRITICAL, Severity.INFO]


def test_detection_takes_xray_reports_and_leaves_neighbours() -> None:
    # then
    for name in ("one_vuln.json", "no_vuln.json", "Vulnerabilities-Report-XRAY_Unified.json"):
        head = (SAMPLES / "jfrog_xray_unified" / name).read_bytes()
        assert detect_format(head).name == "jfrog_xray_unified"
    for neighbour in ("anchore_grype", "trivy", "snyk", "mend", "dependency_check"):
        for path in (SAMPLES / neighbour).glob("*"):
            assert PARSER.detect(path.read_bytes()[:65536]) == 0, path
    assert PARSER.detect(orjson.dumps({"total_rows": 1, "rows": [{"license": "MIT"}]})) == 0


def test_licence_report_is_refused() -> None:
    # when
    with pytest.raises(MalformedReport) as error:
        _findings(_report({"license": "MIT", "component": "npm://ip:2.0.0"}))
    # then
    assert "licence or operational risk report" in error.value.reason
    assert error.value.position == "rows[0]"


@pytest.mark.parametrize(
    ("data", "reason", "position"),
    [
        (b'{"total_rows": 1, "rows": [{"cves": [', "invalid JSON", "rows[0]"),
        (b'{"total_rows": 1, "rows": ["CVE-2023-42282"]}', "expected an object, found str", "rows[0]"),
        (b'{"total_rows": 0, "matches": []}', "the report has no 'rows'", "top level"),
        (b'[{"total_rows": 0}]', "the report has no 'rows'", "top level"),
    ],
)
def test_malformed_report_is_refused_naming_where(data: bytes, reason: str, position: str) -> None:
    # when
    with pytest.raises(MalformedReport) as error:
        _findings(data)
    # then
    assert reason in error.value.reason
    assert error.value.position == position


def test_cves_that_are_not_a_list_are_refused() -> None:
    # when
    with pytest.raises(MalformedReport) as error:
        _findings(_report(_row(cves={"cve": "CVE-2023-42282"})))
    # then
    assert error.value.reason == "expected an array, found dict"
    assert error.value.position == "rows[0].cves"
