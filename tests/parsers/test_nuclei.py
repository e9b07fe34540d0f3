"""Nuclei JSON Lines and JSON array exports, v2 and v3 field names."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.grouping import fingerprint
from bastion.parsers.nuclei import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "nuclei"

# One JSON Lines record, split here only for reading.
CVE = (
    b'{"template-id":"CVE-2021-44228","info":{"name":"Apache Log4j2 - Remote Code Injection",'
    b'"severity":"critical","remediation":"Upgrade to Log4j 2.16.0 or later.",'
    b'"reference":["https://logging.apache.org/log4j/2.x/security.html"],'
    b'"classification":{"cve-id":["cve-2021-44228"],"cwe-id":["cwe-502"],'
    b'"cvss-metrics":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H","cvss-score":10}},'
    b'"type":"http","host":"app.example.org","port":"8443","scheme":"https",'
    b'"matched-at":"https://app.example.org:8443/api?x=1",'
    b'"request":"GET /api HTTP/1.1","response":"HTTP/1.1 200 OK","matcher-status":true}\n'
)


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="nuclei")[1])


def test_v2_json_lines_result_is_read_with_host_and_port() -> None:
    # when
    findings = _sample("many_findings.json")
    # then
    assert len(findings) == 16
    first = findings[0]
    assert first.title == "OpenSSH 5.3 Detection"
    assert first.severity is Severity.LOW
    assert first.tool == "nuclei"
    assert first.rule_id == "openssh5.3-detect"
    assert (first.location.host, first.location.port, first.location.url) == (
        "nuclei-example.com",
        22,
        None,
    )
    assert first.references == (
        "http://seclists.org/fulldisclosure/2016/Jul/51",
        "https://security-tracker.debian.org/tracker/CVE-2016-6210",
        "http://openwall.com/lists/oss-security/2016/08/01/2",
    )
    assert first.tags == ("network", "openssh", "instances:1")
    assert first.fingerprint == fingerprint("nuclei", "openssh5.3-detect", None, "nuclei-example.com")
    assert findings[1].evidence == "Matched at: https://nuclei-example.com\n\nExtracted: nginx/1.14.2"


def test_matcher_name_joins_the_title_and_one_host_counts_once() -> None:
    # when: bootstrap and font-awesome were matched on two ports of 127.0.0.1
    findings = _sample("many_findings.json")
    # then
    local = [finding for finding in findings if finding.location.host == "127.0.0.1"]
    assert [finding.title for finding in local] == [
        "Wappalyzer Technology Detection (animate.css)",
        "Wappalyzer Technology Detection (bootstrap)",
        "Wappalyzer Technology Detection (font-awesome)",
    ]
    assert len({finding.fingerprint for finding in findings}) == 16
    # the first place is the location, the other is listed and counted
    bootstrap = local[1]
    assert (bootstrap.location.url, bootstrap.location.port) == (
        "http://127.0.0.1:8080/WebGoat",
        8080,
    )
    assert bootstrap.evidence == (
        "Matched at: http://127.0.0.1:8080/WebGoat\n\nOther instances (1):\n- http://127.0.0.1:9090/WebWolf"
    )
    assert bootstrap.tags == ("instances:2",)


def test_v3_json_array_is_read_with_classification() -> None:
    # when
    findings = _sample("multiple_v3.json")
    # then
    assert len(findings) == 5
    assert findings[0].title == "DNS SaaS Service Detection (wix)"
    assert findings[0].severity is Severity.INFO
    assert findings[0].location.host == "www.asdf.de"
    assert findings[1].rule_id == "caa-fingerprint"
    assert findings[1].cwe_ids == (200,)
    assert [finding.rule_id for finding in findings[2:]] == [
        "ssl-issuer",
        "ssl-dns-names",
        "tls-version",
    ]
    assert findings[4].location.port == 443


def test_v3_json_lines_result_with_odd_url_is_located() -> None:
    # when
    findings = _sample("issue_14071.json")
    # then
    assert len(findings) == 27
    login = findings[0]
    assert login.severity is Severity.CRITICAL
    assert login.cwe_ids == (798,)
    assert login.location.url == "http://dvwa_dvwa_1/index.php"
    assert (login.location.host, login.location.port, login.location.protocol) == (
        "dvwa_dvwa_1",
        80,
        "http",
    )
    cookies = findings[2]
    assert cookies.rule_id == "cookies-without-httponly"
    assert (cookies.location.host, cookies.location.url) == ("dvwa_dvwa_1", None)
    assert findings[5].cvss_v3_score == 5.3
    assert findings[5].severity is Severity.MEDIUM
    assert findings[26].location.host is None


def test_cve_template_carries_advisory_cvss_and_remediation() -> None:
    # when
    findings = _parse(CVE)
    # then
    finding = findings[0]
    assert finding.advisory_ids == ("CVE-2021-44228",)
    assert finding.cwe_ids == (502,)
    assert finding.cvss_v3_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"
    assert finding.cvss_v3_score == 10.0
    assert finding.remediation == "Upgrade to Log4j 2.16.0 or later."
    assert finding.location.url == "https://app.example.org:8443/api?x=1"
    assert (finding.location.host, finding.location.port) == ("app.example.org", 8443)
    assert finding.evidence == (
        "Matched at: https://app.example.org:8443/api?x=1\n\n"
        "Request:\nGET /api HTTP/1.1\n\n"
        "Response:\nHTTP/1.1 200 OK"
    )


def test_same_result_as_array_or_lines_has_the_same_fingerprint() -> None:
    # given
    as_array = b"[" + CVE.strip() + b"]"
    # when / then
    assert _parse(as_array)[0].fingerprint == _parse(CVE)[0].fingerprint


def test_empty_export_has_no_findings() -> None:
    # when / then
    assert _sample("empty.jsonl") == []
    assert _parse(b"[]") == []


def test_detects_nuclei_exports_only() -> None:
    # then
    assert PARSER.detect((SAMPLES / "many_findings.json").read_bytes()) == 90
    assert PARSER.detect((SAMPLES / "multiple_v3.json").read_bytes()) == 90
    assert PARSER.detect(b'{"SourceMetadata": {}, "DetectorName": "AWS"}') == 0


def test_result_without_template_id_is_rejected() -> None:
    # when / then
    with pytest.raises(MalformedReport, match="a result without template-id") as error:
        _parse(b'{"info": {"name": "x"}, "host": "a"}\n')
    assert error.value.position == "line 1"


def test_info_that_is_not_an_object_is_rejected() -> None:
    # when / then
    with pytest.raises(MalformedReport, match="expected an object, found str") as error:
        _parse(b'[{"template-id": "x", "info": "broken"}]')
    assert error.value.position == "[0].info"
