"""WPScan JSON reports."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.grouping import fingerprint
from bastion.parsers.wpscan import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "wpscan"

SCORED = b"""{
 "banner": {"description": "WordPress Security Scanner by the WPScan Team", "version": "3.8.25"},
 "target_url": "https://blog.example.org/",
 "interesting_findings": [],
 "themes": {"twentytwenty": {"slug": "twentytwenty", "location": "https://blog.example.org/wp-content/themes/twentytwenty/",
  "version": {"number": "1.0"},
  "vulnerabilities": [{
   "title": "Twenty Twenty < 1.1 - Reflected XSS",
   "fixed_in": "1.1",
   "vuln_type": "XSS",
   "cvss": {"score": "6.1", "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"},
   "references": {"cve": ["2021-12345"], "wpvulndb": ["0a1b2c3d"]}
  }]}}
}"""


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="wpscan")[1])


def test_plugin_vulnerability_is_read_with_package_fix_and_ids() -> None:
    # when
    findings = _sample("issue5774.json")
    # then
    assert len(findings) == 59
    first = findings[0]
    assert first.title == "All in One SEO Pack <= 2.9.1.1 - Authenticated Stored Cross-Site Scripting (XSS)"
    assert first.severity is Severity.MEDIUM
    assert first.tool == "wpscan"
    assert first.tool_version == "3.8.20"
    assert first.rule_id == "16353d45-75d1-4820-b93f-daad90c322a8"
    assert first.tool_finding_id == "16353d45-75d1-4820-b93f-daad90c322a8"
    assert first.location.url == "http://example.com/wordpress/wp-content/plugins/all-in-one-seo-pack/"
    assert (first.location.package, first.location.package_version) == (
        "all-in-one-seo-pack",
        "2.3.12.2.1",
    )
    assert first.location.fixed_version == "2.10"
    assert first.remediation == "Upgrade all-in-one-seo-pack to version 2.10 or later."
    assert first.references[0] == "https://wpscan.com/vulnerability/16353d45-75d1-4820-b93f-daad90c322a8"
    assert first.fingerprint == fingerprint(
        "wpscan", "http://example.com/wordpress/", "16353d45-75d1-4820-b93f-daad90c322a8"
    )
    assert findings[1].advisory_ids == ("CVE-2019-16520",)


def test_core_vulnerabilities_follow_the_plugins_then_interesting_findings() -> None:
    # when
    findings = _sample("issue5774.json")
    # then
    core = [finding for finding in findings if finding.location.package == "wordpress"]
    assert len(core) == 44
    assert core[0].title == "WordPress 2.3-4.8.3 - Host Header Injection in Password Reset"
    assert core[0].location.package_version == "4.7.6"
    assert core[0].location.url == "http://example.com/wordpress/"
    assert core[0].advisory_ids == ("CVE-2017-8295",)
    assert [finding.severity for finding in findings[57:]] == [Severity.INFO, Severity.INFO]


def test_interesting_finding_is_info_with_its_entries() -> None:
    # when
    findings = _sample("wordpress_no_vuln.json")
    # then
    assert len(findings) == 7
    headers = findings[0]
    assert headers.title == "Interesting finding: https://www.sample-owasp-wp.com/"
    assert headers.severity is Severity.INFO
    assert headers.rule_id == "headers"
    assert headers.location.url == "https://www.sample-owasp-wp.com/"
    assert headers.evidence == "server: nginx/1.14.1"
    assert headers.tags == ("confidence:100",)
    assert headers.fingerprint == fingerprint(
        "wpscan", "interesting", "headers", "https://www.sample-owasp-wp.com/"
    )
    assert findings[4].title == (
        "Interesting finding: This site has 'Must Use Plugins': https://www.sample-owasp-wp.com/wp-content/mu-plugins/"
    )
    assert findings[4].references == ("http://codex.wordpress.org/Must_Use_Plugins",)


def test_vulnerability_id_listed_twice_is_one_finding() -> None:
    # when: id 8873 appears under the plugin twice and under the main theme
    findings = _sample("wordpress_many_vuln.json")
    # then
    assert len(findings) == 8
    assert findings[0].title == "YouTube Embed <= 11.8.1 - Cross-Site Request Forgery (CSRF)"
    assert findings[0].tool_finding_id == "8873"
    assert [finding.rule_id for finding in findings[1:]] == [
        "headers",
        "robots_txt",
        "xmlrpc",
        "readme",
        "mu_plugins",
        "upload_directory_listing",
        "wp_cron",
    ]


def test_same_interesting_finding_in_two_reports_has_the_same_fingerprint() -> None:
    # when
    with_vulns = _sample("wordpress_many_vuln.json")
    without = _sample("wordpress_no_vuln.json")
    # then
    assert [finding.fingerprint for finding in with_vulns[1:]] == [finding.fingerprint for finding in without]
    assert len({finding.fingerprint for finding in with_vulns}) == 8


def test_cvss_gives_the_severity_when_present() -> None:
    # when
    findings = _parse(SCORED)
    # then
    assert len(findings) == 1
    theme = findings[0]
    assert theme.severity is Severity.MEDIUM
    assert theme.cvss_v3_score == 6.1
    assert theme.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"
    assert theme.advisory_ids == ("CVE-2021-12345",)
    assert theme.location.package == "twentytwenty"
    assert theme.tags == ("vuln_type:XSS",)


def test_aborted_scan_has_no_findings() -> None:
    # when / then
    assert _sample("empty.json") == []


def test_detects_wpscan_reports_only() -> None:
    # then
    assert PARSER.detect((SAMPLES / "empty.json").read_bytes()) == 95
    assert PARSER.detect(b'{"banner": "nikto", "target_url": "x"}') == 0


def test_vulnerability_without_title_is_rejected() -> None:
    # given
    report = b'{"target_url": "https://x/", "plugins": {"p": {"vulnerabilities": [{"fixed_in": "1"}]}}}'
    # when / then
    with pytest.raises(MalformedReport, match="KeyError: 'title'"):
        _parse(report)


def test_plugins_that_are_not_an_object_are_rejected() -> None:
    # when / then
    with pytest.raises(MalformedReport, match="expected an object, found list") as error:
        _parse(b'{"target_url": "https://x/", "plugins": [1]}')
    assert error.value.position == "plugins"
