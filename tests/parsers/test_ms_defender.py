"""Microsoft Defender for Endpoint vulnerability exports: API pages as JSON or in a zip."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.grouping import fingerprint
from bastion.parsers.ms_defender import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "ms_defender"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "ms_defender"

# A page of GET /api/machines/SoftwareVulnerabilitiesByMachine, as Microsoft documents it.
BY_MACHINE = json.loads((VARIANTS / "by_machine.json").read_bytes())


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="ms_defender")[1])


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_api_page_record_is_a_finding() -> None:
    # when
    findings = _sample("report_many_vulns.json")
    # then
    assert [finding.severity for finding in findings] == [
        Severity.LOW,
        Severity.HIGH,
        Severity.MEDIUM,
        Severity.MEDIUM,
    ]
    first = findings[0]
    assert first.title == "CVE-1234-5678 - tools 1.2.3.4"
    assert first.advisory_ids == ("CVE-1234-5678",)
    assert (first.location.package, first.location.package_version) == ("tools", "1.2.3.4")
    assert first.location.component == "wjeriowerjoiewrjoweirjeowij"
    assert first.fingerprint == fingerprint(
        "ms_defender", "wjeriowerjoiewrjoweirjeowij", "CVE-1234-5678", "packagvendor", "tools", "1.2.3.4"
    )


def test_zip_export_names_the_machine_of_each_vulnerability() -> None:
    # when
    findings = _sample("defender_error_handling.zip")
    # then
    assert len(findings) == 421
    first = findings[0]
    assert first.title == "CVE-2025-22480 - supportassist 4.6.3.23467"
    assert first.severity is Severity.HIGH
    assert first.location.host == "dvs-cstancu"
    assert "Operating system: Windows11" in first.description


def test_vulnerabilities_by_machine_page_is_read() -> None:
    # given
    report = json.dumps(BY_MACHINE).encode()
    # when
    findings = _parse(report)
    # then
    finding = findings[0]
    assert finding.severity is Severity.MEDIUM
    assert finding.location.host == "pc1.contoso.com"
    assert (finding.location.package, finding.location.package_version) == ("windows_10", "10.0.17763.1637")
    assert finding.remediation == "Install the security update October 2019 Security Updates."
    assert "CVSS score: 4.3" in finding.description
    assert detect_format(report).name == "ms_defender"


def test_zip_without_vulnerabilities_is_refused() -> None:
    # given
    archive = _zip({"machines/machines.json": b'{"value": []}'})
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(archive)
    assert caught.value.reason == "the archive has no vulnerabilities/*.json; it may be another tool's report"


def test_damaged_page_in_a_zip_is_refused_naming_the_entry() -> None:
    # given
    archive = _zip({"vulnerabilities/page1.json": b'{"value": [{"cveId": "CVE-2020-0001"}, ]}'})
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(archive)
    assert caught.value.position is not None
    assert caught.value.position.startswith("vulnerabilities/page1.json")
    assert detect_format(archive).name == "ms_defender"


def test_truncated_zip_is_refused() -> None:
    # given
    data = (SAMPLES / "defender_error_handling.zip").read_bytes()[:3000]
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(data)
    assert caught.value.reason.startswith("not a valid zip archive")


def test_page_without_value_is_refused() -> None:
    # when / then
    with pytest.raises(MalformedReport) as caught:
        _parse(b'{"@odata.context": "x"}')
    assert caught.value.reason == "the report has no 'value'; it may be another tool's report"
