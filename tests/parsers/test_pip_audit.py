"""pip-audit JSON: both shapes, findings per advisory, severity, fingerprints, bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "pip_audit"
PARSER = get_parser("pip_audit")

OLD_SHAPE = b"""[
  {"name": "Django", "version": "3.2.9", "vulns": [
    {"id": "PYSEC-2021-439", "fix_versions": ["2.2.25", "3.2.10"],
     "aliases": ["CVE-2021-44420", "GHSA-v6rh-hp5x-86rv"], "description": "Trailing newlines."}
  ]},
  {"name": "azure-devops", "skip_reason": "Dependency not found on PyPI"}
]"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_current_shape_yields_one_finding_per_advisory() -> None:
    # when
    with (SAMPLES / "many_vulns_new.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert [finding.rule_id for finding in findings] == [
        "PYSEC-2021-76",
        "PYSEC-2021-439",
        "PYSEC-2021-852",
        "PYSEC-2019-128",
        "PYSEC-2020-260",
        "PYSEC-2019-129",
        "PYSEC-2020-259",
    ]
    first = findings[0]
    assert first.title == "PYSEC-2021-76 in aiohttp:3.6.2"
    assert first.severity == Severity.MEDIUM
    assert first.tool == "pip_audit"
    assert first.cwe_ids == (1395,)
    assert first.location.package == "aiohttp"
    assert first.location.package_version == "3.6.2"
    assert first.location.fixed_version == "3.7.4"
    assert first.remediation == "Upgrade aiohttp to 3.7.4."
    assert first.references == ("https://osv.dev/vulnerability/PYSEC-2021-76",)
    assert first.description.startswith("aiohttp is an asynchronous HTTP client/server")


def test_advisory_without_fix_has_no_fixed_version() -> None:
    with (SAMPLES / "many_vulns_new.json").open("rb") as stream:
        lxml = [finding for finding in PARSER.parse(stream) if finding.location.package == "lxml"]
    assert len(lxml) == 1
    assert lxml[0].location.fixed_version is None
    assert lxml[0].remediation == ""


def test_old_shape_reads_aliases_and_skips_unaudited_dependencies() -> None:
    # when
    findings = _parse(OLD_SHAPE)
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.rule_id == "PYSEC-2021-439"
    assert finding.advisory_ids == ("CVE-2021-44420", "GHSA-v6rh-hp5x-86rv")
    assert finding.tags == ("alias:CVE-2021-44420", "alias:GHSA-v6rh-hp5x-86rv")
    assert finding.location.fixed_version == "2.2.25, 3.2.10"


@pytest.mark.parametrize("name", ["empty.json", "empty_new.json", "zero_vulns.json"])
def test_reports_without_vulnerabilities_yield_nothing(name: str) -> None:
    with (SAMPLES / name).open("rb") as stream:
        assert list(PARSER.parse(stream)) == []


def test_fingerprint_is_the_same_in_both_shapes_and_across_versions() -> None:
    # given: the same advisory, once in the old shape, once in the new one after an upgrade
    new_shape = (
        b'{"dependencies": [{"name": "django", "version": "3.2.10", "vulns": ['
        b'{"id": "PYSEC-2021-439", "fix_versions": [], "description": "other words"}]}],'
        b' "fixes": []}'
    )
    # when
    old = _parse(OLD_SHAPE)[0]
    new = _parse(new_shape)[0]
    # then: the name is normalized (Django == django) and the version is not part of it
    assert old.fingerprint == new.fingerprint


def test_different_advisories_get_different_fingerprints() -> None:
    with (SAMPLES / "many_vulns_new.json").open("rb") as stream:
        fingerprints = [finding.fingerprint for finding in PARSER.parse(stream)]
    assert len(set(fingerprints)) == 7


def test_detects_both_shapes_and_leaves_cyclonedx_alone() -> None:
    assert PARSER.detect((SAMPLES / "many_vulns_new.json").read_bytes()) == 85
    assert PARSER.detect(OLD_SHAPE) == 80
    assert PARSER.detect(b"[\n]") == 10
    assert PARSER.detect(b'{"bomFormat": "CycloneDX", "dependencies": []}') == 0
    assert PARSER.detect(b'{"results": []}') == 0


def test_vulns_that_are_not_an_array_are_refused() -> None:
    # given
    report = b'{"dependencies": [{"name": "aiohttp", "version": "3.6.2", "vulns": "PYSEC-2021-76"}]}'
    # when
    with pytest.raises(MalformedReport) as caught:
        list(parse_report(io.BytesIO(report), format_name="pip_audit")[1])
    # then
    assert caught.value.reason == "expected an array, found str"
    assert caught.value.position == "dependencies[0].vulns"


def test_truncated_report_is_refused() -> None:
    with pytest.raises(MalformedReport, match="invalid JSON"):
        list(parse_report(io.BytesIO(OLD_SHAPE[:80]), format_name="pip_audit")[1])
