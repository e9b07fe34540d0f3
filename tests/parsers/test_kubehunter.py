"""kube-hunter JSON reports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.grouping import fingerprint
from bastion.parsers.kubehunter import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "kubehunter"

# A kube-hunter report from before 0.6: no avd_reference; one record written twice.
OLD = {
    "nodes": [{"type": "Node/Master", "location": "10.0.0.1"}],
    "services": [{"service": "API Server", "location": "10.0.0.1:6443"}],
    "vulnerabilities": [
        {
            "location": "10.0.0.1:6443",
            "vid": "KHV002",
            "category": "Information Disclosure",
            "severity": "medium",
            "vulnerability": "K8s Version Disclosure",
            "description": "The kubernetes version could be obtained from the /version endpoint",
            "evidence": "v1.19.2",
            "hunter": "Api Version Hunter",
        }
    ]
    * 2,
}


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="kubehunter")[1])


def test_vulnerability_is_read_with_host_port_and_reference() -> None:
    # when
    findings = _sample("kubehunter_one_vul.json")
    # then
    assert len(findings) == 1
    finding = findings[0]
    assert finding.title == "Privileged Container"
    assert finding.severity is Severity.HIGH
    assert finding.rule_id == "KHV044"
    assert (finding.location.host, finding.location.port) == ("10.0.1.1", 10255)
    assert finding.evidence == "pod: kube-proxy, container: kube-proxy, count: 1"
    assert finding.references == ("https://avd.aquasec.com/kube-hunter/khv044/",)
    assert finding.tags == ("category:Privilege Escalation", "category:Privileged container")
    assert finding.fingerprint == fingerprint("kubehunter", "KHV044", "10.0.1.1:10255")


def test_finding_in_a_pod_has_a_fingerprint_without_the_pod_name() -> None:
    # when
    findings = _sample("kubehunter_many_vul.json")
    # then
    second = findings[1]
    assert second.title == "CAP_NET_RAW Enabled"
    assert second.rule_id is None
    assert second.references == ()
    assert second.location.component == "Local to Pod (kube-hunter-5pmjs)"
    assert second.fingerprint == fingerprint("kubehunter", "CAP_NET_RAW Enabled", "Local to Pod")


def test_old_report_without_references_is_read_and_a_repeated_record_is_one_finding() -> None:
    # given
    report = json.dumps(OLD).encode()
    # when
    findings = _parse(report)
    # then
    assert [(finding.rule_id, finding.severity, finding.references) for finding in findings] == [
        ("KHV002", Severity.MEDIUM, ())
    ]
    assert detect_format(report).name == "kubehunter"


def test_report_without_vulnerabilities_is_refused() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"nodes": [], "services": []}')
    assert caught.value.reason == "the report has no 'vulnerabilities'; it may be another tool's report"


def test_vulnerability_without_a_name_is_refused() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"vulnerabilities": [{"vid": "KHV001"}]}')
    assert caught.value.position == "vulnerabilities[0]"
