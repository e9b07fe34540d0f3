"""Parsers whose reports grow by repeating records inside one other record keep memory level.

A Veracode component with thousands of vulnerabilities, a Qualys host with thousands
of detections, a govulncheck stream with thousands of finding messages: each report is
built here at two sizes, and the larger one must not take much more memory to parse
(tracemalloc's peak of Python allocations) though it holds twice the records.
"""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Callable

import pytest

from bastion.parsers import parse_report

SMALL, LARGE = 1500, 3000
# How much more the larger report may take: a held record each would double it.
GROWTH = 1.25


def _veracode(count: int) -> bytes:
    vulnerabilities = "".join(
        f'<vulnerability cve_id="CVE-2020-{number:05d}" cvss_score="7.5" severity="4" cwe_id="CWE-79"'
        f' cve_summary="Cross-site scripting in the template engine, case {number}." mitigation="false">'
        "<mitigations/></vulnerability>\n"
        for number in range(count)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<detailedreport xmlns="https://www.veracode.com/schema/reports/export/1.0" app_name="veracode-app">'
        "<software_composition_analysis><vulnerable_components>"
        '<component component_id="c-1" file_name="lib-1.0.jar" version="1.0" library="lib"'
        ' library_id="maven:org.example:lib:1.0:">'
        '<file_paths><file_path value="app.war#zip:WEB-INF/lib/lib-1.0.jar"/></file_paths>'
        f"<vulnerabilities>\n{vulnerabilities}</vulnerabilities></component>"
        "</vulnerable_components></software_composition_analysis></detailedreport>"
    ).encode()


def _qualys(count: int) -> bytes:
    detections = "".join(
        f"<VULN_INFO><QID id='qid_6'>6</QID><TYPE>Vuln</TYPE>"
        f"<PORT>{number + 1}</PORT><PROTOCOL>tcp</PROTOCOL>"
        f"<RESULT><![CDATA[Service answered on port {number + 1} with a banner.]]></RESULT></VULN_INFO>\n"
        for number in range(count)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<!DOCTYPE ASSET_DATA_REPORT SYSTEM "https://qualysguard.qualys.com/asset_data_report.dtd">\n'
        "<ASSET_DATA_REPORT><HOST_LIST><HOST><IP>10.0.0.1</IP><DNS><![CDATA[host.example]]></DNS>"
        f"<VULN_INFO_LIST>\n{detections}</VULN_INFO_LIST></HOST></HOST_LIST>"
        "<GLOSSARY><VULN_DETAILS_LIST><VULN_DETAILS id='qid_6'><QID id='qid_6'>6</QID>"
        "<TITLE><![CDATA[Open service]]></TITLE><SEVERITY>3</SEVERITY></VULN_DETAILS></VULN_DETAILS_LIST>"
        "</GLOSSARY></ASSET_DATA_REPORT>"
    ).encode()


def _govulncheck_messages(count: int) -> list[dict[str, object]]:
    config = {"protocol_version": "v1.0.0", "scanner_name": "govulncheck", "scan_level": "symbol"}
    records = [
        {
            "osv": {
                "id": f"GO-2024-{number:04d}",
                "aliases": [f"CVE-2024-{number:05d}"],
                "summary": f"Denial of service in the parser, case {number}",
                "details": "A crafted input makes the parser loop.",
                "references": [{"type": "FIX", "url": f"https://example.com/fix/{number}"}],
            }
        }
        for number in range(count)
    ]
    findings = [
        {
            "finding": {
                "osv": f"GO-2024-{number:04d}",
                "fixed_version": "v1.2.3",
                "trace": [
                    {
                        "module": "example.com/lib",
                        "version": "v1.0.0",
                        "package": "example.com/lib/parse",
                        "function": "Parse",
                    },
                    {
                        "module": "example.com/app",
                        "package": "example.com/app",
                        "function": "main",
                        "position": {"filename": "main.go", "line": number + 1},
                    },
                ],
            }
        }
        for number in range(count)
    ]
    return [{"config": config}, *records, *findings]


def _govulncheck(count: int) -> bytes:
    """A stream of messages, as govulncheck writes it."""
    return "".join(json.dumps(message, indent=2) + "\n" for message in _govulncheck_messages(count)).encode()


def _govulncheck_array(count: int) -> bytes:
    """The messages in one array, as some tools wrap them (read by ijson, not split)."""
    return json.dumps(_govulncheck_messages(count), indent=2).encode()


def _peak(format_name: str, report: bytes) -> tuple[int, int]:
    """Return how many findings a parse yields and tracemalloc's peak during it."""
    stream = io.BytesIO(report)
    tracemalloc.start()
    try:
        count = sum(1 for _finding in parse_report(stream, format_name=format_name)[1])
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("format_name", "build"),
    [
        ("veracode", _veracode),
        ("qualys", _qualys),
        ("govulncheck", _govulncheck),
        ("govulncheck", _govulncheck_array),
    ],
    ids=["veracode", "qualys", "govulncheck", "govulncheck-array"],
)
def test_memory_stays_level_as_records_repeat_inside_one(
    format_name: str, build: Callable[[int], bytes]
) -> None:
    # given: the same report with twice the records, and the parser imported and warmed up
    small, large = build(SMALL), build(LARGE)
    assert _peak(format_name, build(10))[0] == 10
    # when
    small_count, small_peak = _peak(format_name, small)
    large_count, large_peak = _peak(format_name, large)
    # then: a finding per record, and twice the records do not take twice the memory
    assert (small_count, large_count) == (SMALL, LARGE)
    assert large_peak < GROWTH * small_peak, (small_peak, large_peak)
