"""Fortify: the FPR archive read safely, its audit.fvdl, the XML reports, fingerprints."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, _zip, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "fortify"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "fortify"
PARSER = get_parser("fortify")

FVDL = (VARIANTS / "audit.fvdl").read_text(encoding="utf-8")

SCAN_EXPORT = (VARIANTS / "scan_export_24_2.xml").read_text(encoding="utf-8")


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(PARSER.parse(io.BytesIO(data)))


def _zipped(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_fpr_sample_first_finding() -> None:
    # when
    with (SAMPLES / "many_findings.fpr").open("rb") as stream:
        parser, findings_iter = parse_report(stream)
        findings = list(findings_iter)
    # then
    assert parser.name == "fortify"
    assert len(findings) == 61
    first = findings[0]
    assert first.title == "Cross-Site Request Forgery - category.html: 222"
    assert first.severity == Severity.LOW  # impact 2.0; likelihood 1.0 x 5.0 x 2.0 / 25 = 0.4
    assert first.cwe_ids == (352,)
    assert first.rule_id == "114E5A67-3446-4DD5-B578-D0E6FDBB304E"
    assert first.tool_finding_id == "1B87289954501EF8FD3861819DD98C27"
    assert first.tool_version == "23.1.1.0007"
    assert first.location.file_path == "public/category.html"
    assert first.location.line_start == 222
    assert first.description.startswith("The HTTP request at category.html line 222 must contain")
    assert "$.getJSON('/tags'" in first.evidence
    assert len({finding.fingerprint for finding in findings}) == 61


def test_fvdl_friority_location_description_and_cwes() -> None:
    # when
    high, low = _parse(FVDL.encode())
    # then: impact 5 and likelihood 5 x 5 x 5 / 25 = 5 is critical
    assert high.severity == Severity.CRITICAL
    assert high.title == "SQL Injection: Hibernate - Dao.java: 42"
    assert high.cwe_ids == (89, 564)
    assert high.location.file_path == "src/Dao.java"
    assert (high.location.line_start, high.location.line_end) == (42, 43)
    assert high.description == "Query in Dao.java.\n\nAttackers change the query."
    assert high.remediation == "Use setParameter ."
    assert high.evidence == 'q = "select * from t where id=" + id;'
    assert high.references == ("https://cwe.mitre.org/data/definitions/89.html",)
    assert high.tags == ("kingdom:input validation and representation", "analyzer:dataflow")
    # no rule metadata: instance severity 1.0 against confidence 1.0
    assert low.severity == Severity.LOW
    assert low.location.file_path == "src/Util.java"
    assert low.cwe_ids == ()


def test_fpr_and_bare_fvdl_give_the_same_findings() -> None:
    # given
    archive = _zipped({"VERSION": b"4", "audit.fvdl": FVDL.encode(), "src-archive/index.xml": b"<x/>"})
    # when
    from_archive = _parse(archive)
    bare = _parse(FVDL.encode())
    # then
    assert from_archive == bare
    assert PARSER.detect(archive[:4096]) == 100


def test_xml_report_counts_each_issue_once_across_sections() -> None:
    # when
    with (SAMPLES / "fortify_few_findings_count_chart.xml").open("rb") as stream:
        findings = list(PARSER.parse(stream))
    # then: the Issue Count by Category section lists all three; Results Outline repeats two
    assert [(finding.tool_finding_id, finding.location.line_start) for finding in findings] == [
        ("53C25D2FC6950554F16D3CEF9E41EF6F", 11),
        ("DCCBF8C4004DBEC817ACC013EB7D24EF", 28),
        ("53C25D2FC6952854F16D3CEF9E41EF6F", 54),
    ]
    assert len({finding.fingerprint for finding in findings}) == 3
    first = findings[0]
    assert first.title == "Privilege Management: Unnecessary Permission - AndroidManifest.xml: 11"
    assert first.severity == Severity.HIGH
    assert first.rule_id == "DA628366-FBE1-4D37-879F-7B8F53FF24C1"
    assert first.remediation.startswith("Consider whether the application requires the requested permission")


def test_xml_report_issue_with_analysis_tag() -> None:
    # when
    with (SAMPLES / "issue6082.xml").open("rb") as stream:
        first = next(iter(PARSER.parse(stream)))
    # then
    assert first.title == "Privacy Violation: Autocomplete - login.html: 19"
    assert first.location.file_path == "login.html"
    assert first.tags == ("kingdom:security features", "analysis:not an issue")


def test_fingerprint_is_the_instance_id_in_fvdl_and_xml_alike() -> None:
    # given: the same instance as the XML report writes it
    report = b"""<ReportDefinition type="standard"><ReportSection><Title>Results Outline</Title>
      <GroupingSection><groupTitle>SQL Injection: Hibernate</groupTitle>
      <Issue iid="AAA111" ruleID="RULE-1"><Category>SQL Injection: Hibernate</Category>
      <Friority>Critical</Friority>
      <Primary><FileName>Dao.java</FileName><FilePath>src/Dao.java</FilePath><LineStart>42</LineStart></Primary>
      </Issue></GroupingSection></ReportSection></ReportDefinition>"""
    # when
    (from_xml,) = _parse(report)
    from_fvdl = _parse(FVDL.encode())[0]
    # then
    assert from_xml.fingerprint == from_fvdl.fingerprint
    assert from_xml.severity == Severity.CRITICAL


def test_24_2_scan_export() -> None:
    # when
    (finding,) = _parse(SCAN_EXPORT.encode())
    # then
    assert finding.title == "SQL Injection"
    assert finding.severity == Severity.CRITICAL
    assert finding.location.url == "https://shop.example/login"
    assert (finding.location.host, finding.location.port) == ("shop.example", 443)
    assert finding.evidence == "HTTP/1.1 500"
    assert PARSER.detect(SCAN_EXPORT.encode()) == 70


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ({"../audit.fvdl": b"<FVDL/>"}, "the archive has a member named outside it: '../audit.fvdl'"),
        ({"/etc/audit.fvdl": b"<FVDL/>"}, "the archive has a member named outside it: '/etc/audit.fvdl'"),
        ({"VERSION": b"4"}, "the archive has no audit.fvdl; it may be another tool's archive"),
    ],
)
def test_unsafe_or_foreign_archive_is_refused(members: dict[str, bytes], reason: str) -> None:
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(_zipped(members))
    # then
    assert caught.value.reason == reason


def test_zip_bomb_is_refused_before_reading() -> None:
    # given: 64 MiB of zeros compress about a thousand times
    archive = _zipped({"audit.fvdl": b"\0" * (64 * 1024 * 1024)})
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(archive)
    # then
    assert (
        caught.value.reason
        == "the archive member 'audit.fvdl' expands more than 200 times: refused as a zip bomb"
    )


def test_too_many_members_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    monkeypatch.setattr(_zip, "MAX_MEMBERS", 3)
    archive = _zipped({f"src-archive/{number}": b"x" for number in range(4)})
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(archive)
    # then
    assert caught.value.reason == "the archive has 4 members, more than 3"


def test_member_longer_than_declared_is_refused() -> None:
    # given: a stored member whose declared size is lowered after writing
    archive = bytearray(_zipped({"audit.fvdl": FVDL.encode()}, compression=zipfile.ZIP_STORED))
    real = len(FVDL.encode()).to_bytes(4, "little")
    smaller = (len(FVDL.encode()) - 100).to_bytes(4, "little")
    archive = bytearray(bytes(archive).replace(real, smaller))
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(bytes(archive))
    # then: zipfile stops at the declared size, so the XML is cut short, or the CRC fails
    assert caught.value.reason.startswith(("invalid XML", "the archive member 'audit.fvdl' is damaged"))


def test_damaged_archive_is_refused() -> None:
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(b"PK\x03\x04 not really a zip")
    # then
    assert caught.value.reason.startswith("not a readable zip archive")
    assert caught.value.position == "top level"


def test_member_names_are_read_from_the_head() -> None:
    # given
    archive = _zipped({"src-archive/0": b"x", "audit.fvdl.mac": b"y"})
    # then
    assert _zip.head_member_names(archive) == ["src-archive/0", "audit.fvdl.mac"]
    assert PARSER.detect(archive) == 80
    assert _zip.is_safe_name("a/b.txt")
    assert not _zip.is_safe_name("a/../../b")
    assert not _zip.is_safe_name("C:\\x")


def test_fvdl_without_instance_id_is_refused() -> None:
    # given
    broken = FVDL.replace("<InstanceID>AAA111</InstanceID>", "")
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(broken.encode())
    # then
    assert caught.value.reason == "the vulnerability has no InstanceID"
    assert caught.value.position == "Vulnerabilities.Vulnerability[0]"


@pytest.mark.parametrize(
    "neighbour",
    [
        "checkmarx/multiple_findings.xml",
        "veracode/veracode_maven.xml",
        "hcl_appscan/issue_9279.xml",
        "zap/0_zap_sample.xml",
        "dependency_check/single_vuln.xml",
    ],
)
def test_other_tools_reports_are_not_detected(neighbour: str) -> None:
    head = (SAMPLES.parent / neighbour).read_bytes()[:65536]
    assert PARSER.detect(head) == 0
