"""govulncheck: v1 message stream and array, reach levels, the 0.x object, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "govulncheck"
PARSER = get_parser("govulncheck")

# Written from govulncheck's protocol v1: two records, a finding only for the first.
STREAM = b"""{"config": {"protocol_version": "v1.0.0", "scanner_name": "govulncheck"}}
{"osv": {"id": "GO-2021-0265", "aliases": ["CVE-2021-42248"], "summary": "Infinite loop in gjson",
  "affected": [{"package": {"name": "github.com/tidwall/gjson", "ecosystem": "Go"}}],
  "database_specific": {"url": "https://pkg.go.dev/vuln/GO-2021-0265"}}}
{"osv": {"id": "GO-2021-0054", "summary": "Panic in gjson"}}
{"finding": {"osv": "GO-2021-0265", "fixed_version": "v1.9.3",
  "trace": [{"module": "github.com/tidwall/gjson", "version": "v1.6.5",
             "package": "github.com/tidwall/gjson"}]}}
{"finding": {"osv": "GO-2021-0265", "fixed_version": "v1.9.3",
  "trace": [{"module": "github.com/tidwall/gjson", "version": "v1.6.5", "package": "github.com/tidwall/gjson",
             "function": "Get", "receiver": "Result"},
            {"module": "example.com/app", "package": "example.com/app", "function": "main",
             "position": {"filename": "main.go", "line": 14, "column": 20}}]}}
"""
LEGACY = b"""{"Vulns": [{"OSV": {"id": "GO-2022-0969", "aliases": ["CVE-2022-27664"],
  "summary": "DoS in net/http"},
  "Modules": [{"Path": "stdlib", "FoundVersion": "v1.18.1", "FixedVersion": "v1.18.6",
    "Packages": [{"Path": "net/http", "CallStacks": [{"Symbol": "Server.Serve"}]}]}]}]}"""


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_array_sample_fields() -> None:
    with (SAMPLES / "many_vulns_new_version.json").open("rb") as stream:
        (finding,) = list(PARSER.parse(stream))
    assert (
        finding.title
        == "GO-2023-1840 in stdlib@v1.20.1: Unsafe behavior in setuid/setgid binaries in runtime"
    )
    assert finding.severity == Severity.INFO
    assert finding.rule_id == "GO-2023-1840"
    assert finding.advisory_ids == ("CVE-2023-29403",)
    assert finding.location.package == "stdlib"
    assert finding.location.package_version == "v1.20.1"
    assert finding.location.fixed_version == "v1.20.5"
    assert finding.location.component == "runtime"
    assert finding.location.file_path == "/tmp/testproject/main.go"  # noqa: S108 - a path in the report
    assert finding.location.line_start == 13
    assert finding.tags[0] == "reach:symbol"


def test_records_without_findings_are_not_vulnerabilities() -> None:
    findings = _parse(STREAM)
    assert [f.rule_id for f in findings] == ["GO-2021-0265"]
    (finding,) = findings
    assert finding.tags == ("reach:symbol", "alias:CVE-2021-42248")
    assert finding.location.file_path == "main.go"
    assert (
        finding.evidence
        == "Call sites:\n- main.go:14: example.com/app.main calls github.com/tidwall/gjson.Result.Get"
    )
    assert finding.remediation == "Upgrade github.com/tidwall/gjson to v1.9.3."


def test_stream_sample_reports_one_finding_per_affected_vulnerability_and_module() -> None:
    with (SAMPLES / "issue_14642.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    assert len(findings) == 40
    assert len({f.fingerprint for f in findings}) == 40


def test_fingerprint_ignores_reach_and_version() -> None:
    shallow = STREAM.replace(b'"version": "v1.6.5"', b'"version": "v1.6.6"')
    assert _parse(shallow)[0].fingerprint == _parse(STREAM)[0].fingerprint


def test_legacy_object() -> None:
    (finding,) = _parse(LEGACY)
    assert finding.rule_id == "GO-2022-0969"
    assert finding.location.package_version == "v1.18.1"
    assert finding.location.fixed_version == "v1.18.6"
    assert finding.tags[0] == "reach:symbol"


def test_detection() -> None:
    parser, _ = parse_report(io.BytesIO(STREAM))
    assert parser.name == "govulncheck"
    assert PARSER.detect(LEGACY) == 80
    assert PARSER.detect(b'{"config": {"scanner_name": "other"}}') == 0


def test_stream_without_config_is_refused() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"results": []}')
    assert caught.value.reason == "the report has no 'config'; it may be another tool's report"


def test_broken_message_is_refused_naming_it() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(STREAM[:200])
    assert caught.value.position == "[1]"
