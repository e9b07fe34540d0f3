"""MobSF report JSON and mobsfscan JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format
from bastion.parsers.mobsf import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "mobsf"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "mobsf"


def _report(**sections: Any) -> bytes:
    """Return a MobSF 3.9+ Android report (``manifest_findings`` and ``code_analysis.findings``)."""
    report = {
        "version": "v3.9.7 Beta",
        "title": "Static Analysis",
        "file_name": "shop.apk",
        "app_type": "apk",
        "android_api": {},
        **sections,
        "package_name": "com.example.shop",  # after the sections, as MobSF sorts its keys
    }
    return json.dumps(report).encode()


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def test_current_report_sections_are_read() -> None:
    # given: MobSF 3.5 and later, findings under manifest_analysis, code_analysis and binary_analysis
    report = (VARIANTS / "static_3_5.json").read_bytes()
    # when
    findings = _parse(report)
    # then
    assert [(finding.title, finding.severity, finding.tags[0]) for finding in findings] == [
        ("android.permission.CAMERA", Severity.HIGH, "category:permissions"),
        ("Debug Enabled For App [android:debuggable=true]", Severity.HIGH, "category:manifest_analysis"),
        ("The App logs information.", Severity.INFO, "category:code_analysis"),
        ("No NX bit", Severity.HIGH, "category:binary_analysis"),
    ]
    code = findings[2]
    assert code.rule_id == "android_logging"
    assert code.cwe_ids == (532,)
    assert code.location.file_path == "com/example/Log.java"
    assert code.location.line_start == 23
    assert code.location.component == "com.example.shop"
    assert code.evidence == "Files (2):\n- com/example/Log.java:23\n- com/example/Net.java:4"
    assert code.tags == ("category:code_analysis", "masvs:MSTG-STORAGE-3", "instances:1")
    assert findings[0].cwe_ids == (919,)
    assert findings[3].location.file_path == "lib/arm64-v8a/libnative.so"


def test_fingerprint_is_the_app_section_and_rule() -> None:
    # given: a new MobSF version rewords the description
    before = _report(permissions={"android.permission.CAMERA": {"status": "dangerous", "description": "a"}})
    after = _report(permissions={"android.permission.CAMERA": {"status": "dangerous", "description": "b"}})
    other_app = before.replace(b"com.example.shop", b"com.example.other")
    # when / then
    assert _parse(before)[0].fingerprint == _parse(after)[0].fingerprint
    assert _parse(before)[0].fingerprint != _parse(other_app)[0].fingerprint


def test_mobsfscan_gives_a_finding_per_rule_and_file() -> None:
    # given
    report = (VARIANTS / "mobsfscan.json").read_bytes()
    # when
    findings = _parse(report)
    # then
    assert [(finding.location.file_path, finding.location.line_start) for finding in findings] == [
        ("app/Web.java", 12),
        ("app/Other.java", 3),
    ]
    first = findings[0]
    assert first.severity is Severity.HIGH
    assert first.cwe_ids == (215,)
    assert first.evidence == "setWebContentsDebuggingEnabled(true)"
    assert first.references == ("https://github.com/MobSF/owasp-mstg/blob/master/Document/0x05j.md",)


def test_sample_ios_binary_findings_keep_their_cwe() -> None:
    # when
    with (SAMPLES / "ios.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    insecure_api = findings[6]
    assert insecure_api.title == "Binary makes use of insecure API(s)"
    assert insecure_api.severity is Severity.HIGH
    assert insecure_api.cwe_ids == (676,)


def test_sample_android_reads_the_pre_3_5_manifest_list() -> None:
    # when: DefectDojo skips this list, so its test counts 68 findings; the report has 73
    with (SAMPLES / "report1.json").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then
    assert len(findings) == 73
    assert findings[3].title == "Debug Enabled For App [android:debuggable=true]"
    assert findings[3].severity is Severity.HIGH


def test_detection() -> None:
    assert detect_format(_report()).name == "mobsf"
    assert detect_format(b'{"errors": [], "mobsfscan_version": "0.3.0", "results": {}}').name == "mobsf"
    assert PARSER.detect(b'{"results": {}, "errors": []}') == 0


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (b'{"app_type": "apk", "file_name": "a.apk"}', "the report has no MobSF section"),
        (_report(permissions=[{"status": "normal"}]), "permission has no name"),
        (_report(code_analysis=[]), "expected an object, found list"),
        (b'{"app_type": "apk", "permissions": {', "invalid JSON"),
    ],
)
def test_malformed_report_is_refused_naming_the_problem(report: bytes, message: str) -> None:
    with pytest.raises(MalformedReport) as error:
        _parse(report)
    assert message in str(error.value)
