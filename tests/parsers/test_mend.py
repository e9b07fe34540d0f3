"""Mend (WhiteSource) JSON: the agent's scan report, the legacy export, Platform API 3.0."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.mend import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "mend"


def _findings(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="mend")[1])


def _sample(name: str) -> list[NormalizedFinding]:
    return _findings((SAMPLES / "mend" / name).read_bytes())


def _export_entry(**fields: object) -> dict[str, object]:
    """A vulnerability of the legacy UI/API export, as Mend's documentation shows it."""
    export = orjson.loads((VARIANTS / "legacy_export.json").read_bytes())
    entry: dict[str, object] = export["vulnerabilities"][0]
    return entry | fields


def _sast_entry(**fields: object) -> dict[str, object]:
    """A Mend SAST finding of Platform API 3.0 (``/api/v3.0/.../code/findings``)."""
    entry: dict[str, object] = orjson.loads((VARIANTS / "platform_sast.json").read_bytes())["response"][0]
    return entry | fields


def test_agent_report_takes_each_library_with_its_vulnerabilities() -> None:
    # when
    findings = _sample("cli_generated_many_vulns.json")
    # then
    assert len(findings) == 20
    first = findings[0]
    assert first.title == "CVE-2018-11499 in libsass-3.5.5"
    assert first.severity is Severity.HIGH  # the CVSS v3 rating, not the v2 "HIGH" of 7.5
    assert first.rule_id == "CVE-2018-11499"
    assert first.advisory_ids == ("CVE-2018-11499",)
    assert first.cvss_v3_vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert first.cvss_v3_score == 9.8
    assert first.location.package_version == "3.5.5"
    assert first.location.fixed_version == "3.6.0"
    assert first.location.file_path == "/data/node_modules/node-sass/src/libsass/src/parser.cpp"
    assert first.remediation == "Upgrade to version 3.6.0"
    assert first.evidence.count("\n") == 3  # the four source files
    assert first.references == (
        "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2018-11499",
        "https://github.com/sass/libsass/commit/930857ce4938f64ce1c31463dbd19b1aa781a5f7",
    )


def test_platform_finding_is_read_in_full() -> None:
    # when
    (finding,) = _sample("mend-sca-platform-api3-one-finding.json")
    # then
    assert finding.title == "CVE-2024-51744 in github.com/golang-JWT/jwt-v3.2.2+incompatible"
    assert finding.severity is Severity.LOW
    assert finding.cvss_v3_vector == "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N"
    assert finding.cvss_v3_score == 3.1
    assert finding.location.package == "github.com/golang-JWT/jwt"
    assert finding.location.package_version == "v3.2.2+incompatible"
    assert finding.location.file_path == "/source/go.mod"
    assert finding.location.component == "project-name"
    assert finding.remediation == "Upgrade to version: github.com/golang-jwt/jwt-v4.5.1"
    assert finding.tags == (
        "GO_PACKAGE",
        "application:application-name",
        "status:active",
        "dependency:Direct / Transitive",
    )


def test_legacy_export_entry_is_read() -> None:
    # when
    (finding,) = _findings(orjson.dumps({"vulnerabilities": [_export_entry()]}))
    # then
    assert finding.title == "WS-2019-0379 in commons-codec-1.6.jar"
    assert finding.severity is Severity.MEDIUM
    assert finding.advisory_ids == ()
    assert finding.cvss_v3_score == 6.5
    assert finding.location.package == "commons-codec-1.6.jar"
    assert finding.location.fixed_version == "commons-codec:commons-codec:1.13"
    assert finding.location.file_path == "/srv/app/lib/commons-codec-1.6.jar"
    assert finding.location.component == "shop-api"
    assert finding.tags == ("JAVA_ARCHIVE",)


def test_fingerprint_survives_an_upgrade_that_stays_vulnerable() -> None:
    # given
    upgraded = _export_entry(
        library={
            "filename": "commons-codec-1.7.jar",
            "name": "commons-codec-1.7",
            "artifactId": "commons-codec-1.7.jar",
            "version": "1.7",
            "groupId": "commons-codec-1.7",
        }
    )
    # when
    before, after, other_project = _findings(
        orjson.dumps({"vulnerabilities": [_export_entry(), upgraded, _export_entry(project="shop-web")]})
    )
    # then
    assert before.fingerprint == after.fingerprint
    assert other_project.fingerprint != before.fingerprint


def test_library_named_after_its_vulnerabilities_is_read_by_a_second_pass() -> None:
    # given: the agent wrote the library's fields after its vulnerabilities
    vulnerability = {"name": "CVE-2022-42004", "severity": "high", "score": 7.5}
    report = orjson.dumps(
        {
            "libraries": [
                {
                    "vulnerabilities": [vulnerability],
                    "name": "jackson-databind-2.13.3.jar",
                    "version": "2.13.3",
                },
                {"name": "clean-1.0.jar", "version": "1.0", "vulnerabilities": []},
            ]
        }
    )
    # when
    (finding,) = _findings(report)
    # then
    assert finding.title == "CVE-2022-42004 in jackson-databind-2.13.3.jar"
    assert finding.location.package_version == "2.13.3"
    assert finding.severity is Severity.HIGH


def test_platform_sast_finding_is_read() -> None:
    # when
    (finding,) = _findings(orjson.dumps({"response": [_sast_entry()], "supportToken": "abc"}))
    # then
    assert finding.title == "Missing Cryptographic Step in src/com/example/Crypt.java"
    assert finding.severity is Severity.MEDIUM
    assert finding.rule_id == "java-crypto-missing-step"
    assert finding.cwe_ids == (325,)
    assert finding.location.file_path == "src/com/example/Crypt.java"
    assert finding.location.line_start == 145
    assert finding.evidence == (
        "src/com/example/Crypt.java:145: kg.init(klen);\n1. src/com/example/Crypt.java:139 kg = get();"
    )
    assert finding.remediation == "Check that every step of the cryptographic process is implemented"
    assert finding.references == ("https://cwe.mitre.org/data/definitions/325.html",)
    assert finding.tags == ("sast", "Java")


def test_sast_fingerprint_does_not_follow_the_line() -> None:
    # given
    moved = _sast_entry(
        sharedStep={
            "name": "javax.crypto.KeyGenerator.init",
            "file": "src/com/example/Crypt.java",
            "snippet": "kg.init(klen);",
            "line": 160,
        }
    )
    # when
    before, after = _findings(orjson.dumps({"response": [_sast_entry(), moved]}))
    # then
    assert before.fingerprint == after.fingerprint
    assert after.location.line_start == 160


def test_detection_takes_mend_reports_and_leaves_neighbours() -> None:
    # then
    for path in (SAMPLES / "mend").glob("*.json"):
        assert detect_format(path.read_bytes()[:65536]).name == "mend", path
    assert detect_format(orjson.dumps({"vulnerabilities": [_export_entry()]})).name == "mend"
    for neighbour in (
        "snyk",
        "anchore_grype",
        "trivy",
        "npm_audit",
        "github_vulnerability",
        "jfrog_xray_unified",
    ):
        for path in (SAMPLES / neighbour).glob("*"):
            assert PARSER.detect(path.read_bytes()[:65536]) == 0, path


@pytest.mark.parametrize(
    ("data", "reason", "position"),
    [
        (b'{"vulnerabilities": [{"name": "CVE-2019-9658", ', "invalid JSON", "vulnerabilities[0]"),
        (b'{"vulnerabilities": [{"severity": "high"}]}', "a vulnerability has no name", "vulnerabilities[0]"),
        (b'{"libraries": {"name": "a"}}', "expected an array, found dict", "libraries"),
        (b'[{"vulnerabilities": []}]', "expected an object, found list", "top level"),
        (b'{"matches": []}', "the report has no 'libraries', 'vulnerabilities' or 'response'", "top level"),
        (
            b'{"response": [{"uuid": "x", "licenses": []}]}',
            "neither a dependency nor a code finding",
            "response[0]",
        ),
    ],
)
def test_malformed_report_is_refused_naming_where(data: bytes, reason: str, position: str) -> None:
    # when
    with pytest.raises(MalformedReport) as error:
        _findings(data)
    # then
    assert reason in error.value.reason
    assert error.value.position == position


def test_report_that_is_not_json_is_refused() -> None:
    # given: a Python repr of an API response (single quotes), which some scripts save
    data = b"{'response': [{'id': '42f09f21', 'severity': 'Low'}], 'supportToken': 'abc'}"
    # when
    with pytest.raises(MalformedReport) as error:
        _findings(data)
    # then
    assert error.value.reason.startswith("invalid JSON")
