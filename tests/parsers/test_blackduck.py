"""Black Duck Hub: the security CSV alone and in the report zip, new headers, zip limits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "blackduck"
PARSER = get_parser("blackduck")

# The header set of Black Duck 2019 and later (Component id..., Solution, CWE Ids).
NEW_HEADER = (
    "Component id,Version id,Component name,Component version name,Component origin name,Component origin id,"
    "Vulnerability id,Description,Published on,Updated on,Base score,Overall score,Exploitability,Impact,"
    "Vulnerability source,Remediation status,URL,Security Risk,Solution,Workaround,CWE Ids\n"
)
NEW_ROW = (
    "c1,v1,Jackson Databind,2.9.8,maven,com.fasterxml.jackson.core:jackson-databind:2.9.8,"
    'BDSA-2019-1234,"Deserialization flaw.",2019-05-01,2019-06-01,8.1,8.8,2.8,5.9,'
    "BDSA,NEW,https://openhub.net/vulnerabilities/bdsa/BDSA-2019-1234,CRITICAL,Upgrade to 2.9.9.,,CWE-502\n"
)
FILES = "Component id,Version id,Path,Archive context\nc1,v1,/lib/jackson-databind-2.9.8.jar,/app.war!/\n"


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_csv_sample_fields() -> None:
    with (SAMPLES / "many_vulns.csv").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    assert len(findings) == 24
    first = findings[0]
    assert first.title == "106409 in Apache Commons BeanUtils 1.8.3"
    assert first.severity == Severity.HIGH
    assert first.location.component == "commons-beanutils:commons-beanutils:1.8.3"
    assert first.location.package_version == "1.8.3"
    assert first.tags == ("source:vulndb", "origin:maven")
    cve = next(f for f in findings if f.rule_id == "CVE-2016-5005")
    assert cve.advisory_ids == ("CVE-2016-5005",)
    assert cve.severity == Severity.LOW


def test_zip_sample_locates_components_by_the_file_report() -> None:
    with (SAMPLES / "blackduck_enhanced_py3_unittest.zip").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    assert len(findings) == 11
    assert findings[0].location.file_path == "/WEB-INF/plugins/saml.hpi!/WEB-INF/lib/velocity-1.7.jar"
    spring = [f for f in findings if f.location.package == "Spring Framework"]
    assert {f.location.file_path for f in spring} == {"/WEB-INF/lib/spring-jdbc-1.2.9.jar"}


def test_new_headers_in_a_zip() -> None:
    report = _zip({"proj/security_2024.csv": NEW_HEADER + NEW_ROW + NEW_ROW, "proj/source_2024.csv": FILES})
    (finding,) = _parse(report)  # the repeated row is one finding
    assert finding.severity == Severity.CRITICAL
    assert finding.rule_id == "BDSA-2019-1234"
    assert finding.cwe_ids == (502,)
    assert finding.location.file_path == "/app.war!/lib/jackson-databind-2.9.8.jar"
    assert finding.remediation == "Upgrade to 2.9.9."
    assert finding.references == ("https://openhub.net/vulnerabilities/bdsa/BDSA-2019-1234",)
    parser, _ = parse_report(io.BytesIO(report))
    assert parser.name == "blackduck"


def test_zip_without_security_csv_is_refused() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(_zip({"components.csv": "x\n"}))
    assert caught.value.reason == "the zip has no security CSV (security*.csv)"


def test_member_unpacking_far_past_its_size_is_refused() -> None:
    bomb = _zip({"security.csv": NEW_HEADER + " " * 50_000_000})
    with pytest.raises(MalformedReport) as caught:
        _parse(bomb)
    assert "past the limit for a report" in caught.value.reason


def test_damaged_zip_is_refused() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(b"PK\x03\x04" + b"\x00" * 100)
    assert caught.value.reason.startswith("not a readable zip")


def test_csv_of_another_tool_is_refused() -> None:
    assert PARSER.detect(b"Title,Severity,Description\n") == 0
    with pytest.raises(MalformedReport) as caught:
        _parse(b"Title,Severity\nx,High\n")
    assert caught.value.reason == "no CSV header row naming the Vulnerability id and Security Risk columns"
