"""GitLab dependency scanning reports, schema 14 and 15."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, detect_format, parse_report
from bastion.parsers.gitlab_dep_scan import PARSER
from bastion.parsers.grouping import fingerprint

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "gitlab_dep_scan"
SAMPLES = SCANS / "gitlab_dep_scan"

# Schema 15, as Gemnasium writes it: no category, message or cve.
SCHEMA_15 = json.loads((VARIANTS / "schema_15.json").read_bytes())


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(document: object) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(json.dumps(document).encode()), format_name="gitlab_dep_scan")[1])


def test_vulnerable_dependency_is_read_with_package_advisory_and_fix() -> None:
    # when
    findings = _sample("gl-dependency-scanning-report-2-vuln-missing-component_v14.json")
    # then
    assert len(findings) == 2
    unnamed, crypto = findings
    assert unnamed.location.package is None
    assert unnamed.severity is Severity.INFO
    assert unnamed.tags == ("scanner:gemnasium", "severity:unrated")
    assert crypto.title == "Nil Pointer Dereference in golang.org/x/crypto"
    assert crypto.severity is Severity.HIGH
    assert crypto.rule_id == "ffb814a0-404c-11eb-b378-0242ac130002"
    assert crypto.advisory_ids == ("CVE-2020-29652",)
    assert crypto.location.file_path == "service/go.sum"
    assert crypto.location.package == "golang.org/x/crypto"
    assert crypto.location.package_version == "v0.0.0-20190308221718-c2843e01d9a2"
    assert crypto.location.fixed_version == "v0.0.0-20201216223049-8b5274cf687f"
    assert crypto.references[:3] == (
        "https://go-review.googlesource.com/c/crypto/+/278852",
        "https://groups.google.com/g/golang-announce/c/ouZIlBimOsE?pli=1",
        "https://nvd.nist.gov/vuln/detail/CVE-2020-29652",
    )
    assert crypto.fingerprint == fingerprint(
        "gitlab_dep_scan",
        "service/go.sum",
        "golang.org/x/crypto",
        "v0.0.0-20190308221718-c2843e01d9a2",
        "gemnasium:ffb814a0-404c-11eb-b378-0242ac130002",
    )


def test_schema_15_report_is_read() -> None:
    # when
    (finding,) = _parse(SCHEMA_15)
    # then
    assert finding.title == "Prototype Pollution in lodash"
    assert finding.severity is Severity.CRITICAL
    assert finding.advisory_ids == ("CVE-2020-8203", "GHSA-p6mc-m468-83gw")
    assert finding.cwe_ids == (1321,)
    assert (finding.location.package, finding.location.package_version) == ("lodash", "4.17.15")
    assert finding.location.fixed_version == "4.17.21"
    assert finding.tool_version == "3.11.0"


def test_repeated_record_is_dropped() -> None:
    # given
    document = json.loads(json.dumps(SCHEMA_15))
    document["vulnerabilities"].append(json.loads(json.dumps(document["vulnerabilities"][0])))
    # when / then
    assert len(_parse(document)) == 1


def test_detects_dependency_scanning_reports_only() -> None:
    # then
    assert PARSER.detect((SAMPLES / "gl-dependency-scanning-report-1-vuln_v14.json").read_bytes()) == 95
    assert PARSER.detect((SAMPLES / "gl-dependency-scanning-report-0-vuln.json").read_bytes()) == 95
    without_scan = {key: value for key, value in SCHEMA_15.items() if key != "scan"}
    assert PARSER.detect(json.dumps(without_scan).encode()) == 85
    assert (
        PARSER.detect(
            json.dumps({"version": "15.0.0", "vulnerabilities": [], "dependency_files": []}).encode()
        )
        == 30
    )
    assert detect_format(json.dumps(without_scan).encode()).name == "gitlab_dep_scan"
    for other in ("gitlab_container_scan/issue6639_v14.json", "gitlab_sast/gl-sast-report-0-vuln.json"):
        assert PARSER.detect((SCANS / other).read_bytes()) == 0


def test_malformed_dependency_is_refused_naming_where() -> None:
    # given
    document = json.loads(json.dumps(SCHEMA_15))
    document["vulnerabilities"][0]["location"]["dependency"]["package"] = "lodash"
    # when
    with pytest.raises(MalformedReport) as refused:
        _parse(document)
    # then
    assert refused.value.reason == "expected an object, found str"
    assert refused.value.position == "vulnerabilities[0].location.dependency.package"
