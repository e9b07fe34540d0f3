"""Gitleaks JSON reports, version 8 and legacy; the secret never reaches a finding."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.gitleaks import PARSER
from bastion.parsers.grouping import fingerprint

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "gitleaks"


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="gitleaks")[1])


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_version_8_leak_is_read_without_its_secret() -> None:
    # when
    findings = _sample("gitleaks8_many.json")
    # then
    assert len(findings) == 3
    api_key = findings[2]
    assert api_key.title == "Hard-coded secret: Generic API Key"
    assert api_key.severity is Severity.HIGH
    assert api_key.tool == "gitleaks"
    assert api_key.rule_id == "generic-api-key"
    assert api_key.cwe_ids == (798,)
    assert api_key.location.file_path == "tests/api.py"
    assert (api_key.location.line_start, api_key.location.line_end) == (21, 21)
    assert api_key.evidence == "Secret: dfjk…"
    assert api_key.description == (
        "Gitleaks rule 'Generic API Key' matched a secret in tests/api.py:21.\n"
        "Secret: dfjk…\n"
        "Commit: 69235ea9ea4d59e18e2cc3c295526de46aa1365c1f0c7a95a22ff1537acdf517\n"
        "Author: John Doe\n"
        "Date: 2016-09-16T18:17:59Z\n"
        "Entropy: 4.132944"
    )
    assert api_key.fingerprint == fingerprint(
        "gitleaks", "generic-api-key", "tests/api.py", 21, _sha256("dfjksdjfs3294dfjlsdaf213")
    )


def test_no_finding_contains_a_secret_or_its_line() -> None:
    # given
    secrets = (
        "secretAWSsecret",
        "dfjksdjfs3294dfjlsdaf213",
        "AKIAIOSFODNN7EXAMPLE",
        "BEGIN RSA PRIVATE KEY",
    )
    # when
    dumps = [
        finding.model_dump_json()
        for name in ("gitleaks8_many.json", "version_7.5.0.json", "data_one.json")
        for finding in _sample(name)
    ]
    # then
    assert len(dumps) == 8
    assert [secret for secret in secrets for dump in dumps if secret in dump] == []


def test_legacy_leak_without_line_number_is_read() -> None:
    # when
    findings = _sample("data_one.json")
    # then
    assert len(findings) == 1
    leak = findings[0]
    assert leak.title == "Hard-coded secret: Asymmetric Private Key"
    assert leak.rule_id == "Asymmetric Private Key"
    assert leak.location.file_path == "cert-key.pem"
    assert leak.location.line_start is None
    assert leak.tags == ("key", "AsymmetricPrivateKey", "instances:1")
    assert leak.evidence == "Secret: ----…"


def test_same_leak_in_several_commits_is_one_finding() -> None:
    # when: 8 records, each leak found in two commits
    findings = _sample("version_7.5.0.json")
    # then
    assert [
        (finding.location.file_path.rsplit("/", 1)[-1], finding.location.line_start) for finding in findings
    ] == [
        ("gitlab_secret_detection_report_1_vuln.json", 13),
        ("gitlab_secret_detection_report_3_vuln.json", 13),
        ("gitlab_secret_detection_report_3_vuln.json", 44),
        ("test_gitlab_secret_detection_report_parser.py", 37),
    ]
    assert "Commit: 6d127980966808f7413935678e079dcd7fedf9c2" in findings[0].description
    assert findings[0].evidence == (
        "Secret: AKIA…\n\nOther instances (1):\n- commit 8bbcdfd743c5695bdd7d3bc21aa9417131a7ab12"
    )
    assert [finding.tags[-1] for finding in findings] == ["instances:2"] * 4


def test_redacted_secrets_at_different_lines_stay_apart() -> None:
    # when
    findings = _sample("redacted_data_many.json")
    # then
    assert len(findings) == 6
    assert len({finding.fingerprint for finding in findings}) == 6
    assert findings[0].evidence == "Secret: REDA…"


def test_same_leak_in_two_reports_has_the_same_fingerprint() -> None:
    # given: one leak reported alone, from another commit
    report = b"""[{"Description": "AWS", "StartLine": 2, "EndLine": 2,
      "Match": "secretAWSsecret", "Secret": "secretAWSsecret", "File": "/conf/aws.tf",
      "Commit": "0123abcd", "RuleID": "aws-access-token",
      "Fingerprint": "0123abcd:/conf/aws.tf:aws-access-token:2"}]"""
    # when
    alone = _parse(report)
    many = _sample("gitleaks8_many.json")
    # then
    assert alone[0].fingerprint == many[0].fingerprint
    assert alone[0].tool_finding_id == "0123abcd:/conf/aws.tf:aws-access-token:2"


def test_short_secret_shows_at_most_half_of_it() -> None:
    # given
    report = b"""[{"RuleID": "pin", "StartLine": 1, "File": "a.txt",
      "Secret": "1234", "Match": "pin=1234"}]"""
    # when
    findings = _parse(report)
    # then
    assert findings[0].evidence == "Secret: 12…"
    assert "1234" not in findings[0].model_dump_json()


def test_detects_both_shapes_only() -> None:
    # then
    assert PARSER.detect((SAMPLES / "gitleaks8_many.json").read_bytes()) == 90
    assert PARSER.detect((SAMPLES / "data_one.json").read_bytes()) == 90
    assert PARSER.detect(b'[{"code": "DL3008", "file": "Dockerfile", "line": 3}]') == 0


def test_leak_without_file_is_rejected() -> None:
    # given
    report = b'[{"RuleID": "aws-access-token", "StartLine": 2, "Secret": "x"}]'
    # when / then
    with pytest.raises(MalformedReport, match="KeyError: 'File'"):
        _parse(report)


def test_leak_that_is_not_an_object_is_rejected() -> None:
    # when / then
    with pytest.raises(MalformedReport, match="expected an object, found str") as error:
        _parse(b'["leak"]')
    assert error.value.position == "[0]"
