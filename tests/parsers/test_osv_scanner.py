"""OSV-Scanner JSON: one finding per OSV record and package, severities, fingerprints."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "osv_scanner"
PARSER = get_parser("osv_scanner")


def _report(vulnerability: Mapping[str, object], groups: Sequence[object] | None = None) -> bytes:
    package = {
        "package": {"name": "requests", "version": "2.29.0", "ecosystem": "PyPI"},
        "vulnerabilities": [vulnerability],
        "groups": groups or [],
    }
    results = [{"source": {"path": "app/requirements.txt", "type": "lockfile"}, "packages": [package]}]
    return json.dumps({"results": results}).encode()


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def test_ghsa_record_details() -> None:
    # when
    findings = _sample("many_findings.json")
    # then
    assert len(findings) == 66
    first = findings[0]
    assert first.title == (
        "GHSA-25mq-v84q-4j7r in guzzlehttp/guzzle@6.3.3: "
        "CURLOPT_HTTPAUTH option not cleared on change of origin"
    )
    assert first.severity == Severity.HIGH
    assert first.tool == "osv_scanner"
    assert first.rule_id == "GHSA-25mq-v84q-4j7r"
    assert first.advisory_ids == ("GHSA-25mq-v84q-4j7r", "CVE-2022-31090")
    assert first.cwe_ids == (200, 212)
    assert first.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N"
    assert first.cvss_v3_score == 7.7
    assert first.location.file_path == "/tmpcardmarket-api/composer.lock"  # noqa: S108
    assert first.location.package == "guzzlehttp/guzzle"
    assert first.location.package_version == "6.3.3"
    assert first.location.fixed_version == "6.5.8, 7.4.5"
    assert first.remediation == "Upgrade guzzlehttp/guzzle to 6.5.8 or 7.4.5."
    assert first.tags == ("ecosystem:Packagist", "source:lockfile")


def test_malicious_package_record_without_severity_is_low() -> None:
    # when
    findings = _sample("some_findings.json")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.rule_id == "MAL-2023-1035"
    assert finding.severity == Severity.LOW
    assert finding.cwe_ids == (506,)
    assert finding.advisory_ids == ("GHSA-8348-2q94-ffjx",)
    assert finding.location.fixed_version is None


def test_cwes_of_every_affected_entry_are_kept() -> None:
    assert _sample("multi_cwe_fabricated.json")[0].cwe_ids == (79, 89)


def test_severity_falls_back_to_cvss_then_group_max_severity() -> None:
    # given
    with_vector = {
        "id": "PYSEC-2023-74",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    }
    with_group_score = {"id": "PYSEC-2023-75"}
    groups = [{"ids": ["PYSEC-2023-75"], "aliases": ["PYSEC-2023-75"], "max_severity": "5.3"}]
    # when
    critical = _parse(_report(with_vector))[0]
    medium = _parse(_report(with_group_score, groups))[0]
    # then
    assert critical.severity == Severity.CRITICAL
    assert critical.cvss_v3_score == 9.8
    assert medium.severity == Severity.MEDIUM
    assert medium.cvss_v3_score is None


def test_fingerprint_survives_advisory_updates_and_separates_records() -> None:
    # given: the same record, re-published with new words and dates
    before = {"id": "GHSA-j8r2-6x86-q33q", "summary": "Leak", "modified": "2023-05-22T00:00:00Z"}
    after = {
        "id": "GHSA-j8r2-6x86-q33q",
        "summary": "Leak of headers",
        "modified": "2024-01-01T00:00:00Z",
    }
    # when / then
    assert _parse(_report(before))[0].fingerprint == _parse(_report(after))[0].fingerprint
    fingerprints = [finding.fingerprint for finding in _sample("many_findings.json")]
    assert len(set(fingerprints)) == 66


def test_detects_osv_scanner_output_only() -> None:
    assert PARSER.detect((SAMPLES / "some_findings.json").read_bytes()) == 90
    assert PARSER.detect(_report({"id": "X-1"})) == 90  # "groups"
    without_groups = (
        b'{"results": [{"source": {"path": "a"}, "packages": [{"package": {"ecosystem": "npm"}}]}]}'
    )
    assert PARSER.detect(without_groups) == 75
    assert PARSER.detect(b'{"results": [{"filename": "a.py", "test_id": "B101"}]}') == 0


def test_package_that_is_not_an_object_is_refused() -> None:
    report = b'{"results": [{"source": {"path": "a"}, "packages": [{"package": "requests"}]}]}'
    with pytest.raises(MalformedReport) as caught:
        list(parse_report(io.BytesIO(report), format_name="osv_scanner")[1])
    assert caught.value.reason == "expected an object, found str"
    assert caught.value.position == "results[0].packages[0].package"
