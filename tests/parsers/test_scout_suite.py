"""Scout Suite results, as its .js file and as plain JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.grouping import fingerprint
from bastion.parsers.scout_suite import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "scout_suite"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "scout_suite"

# Azure results as plain JSON (``--result-format json``); a rule key with a dot in it.
AZURE = json.loads((VARIANTS / "plain_json.json").read_bytes())


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="scout_suite")[1])


def test_each_flagged_item_is_a_finding() -> None:
    # when
    findings = _sample("new2.js")
    # then
    assert len(findings) == 356
    first = findings[0]
    assert first.title == "CloudTrail Service Not Configured"
    assert first.severity is Severity.CRITICAL
    assert first.rule_id == "aws:cloudtrail-not-configured"
    assert first.cwe_ids == (1032,)
    assert first.tool_version == "5.10.2"
    assert first.location.component == "cloudtrail.regions.ap-northeast-1"
    assert first.evidence == "Flagged: cloudtrail.regions.ap-northeast-1.NotConfigured"
    assert first.fingerprint == fingerprint(
        "scout_suite",
        "aws",
        "430150006394",
        "cloudtrail-not-configured",
        "cloudtrail.regions.ap-northeast-1.NotConfigured",
    )


def test_component_is_the_resource_of_the_rules_display_path() -> None:
    # when
    findings = [f for f in _sample("new2.js") if f.rule_id == "aws:ec2-default-security-group-with-rules"]
    # then
    assert findings[0].severity is Severity.MEDIUM
    assert (
        findings[0].location.component
        == "ec2.regions.ap-northeast-1.vpcs.vpc-0cbc506a.security_groups.sg-6569b32b"
    )


def test_plain_json_results_are_read() -> None:
    # given
    report = json.dumps(AZURE, indent=2).encode()
    # when
    findings = _parse(report)
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "HTTPS Traffic Not Enforced"
    assert finding.rule_id == "azure:storageaccount-https-traffic.disabled"
    assert finding.location.component == "storageaccounts.subscriptions.sub-1.storage_accounts.acct1"
    assert finding.remediation == "Enable secure transfer."
    assert "Compliance: CIS Microsoft Azure Foundations 1.0.0 3.1" in finding.description
    assert detect_format(report).name == "scout_suite"


def test_js_results_without_findings_have_none() -> None:
    # when / then
    assert _sample("no_vuln.js") == []


def test_document_without_services_is_refused() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(b'scoutsuite_results =\n{"account_id": "1"}')
    assert caught.value.reason == "the report has no 'services'; it may be another tool's report"


def test_other_javascript_is_refused() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(b"var other = 1;")
    assert caught.value.reason == "expected Scout Suite results: 'scoutsuite_results =' and a JSON object"


def test_damaged_rule_is_refused_naming_it() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(b'scoutsuite_results =\n{"services": {"iam": {"findings": {"r1": {"items": ["a", }}}}}')
    assert caught.value.position == "services[iam].findings[r1]"
    assert caught.value.reason.startswith("invalid JSON")
