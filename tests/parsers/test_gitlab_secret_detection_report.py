"""GitLab secret detection reports, schema 14 and 15."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import detect_format, parse_report
from bastion.parsers.gitlab_secret_detection_report import PARSER
from bastion.parsers.grouping import fingerprint

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"
VARIANTS = Path(__file__).parents[1] / "fixtures" / "variants" / "gitlab_secret_detection_report"
SAMPLES = SCANS / "gitlab_secret_detection_report"
SECRET = "glpat-AbCdEfGhIjKlMnOpQrSt"

# A history scan (schema 15): one token, found at two lines of two commits.
HISTORY = json.loads((VARIANTS / "history_v15.json").read_bytes())


def _sample(name: str) -> list[NormalizedFinding]:
    with (SAMPLES / name).open("rb") as stream:
        return list(PARSER.parse(stream))


def test_secret_is_read_redacted_at_its_file_and_line() -> None:
    # when
    findings = _sample("gitlab_secret_detection_report_1_vuln_v14.json")
    # then
    (finding,) = findings
    assert finding.title == "Hard-coded secret: AWS"
    assert finding.severity is Severity.CRITICAL
    assert finding.rule_id == "AWS"
    assert finding.cwe_ids == (798,)
    assert (finding.location.file_path, finding.location.line_start) == ("README.md", 5)
    assert finding.evidence == "Secret: AKIA…"
    assert "AKIAIOSFODNN7EXAMPLE" not in finding.model_dump_json()
    assert "Commit" not in finding.description  # "0000000": not a history scan
    assert finding.tags == ("secret", "scanner:gitleaks", "instances:1")
    assert finding.fingerprint == fingerprint(
        "gitlab_secret_detection_report",
        "gitleaks_rule_id:AWS",
        "README.md",
        hashlib.sha256(b"AKIAIOSFODNN7EXAMPLE").hexdigest(),
    )


def test_each_secret_is_its_own_finding() -> None:
    # when
    findings = _sample("gitlab_secret_detection_report_3_vuln_v14.json")
    # then
    assert [(f.rule_id, f.location.line_start) for f in findings] == [
        ("SSH private key", 20),
        ("AWS", 7),
        ("Password in URL", 14),
    ]
    assert findings[2].evidence == "Secret: http…"


def test_history_scan_makes_one_finding_of_a_secret_in_several_commits() -> None:
    # when
    findings = list(parse_report(io.BytesIO(json.dumps(HISTORY).encode()))[1])
    # then
    (finding,) = findings
    assert finding.location.line_start == 4
    assert "Commit: a1b2c3d" in finding.description
    assert finding.evidence == "Secret: glpa…\n\nOther instances (1):\n- commit e4f5a6b"
    assert finding.tags == ("secret", "scanner:gitleaks", "instances:2")
    assert finding.tool_version == "8.16.1"
    assert SECRET not in finding.model_dump_json()


def test_detects_secret_detection_reports_only() -> None:
    # then
    assert PARSER.detect((SAMPLES / "gitlab_secret_detection_report_0_vuln.json").read_bytes()) == 95
    without_scan = {key: value for key, value in HISTORY.items() if key != "scan"}
    assert PARSER.detect(json.dumps(without_scan).encode()) == 85
    assert detect_format(json.dumps(without_scan).encode()).name == "gitlab_secret_detection_report"
    assert PARSER.detect((SCANS / "gitlab_sast" / "gl-sast-report-many-vuln_v14.json").read_bytes()) == 0
    gitleaks = sorted((SCANS / "gitleaks").glob("*.json"))
    assert all(PARSER.detect(path.read_bytes()) == 0 for path in gitleaks)
