"""bundler-audit: text blocks (current and old keys, colours, insecure sources), JSON, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "bundler_audit"
PARSER = get_parser("bundler_audit")

# bundler-audit 0.6 text, coloured, with an insecure source and a verbose description.
OLD_TEXT = (
    b"Insecure Source URI found: git://github.com/rails/rails.git\n"
    b"\x1b[31mName: \x1b[0mactionpack\n"
    b"Version: 3.2.10\n"
    b"Advisory: OSVDB-91452\n"
    b"Criticality: High\n"
    b"URL: http://www.osvdb.org/show/osvdb/91452\n"
    b"Title: XSS vulnerability in sanitize_css in Action Pack\n"
    b"Description:\n"
    b"  There is an XSS vulnerability\n"
    b"  in sanitize_css.\n"
    b"Solution: remove or disable this gem until a patch is available!\n"
    b"\n"
    b"Vulnerabilities found!\n"
)
JSON_REPORT = b"""{"version": "0.9.1", "created_at": "2024-01-01 00:00:00 +0000", "results": [
 {"type": "unpatched_gem", "gem": {"name": "rack", "version": "2.2.3"},
  "advisory": {"id": "CVE-2022-30122", "cve": "2022-30122", "ghsa": "hxqx-xwvh-44m2", "criticality": "high",
   "cvss_v3": 7.5, "url": "https://github.com/rack/rack/releases/tag/v2.2.3.1",
   "title": "Denial of Service in multipart",
   "description": "A denial of service.", "patched_versions": ["~> 2.0.9.1", ">= 2.2.3.1"]}},
 {"type": "insecure_source", "source": "http://rubygems.org/"}]}"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_sample_fields() -> None:
    with (SAMPLES / "version_9.0.txt").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    assert [f.rule_id for f in findings] == [
        "CVE-2020-8161",
        "CVE-2020-8184",
        "CVE-2018-3760",
        "GHSA-xc9x-jj77-9p9j",
    ]
    first = findings[0]
    assert (
        first.title
        == "Gem rack: Directory traversal in Rack::Directory app bundled with Rack [CVE-2020-8161]"
    )
    assert first.severity == Severity.MEDIUM
    assert first.advisory_ids == ("CVE-2020-8161", "GHSA-5f9h-9pjv-v6j7")
    assert first.location.package == "rack"
    assert first.location.package_version == "1.6.13"
    assert first.location.fixed_version == "~> 2.1.3, >= 2.2.0"
    assert first.remediation == "Upgrade to ~> 2.1.3, >= 2.2.0"
    assert first.references == ("https://groups.google.com/forum/#!topic/ruby-security-ann/T4ZIsfRf2eA",)


def test_old_coloured_text_with_insecure_source() -> None:
    insecure, gem = _parse(OLD_TEXT)
    assert insecure.title == "Insecure gem source: git://github.com/rails/rails.git"
    assert insecure.location.url == "git://github.com/rails/rails.git"
    assert gem.rule_id == "OSVDB-91452"
    assert gem.severity == Severity.HIGH
    assert gem.description == (
        "XSS vulnerability in sanitize_css in Action Pack\n\nThere is an XSS vulnerability\nin sanitize_css."
    )
    assert gem.location.fixed_version is None
    parser, _ = parse_report(io.BytesIO(OLD_TEXT))
    assert parser.name == "bundler_audit"


def test_json_report() -> None:
    gem, insecure = _parse(JSON_REPORT)
    assert gem.rule_id == "CVE-2022-30122"
    assert gem.advisory_ids == ("CVE-2022-30122", "GHSA-hxqx-xwvh-44m2")
    assert gem.severity == Severity.HIGH
    assert gem.cvss_v3_score == 7.5
    assert gem.location.fixed_version == "~> 2.0.9.1, >= 2.2.3.1"
    assert insecure.rule_id == "insecure_source"
    assert PARSER.detect(JSON_REPORT) == 95


def test_text_and_json_agree_on_the_fingerprint() -> None:
    text_report = (
        b"Name: rack\nVersion: 2.2.3\nCVE: CVE-2022-30122\nGHSA: GHSA-hxqx-xwvh-44m2\nCriticality: High\n"
        b"URL: https://example.org\nTitle: Denial of Service in multipart\nSolution: upgrade to >= 2.2.3.1\n"
    )
    assert _parse(text_report)[0].fingerprint == _parse(JSON_REPORT)[0].fingerprint


def test_no_vulnerabilities_found_is_a_report_without_findings() -> None:
    assert _parse(b"No vulnerabilities found\n") == []


def test_other_text_is_refused() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(b"hello\nworld\n")
    assert caught.value.reason.startswith("no advisory block (Name: ...) or bundler-audit verdict")


def test_broken_block_is_refused_naming_its_line() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(b"Name: rack\nVersion: 1.0\n<html>\n")
    assert caught.value.position == "line 3"
