"""Aqua Security image scans, JSON."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.aqua import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "aqua"
# The scanner CLI's report (scannercli scan --jsonfile), as Aqua documents it.
RESOURCE: dict[str, Any] = {
    "resource": {
        "format": "npm",
        "path": "/app/node_modules/braces",
        "name": "braces",
        "version": "3.0.2",
        "cpe": "pkg:/npm:*:braces:3.0.2",
        "layer": "COPY /app . # buildkit",
        "sensitive_items": ["aws access key"],
    },
    "scanned": True,
    "vulnerabilities": [
        {
            "name": "CVE-2024-4068",
            "description": "braces fails to limit the number of characters it can handle.",
            "nvd_url": "https://nvd.nist.gov/vuln/detail/CVE-2024-4068",
            "fix_version": "3.0.3",
            "solution": "Upgrade package braces to version 3.0.3 or above.",
            "nvd_score_v3": 7.5,
            "nvd_vectors_v3": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
            "aqua_severity": "high",
            "heuristic_ref_id": 265547,
            "cwe_info": [{"Id": "CWE-1050"}, {"Id": "CWE-400"}],
        }
    ],
}
CLI = {
    "image": "shop:1.0",
    "scan_started": {"seconds": 1},
    "resources": [RESOURCE],
    "vulnerability_summary": {},
}


def _findings(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="aqua")[1])


def test_cli_report_vulnerability_and_sensitive_item() -> None:
    # when
    vulnerability, sensitive = _findings(orjson.dumps(CLI))
    # then
    assert vulnerability.title == "CVE-2024-4068 - braces (3.0.2)"
    assert vulnerability.severity is Severity.HIGH
    assert vulnerability.cwe_ids == (1050, 400)
    assert vulnerability.cvss_v3_score == 7.5
    assert vulnerability.location.file_path == "/app/node_modules/braces"
    assert vulnerability.location.component == "shop:1.0"
    assert vulnerability.remediation == "Upgrade package braces to version 3.0.3 or above."
    assert sensitive.severity is Severity.INFO
    assert sensitive.evidence == "Sensitive item: aws access key\nLayer: COPY /app . # buildkit"


def test_azure_devops_report_matches_cli_fingerprints() -> None:
    # given: the same scan as the Azure DevOps task writes it
    devops = [{"image_name": "shop:1.1", "results": CLI | {"image": "shop:1.1"}}]
    # when
    from_devops = _findings(orjson.dumps(devops))
    from_cli = _findings(orjson.dumps(CLI))
    # then: a new tag of the same image keeps the fingerprints
    assert [finding.fingerprint for finding in from_devops] == [finding.fingerprint for finding in from_cli]
    assert from_devops[0].location.component == "shop:1.1"


def test_score_when_no_aqua_severity() -> None:
    # given: an older report, scores only
    vulnerability = {"name": "CVE-2019-14697", "nvd_score": 7.5, "vendor_score": 5.0}
    report = CLI | {
        "resources": [{"resource": {"name": "musl", "version": "1.1"}, "vulnerabilities": [vulnerability]}]
    }
    # when
    (finding,) = _findings(orjson.dumps(report))
    # then: the vendor score comes before NVD's
    assert finding.severity is Severity.MEDIUM


def test_api_v2_sample_fields() -> None:
    # when
    findings = _findings((SAMPLES / "over_api_v2.json").read_bytes())
    # then
    assert len(findings) == 99
    first = findings[0]
    assert first.title == "CVE-2018-3745 - jsonwebtoken (0.4.0)"
    assert first.severity is Severity.CRITICAL
    assert first.cwe_ids == (125,)
    assert first.location.component == "myRegistry/juiceshop:latest"
    assert sum(finding.severity is Severity.INFO for finding in findings) == 26


def test_legacy_cves_sample_fields() -> None:
    # when
    first, _, third = _findings((SAMPLES / "many_v2.json").read_bytes())
    # then
    assert first.title == "CVE-2101-1337: /usr/lib/libcrypto.so"
    assert first.severity is Severity.HIGH
    assert first.location.component == "docker.example.com/example:latest"
    assert third.severity is Severity.MEDIUM
    assert third.remediation == ""


def test_empty_devops_array_has_no_findings_when_named() -> None:
    assert _findings(b"[]") == []


def test_detection_against_neighbours() -> None:
    assert PARSER.detect(orjson.dumps(CLI)) == 90
    assert PARSER.detect((SAMPLES / "many_v2.json").read_bytes()) == 85
    # NeuVector's report lists "cves" in its modules
    assert PARSER.detect(b'{"report": {"vulnerabilities": [], "modules": [{"cves": []}]}}') == 0
    # an empty array names no tool (pip-audit writes one too)
    assert PARSER.detect(b"[]") == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"image": "x"}', "the report has no 'resources'"),
        (b'{"resources": [{"resource": {}, "vulnerabilities": [{"aqua_severity": "high"}]}]}', "has no name"),
        (b'{"cves": [{"file": "x"}]}', "a CVE record has no name"),
        (b'{"result": {}}', "expected an array"),
        (b'[{"results": {"resources": [', "invalid JSON"),
    ],
)
def test_malformed_report_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(MalformedReport, match=message):
        _findings(data)
