"""TruffleHog JSON Lines, versions 2 and 3; the secret never reaches a finding."""

from __future__ import annotations

import base64
import hashlib
import io
from pathlib import Path

import pytest

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import MalformedReport, parse_report
from bastion.parsers.grouping import fingerprint
from bastion.parsers.trufflehog import PARSER

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "trufflehog"

# A log line, then one result; each record is one line, split here only for reading.
FILESYSTEM = (
    b'{"level":"info-0","ts":"2024-01-01T00:00:00Z","logger":"trufflehog","msg":"running"}\n'
    b'{"SourceMetadata":{"Data":{"Filesystem":{"file":"config/app.env","line":7}}},'
    b'"SourceName":"trufflehog - filesystem","DetectorName":"Slack","Verified":false,'
    b'"Raw":"xoxb-1234-5678-abcdefghij","Redacted":"xoxb-1234-5678-abcdefghij",'
    b'"ExtraData":{"token_kind":"bot","echo":"xoxb-1234-5678-abcdefghij"}}\n'
)


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def _parse(data: bytes) -> list[NormalizedFinding]:
    return list(parse_report(io.BytesIO(data), format_name="trufflehog")[1])


def test_v3_verified_secret_is_critical_and_located() -> None:
    # when
    findings = _sample("v3_git.json")
    # then
    assert len(findings) == 3
    aws = findings[0]
    assert aws.title == "Hard-coded secret: AWS (verified)"
    assert aws.severity is Severity.CRITICAL
    assert aws.tool == "trufflehog"
    assert aws.rule_id == "AWS"
    assert aws.cwe_ids == (798,)
    assert aws.location.file_path == "keys"
    assert (aws.location.line_start, aws.location.line_end) == (4, 4)
    assert aws.location.component == "https://github.com/trufflesecurity/test_keys"
    assert aws.evidence == "Secret: AKIA…"
    assert aws.tags == ("verified", "instances:1")
    assert "account: 595918472158" in aws.description
    assert aws.fingerprint == fingerprint(
        "trufflehog", "AWS", "keys", 4, hashlib.sha256(b"QUtJQVlWUDRDSVBQRVJVVklGWEc=").hexdigest()
    )


def test_no_v3_finding_contains_a_secret() -> None:
    # given
    raw_key = base64.b64decode("QUtJQVlWUDRDSVBQRVJVVklGWEc=").decode()
    secrets = (
        raw_key,
        "QUtJQVlWUDRDSVBQRVJVVklGWEc=",
        "admin:admin",
        "b3BlbnNzaC1rZXktdjEAAAAACmFl",
    )
    # when
    dumps = [finding.model_dump_json() for finding in _sample("v3_git.json")]
    # then
    assert [secret for secret in secrets for dump in dumps if secret in dump] == []


def test_v3_unverified_secret_is_high_and_log_lines_are_skipped() -> None:
    # when
    findings = _parse(FILESYSTEM)
    # then
    assert len(findings) == 1
    slack = findings[0]
    assert slack.title == "Hard-coded secret: Slack"
    assert slack.severity is Severity.HIGH
    assert slack.location.file_path == "config/app.env"
    assert slack.location.line_start == 7
    assert slack.tags == ("unverified", "instances:1")
    assert slack.evidence == "Secret: xoxb…"
    assert "token_kind: bot" in slack.description
    assert "xoxb-1234" not in slack.model_dump_json()


def test_v3_same_secret_in_another_commit_is_the_same_finding() -> None:
    # given: the first result twice, the second time from another commit
    line = (SAMPLES / "v3_git.json").read_bytes().splitlines()[0]
    again = line.replace(
        b"fbc14303ffbf8fb1c2c1914e8dda7d0121633aca", b"0000000000000000000000000000000000000000"
    )
    # when
    findings = _parse(line + b"\n" + again + b"\n")
    # then
    assert len(findings) == 1
    assert findings[0].fingerprint == _sample("v3_git.json")[0].fingerprint
    assert findings[0].evidence == (
        "Secret: AKIA…\n\nOther instances (1):\n- commit 0000000000000000000000000000000000000000"
    )
    assert findings[0].tags == ("verified", "instances:2")


def test_v2_results_are_gathered_per_reason_and_file() -> None:
    # when: 64 records, one per commit and reason
    findings = _sample("v2_many_vulns.json")
    # then
    assert len(findings) == 18
    generic = findings[0]
    assert generic.title == "Hard-coded secret: Generic Secret"
    assert generic.severity is Severity.MEDIUM
    assert generic.rule_id == "Generic Secret"
    assert generic.cwe_ids == (798,)
    assert generic.location.file_path == "test_all.py"
    assert generic.evidence == "Strings: secr…, secr…"
    assert generic.description.startswith(
        "truffleHog matched 'Generic Secret' in test_all.py (2 distinct strings, 6 commits)."
    )
    assert findings[1].title == "Hard-coded secret: SSH (EC) private key"
    assert findings[1].severity is Severity.HIGH
    assert len({finding.fingerprint for finding in findings}) == 18


def test_no_v2_finding_contains_a_secret_or_diff() -> None:
    # given
    secrets = (
        "9ed54617547cfca783e0f81f8dc5c927e3d1e345",
        "d15627104d07846ac2914a976e8e347a663bbd9b",
        "BEGIN",
    )
    # when
    dumps = [finding.model_dump_json() for finding in _sample("v2_many_vulns.json")]
    # then
    assert [secret for secret in secrets for dump in dumps if secret in dump] == []


def test_v2_fingerprint_is_stable_across_reports() -> None:
    # given: one record of the EC key in README.md, from another report
    record = (
        b'{"branch": "main", "commit": "x", "commitHash": "abc", "date": "2024-01-01 00:00:00",'
        b' "diff": "",'
        b' "path": "README.md", "printDiff": "", "reason": "SSH (EC) private key",'
        b' "stringsFound": ["-----BEGIN EC PRIVATE KEY-----"]}\n'
    )
    # when
    alone = _parse(record)
    many = _sample("v2_many_vulns.json")
    # then
    assert alone[0].fingerprint == many[1].fingerprint


def test_v2_high_entropy_match_is_low() -> None:
    # given
    record = (
        b'{"commitHash": "abc", "path": "a.py", "reason": "High Entropy", "stringsFound": ["Zm9vYmFy"]}\n'
    )
    # when / then
    assert _parse(record)[0].severity is Severity.LOW


def test_detects_both_versions_only() -> None:
    # then
    assert PARSER.detect((SAMPLES / "v3_git.json").read_bytes()) == 95
    assert PARSER.detect((SAMPLES / "v2_many_vulns.json").read_bytes()) == 95
    assert PARSER.detect(b'{"templateID": "x", "info": {}}') == 0


def test_record_of_neither_version_is_rejected() -> None:
    # when / then
    with pytest.raises(MalformedReport, match="neither a TruffleHog v3 result") as error:
        _parse(b'{"foo": 1}\n')
    assert error.value.position == "line 1"


def test_broken_line_is_rejected() -> None:
    # given
    line = (SAMPLES / "v3_git.json").read_bytes().splitlines()[0]
    # when / then
    with pytest.raises(MalformedReport, match="invalid JSON") as error:
        _parse(line + b"\n" + line[:40] + b"\n")
    assert error.value.position == "line 2"
