"""Checkmarx: the XML report aggregated (checkmarx) and per result (checkmarx_detailed), the JSON report."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, get_parser, parse_report

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "checkmarx"
AGGREGATED = get_parser("checkmarx")
DETAILED = get_parser("checkmarx_detailed")

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<CxXMLResults ProjectName="shop" CheckmarxVersion="9.5.0" ScanId="1">
  <Query id="594" name="SQL_Injection" cweId="89" group="Java_High_Risk" Severity="High" Language="Java"
         categories="OWASP Top 10 2021;A3-Injection">
    {results}
  </Query>
  <Query id="700" name="Stored_XSS" cweId="79" Severity="Medium" Language="Java">
    <Result FileName="src/View.java" Line="5" Severity="Medium" state="1" FalsePositive="True"
            DeepLink="https://cx.example/viewer?pathid=9">
      <Path SimilarityId="555" PathId="9">
        <PathNode><FileName>src/Repo.java</FileName><Line>3</Line><Column>1</Column><Name>row</Name></PathNode>
        <PathNode><FileName>src/View.java</FileName><Line>8</Line><Column>4</Column><Name>print</Name>
          <Snippet><Line><Number>8</Number><Code>out.print(row);</Code></Line></Snippet></PathNode>
      </Path>
    </Result>
  </Query>
</CxXMLResults>
"""


def _result(similarity: str, path_id: str, sink_line: int) -> str:
    return f"""<Result FileName="src/Web.java" Line="10" Severity="High" state="0" FalsePositive="False">
      <Path SimilarityId="{similarity}" PathId="{path_id}">
        <PathNode><FileName>src/Web.java</FileName><Line>10</Line><Column>2</Column><Name>id</Name></PathNode>
        <PathNode><FileName>src/Dao.java</FileName><Line>{sink_line}</Line><Column>7</Column>
          <Name>executeQuery</Name></PathNode>
      </Path></Result>"""


def _report(*results: str) -> bytes:
    return REPORT.replace("{results}", "\n".join(results)).encode()


def _parse(parser: object, data: bytes) -> list[NormalizedFinding]:
    return list(parser.parse(io.BytesIO(data)))  # type: ignore[attr-defined]


def test_aggregated_groups_results_of_one_query_and_sink_file() -> None:
    # given
    report = _report(_result("111", "1", 40), _result("222", "2", 55))
    # when
    sql, xss = _parse(AGGREGATED, report)
    # then
    assert sql.title == "SQL Injection (Dao.java)"
    assert sql.severity == Severity.HIGH
    assert sql.cwe_ids == (89,)
    assert sql.rule_id == "594"
    assert sql.location.file_path == "src/Dao.java"
    assert sql.location.line_start == 40
    assert sql.tags == ("language:java", "state:to-verify", "instances:2")
    assert sql.evidence.endswith(
        "Other instances (1):\n- src/Web.java:10 id -> src/Dao.java:55 executeQuery (SimilarityId 222)"
    )
    assert "Categories: OWASP Top 10 2021;A3-Injection" in sql.description
    assert xss.tags == ("language:java", "state:not-exploitable", "false-positive", "instances:1")
    assert xss.references == ("https://cx.example/viewer?pathid=9",)


def test_detailed_reads_one_finding_per_result() -> None:
    # given
    report = _report(_result("111", "1", 40), _result("222", "2", 55))
    # when
    findings = _parse(DETAILED, report)
    # then
    assert [
        (finding.title, finding.location.line_start, finding.tool_finding_id) for finding in findings
    ] == [
        ("SQL Injection (Dao.java)", 40, "111"),
        ("SQL Injection (Dao.java)", 55, "222"),
        ("Stored XSS (View.java)", 8, "555"),
    ]
    assert findings[2].evidence == (
        "Data flow:\n1. src/Repo.java:3 row\n2. src/View.java:8 print\n   out.print(row);"
    )
    assert len({finding.fingerprint for finding in findings}) == 3


def test_detailed_fingerprint_follows_the_similarity_id_not_the_line() -> None:
    # given: the same flow, moved down by code added above it
    before = _parse(DETAILED, _report(_result("111", "1", 40)))[0]
    after = _parse(DETAILED, _report(_result("111", "7", 52)))[0]
    # then
    assert before.fingerprint == after.fingerprint


def test_detailed_numbers_a_similarity_id_repeated_at_another_line() -> None:
    # when
    first, second, _xss = _parse(DETAILED, _report(_result("111", "1", 40), _result("111", "2", 41)))
    # then
    assert first.fingerprint != second.fingerprint


def test_samples_in_both_modes() -> None:
    # when
    with (SAMPLES / "multiple_findings.xml").open("rb") as stream:
        aggregated = list(AGGREGATED.parse(stream))
    with (SAMPLES / "multiple_findings.xml").open("rb") as stream:
        detailed = list(DETAILED.parse(stream))
    # then
    assert len(aggregated) == 2
    assert len(detailed) == 3
    assert aggregated[0].title == "SQL Injection (Assignment5.java)"
    assert aggregated[0].location.file_path == (
        "WebGoat/webgoat-lessons/challenge/src/main/java/org/owasp/webgoat/plugin/challenge5/challenge6/Assignment5.java"
    )


def test_detailed_is_only_chosen_by_name() -> None:
    # given
    report = _report(_result("111", "1", 40))
    # when
    parser, _findings = parse_report(io.BytesIO(report))
    forced, _findings = parse_report(io.BytesIO(report), format_name="checkmarx_detailed")
    # then
    assert parser.name == "checkmarx"
    assert forced.name == "checkmarx_detailed"
    assert DETAILED.detect(report) == 0
    assert AGGREGATED.defectdojo_scan_types == ("Checkmarx Scan",)
    assert DETAILED.defectdojo_scan_types == ("Checkmarx Scan detailed",)


def test_json_report_sast_sca_and_kics() -> None:
    # when
    with (SAMPLES / "sample_report.json").open("rb") as stream:
        findings = list(AGGREGATED.parse(stream))
    # then
    assert len(findings) == 817
    first = findings[0]
    assert first.title == "Reflected XSS All Clients"
    assert first.severity == Severity.HIGH
    assert first.cwe_ids == (79,)
    assert first.location.line_start == 96
    assert first.tool_finding_id == "-1833874157"
    sca = next(finding for finding in findings if "sca" in finding.tags)
    assert sca.title == "CVE-2021-23358 in underscore:1.10.2"
    assert sca.advisory_ids == ("CVE-2021-23358",)
    assert (sca.location.package, sca.location.package_version) == ("underscore", "1.10.2")
    assert sca.cwe_ids == (94,)
    kics = next(finding for finding in findings if "kics" in finding.tags)
    assert kics.title == "Apt Get Install Lists Were Not Deleted"
    assert kics.severity == Severity.INFO
    assert kics.location.file_path == "/webgoat-server/Dockerfile"


def test_json_without_scan_results_is_refused() -> None:
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(AGGREGATED, b'{"reportId": "", "executiveSummary": {}}')
    # then
    assert caught.value.reason == "the report has no 'scanResults'; it may be another tool's report"


def test_query_without_name_is_refused() -> None:
    # given
    report = _report(_result("111", "1", 40)).replace(b'name="SQL_Injection" ', b"")
    # when
    with pytest.raises(MalformedReport) as caught:
        _parse(DETAILED, report)
    # then
    assert caught.value.reason == "the query has no name"
    assert caught.value.position == "Query[0]"


def test_another_xml_report_is_refused_by_its_root() -> None:
    with pytest.raises(MalformedReport) as caught:
        _parse(AGGREGATED, b"<detailedreport/>")
    assert caught.value.reason.startswith("the root element is <detailedreport>, not <CxXMLResults>")


@pytest.mark.parametrize(
    "neighbour",
    [
        "checkmarx_one/checkmarx_one.json",
        "checkmarx_one/vulnerabilities_from_scan_results.json",
        "fortify/issue6082.xml",
        "sonarqube/sonar-6-findings.json",
        "veracode/veracode_maven.xml",
    ],
)
def test_other_tools_reports_are_not_detected(neighbour: str) -> None:
    assert AGGREGATED.detect((SAMPLES.parent / neighbour).read_bytes()[:65536]) == 0
