"""POST /agent/v1/analyze: the engines' results, the secret kept out, limits, scoring, import."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.agent.analysis import scoring
from bastion.agent.engines.base import workspace
from bastion.agent.engines.runner import run_limited
from bastion.contracts.analysis import Confidence, EngineRun, Source, Vulnerability
from bastion.contracts.finding import Severity
from bastion.core.findings.models import Finding
from bastion.core.imports.models import ImportJob
from bastion.core.imports.tasks import run_import

AWS_KEY = "AKIAZ3MQ7PLX4RTB9WQE"
PYTHON = f'''import subprocess

import boto3
from flask import Flask, request
ACCESS_KEY_ID = "{AWS_KEY}"
app = Flask(__name__)
@app.post("/backups")
def archive():
    return subprocess.call("tar czf /tmp/out.tgz " + request.form["name"], shell=True)
'''


def analyze(client: TestClient, tenants: dict[str, Any], expect: int = 200, **body: Any) -> Any:
    response = client.post(
        "/agent/v1/analyze", json=body, headers={"Authorization": f"Token {tenants['key']}"}
    )
    assert response.status_code == expect, response.text
    return response.json()


def test_python_is_analysed_by_all_three_engines(gateway_client: TestClient, tenants: dict[str, Any]) -> None:
    # when
    result = analyze(gateway_client, tenants, code=PYTHON, filename="backup.py")
    # then: each engine found its own; the same weakness on a line is reported once
    assert [(run["name"], run["findings"], run["error"]) for run in result["engines"]] == [
        ("bandit", 1, None),
        ("semgrep", 2, None),
        ("detect-secrets", 1, None),
    ]
    assert [(v["line_start"], v["cwe"], v["source"], v["severity"]) for v in result["vulnerabilities"]] == [
        (5, "CWE-798", "semgrep", "high"),
        (9, "CWE-78", "semgrep", "high"),
    ]
    assert result["vulnerabilities"][1]["trace"] == [
        {"kind": "source", "line": 9, "code": "request.form"},
        {"kind": "sink", "line": 9, "code": '"tar czf /tmp/out.tgz " + request.form["name"]'},
    ]
    assert result["vulnerabilities"][1]["message"].startswith(
        "User input from `request.form` (line 9) reaches `return subprocess.call("
    )
    assert result["risk_score"] == 9.1
    assert result["recommendations"] == [
        "CWE-798 Hard-coded credentials (line 5): Move the secret to the environment or a secret manager "
        "and rotate the exposed one.",
        "CWE-78 OS command injection (line 9): Pass an argument list to the process API with no shell; "
        "never build a command string from input.",
    ]
    assert result["model"] is None
    assert result["explanation"] is None


def test_the_secret_itself_never_leaves_the_service(
    gateway_client: TestClient, tenants: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    response = gateway_client.post(
        "/agent/v1/analyze",
        json={"code": PYTHON, "scan_type": "secrets"},
        headers={"Authorization": f"Token {tenants['key']}"},
    )
    assert response.status_code == 200
    assert [run["name"] for run in response.json()["engines"]] == ["detect-secrets"]
    assert [(v["rule_id"], v["line_start"], v["cwe"]) for v in response.json()["vulnerabilities"]] == [
        ("detect-secrets.aws-access-key", 5, "CWE-798")
    ]
    assert AWS_KEY not in response.text
    assert AWS_KEY[4:12] not in response.text
    assert AWS_KEY not in caplog.text


@pytest.mark.parametrize(
    ("language", "code", "cwe"),
    [
        (
            "javascript",
            "const { exec } = require('child_process');\n"
            "function run(req) {\n  exec('ls ' + req.query.dir);\n}\n",
            "CWE-78",
        ),
        (
            "java",
            "import javax.crypto.Cipher;\nclass H {\n  Cipher c() throws Exception {\n"
            '    return Cipher.getInstance("DES/ECB/PKCS5Padding");\n  }\n}\n',
            "CWE-327",
        ),
        (
            "go",
            'package main\n\nimport "crypto/tls"\n\nvar config = &tls.Config{InsecureSkipVerify: true}\n',
            "CWE-295",
        ),
    ],
)
def test_other_languages_are_analysed_by_semgrep_and_detect_secrets(
    gateway_client: TestClient, tenants: dict[str, Any], language: str, code: str, cwe: str
) -> None:
    result = analyze(gateway_client, tenants, code=code, language=language)
    assert [run["name"] for run in result["engines"]] == ["semgrep", "detect-secrets"]
    assert cwe in {v["cwe"] for v in result["vulnerabilities"]}
    assert all(run["error"] is None for run in result["engines"])


def test_clean_code_yields_nothing_and_says_so(gateway_client: TestClient, tenants: dict[str, Any]) -> None:
    code = (
        "import subprocess\n\n\ndef archive(name: str) -> int:\n"
        "    return subprocess.call(['tar', 'czf', 'out.tgz', name])\n"
    )
    result = analyze(gateway_client, tenants, code=code)
    assert result["vulnerabilities"] == []
    assert result["risk_score"] == 0.0
    assert result["recommendations"] == [
        "No vulnerability found by the engines. They do not prove the absence of flaws: review "
        "authentication, authorisation and business logic by hand."
    ]


def test_an_engine_over_its_time_limit_is_reported_not_waited_for(
    gateway_client: TestClient, tenants: dict[str, Any], fresh_settings: pytest.MonkeyPatch
) -> None:
    fresh_settings.setenv("BASTION_ANALYSIS_TIMEOUT_SECONDS", "0.05")
    result = analyze(gateway_client, tenants, code=PYTHON)
    assert [(run["name"], run["error"]) for run in result["engines"]] == [
        ("bandit", "bandit took longer than 0.05 s"),
        ("semgrep", "semgrep took longer than 0.05 s"),
        ("detect-secrets", "detect-secrets took longer than 0.05 s"),
    ]
    assert result["vulnerabilities"] == []
    assert result["recommendations"][-1] == (
        "detect-secrets did not run (detect-secrets took longer than 0.05 s): the results may be incomplete."
    )


def test_an_engine_is_held_to_its_memory_limit() -> None:
    with workspace("x = 1\n", language="python") as created:
        completed = asyncio.run(
            run_limited(
                [sys.executable, "-I", "-c", "blob = bytearray(400 * 1024 * 1024)"],
                name="probe",
                workspace=created,
                time_limit=20,
                memory_mb=200,
            )
        )
    assert completed.returncode == 1
    assert completed.stderr.strip().endswith(b"MemoryError")


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"code": ""}, ["body", "code"]),
        ({"code": "x", "language": "cobol"}, ["body", "language"]),
        ({"code": "x", "filename": "../etc/passwd"}, ["body", "filename"]),
        ({"code": "x" * (512 * 1024 + 1)}, ["body", "code"]),
        ({"code": "x", "unknown": 1}, ["body", "unknown"]),
    ],
)
def test_invalid_requests_are_refused(
    gateway_client: TestClient, tenants: dict[str, Any], body: dict[str, Any], location: list[str]
) -> None:
    refused = analyze(gateway_client, tenants, expect=422, **body)
    assert refused["detail"][0]["loc"] == location


def test_analysis_needs_authentication(gateway_client: TestClient, tenants: dict[str, Any]) -> None:
    response = gateway_client.post("/agent/v1/analyze", json={"code": PYTHON})
    assert response.status_code == 401


def test_results_are_imported_as_the_assets_findings(
    gateway_client: TestClient, tenants: dict[str, Any]
) -> None:
    before = Finding.objects.filter(asset=tenants["asset"]).count()
    # when
    result = analyze(gateway_client, tenants, code=PYTHON, filename="backup.py", asset=tenants["asset"].pk)
    job = ImportJob.objects.get(pk=result["import_id"])
    run_import(str(job.pk))
    # then
    job.refresh_from_db()
    assert (job.state, job.source, job.format, job.parsed, job.new) == (
        "completed", "analysis", "sarif", len(result["vulnerabilities"]), len(result["vulnerabilities"])
    )  # fmt: skip
    imported = Finding.objects.filter(asset=tenants["asset"], tool="bastion-analyze")
    assert imported.count() == len(result["vulnerabilities"])
    assert Finding.objects.filter(asset=tenants["asset"]).count() == before + len(result["vulnerabilities"])
    assert {(f.file_path, f.line_start) for f in imported} == {
        ("backup.py", v["line_start"]) for v in result["vulnerabilities"]
    }
    assert AWS_KEY not in str(list(imported.values()))
    # and the data flow of the command injection is kept in the finding's evidence
    flow = imported.get(rule_id="bastion.python.command-injection").evidence
    assert flow.endswith(
        "Data flow:\n1. backup.py:9  request.form (source)\n"
        '2. backup.py:9  "tar czf /tmp/out.tgz " + request.form["name"] (sink)'
    )
    # when: the same code again, with a line added above: nothing new (the fingerprint follows the code)
    again = analyze(
        gateway_client, tenants, code="# moved\n" + PYTHON, filename="backup.py", asset=tenants["asset"].pk
    )
    run_import(again["import_id"])
    second = ImportJob.objects.get(pk=again["import_id"])
    assert (second.new, second.updated + second.unchanged) == (0, len(result["vulnerabilities"]))


def test_an_asset_of_another_organisation_is_not_found(
    gateway_client: TestClient, tenants: dict[str, Any]
) -> None:
    foreign_asset = tenants["foreign"].asset
    refused = analyze(gateway_client, tenants, expect=404, code=PYTHON, asset=foreign_asset.pk)
    assert refused == {"detail": f"no asset {foreign_asset.pk}"}
    assert ImportJob.objects.count() == 0


def vulnerability(severity: Severity, confidence: Confidence, **fields: Any) -> Vulnerability:
    defaults: dict[str, Any] = {
        "rule_id": "r", "title": "t", "cwe": "CWE-89", "line_start": 1, "line_end": 1, "message": "m",
        "fix": "f", "source": Source.SEMGREP,
    }  # fmt: skip
    return Vulnerability(severity=severity, confidence=confidence, **{**defaults, **fields})


@pytest.mark.parametrize(
    ("found", "score"),
    [
        ([], 0.0),
        ([(Severity.HIGH, Confidence.HIGH)], 7.0),
        ([(Severity.HIGH, Confidence.HIGH)] * 2, 9.1),
        ([(Severity.CRITICAL, Confidence.HIGH)], 10.0),
        ([(Severity.MEDIUM, Confidence.MEDIUM)], 3.2),
        ([(Severity.LOW, Confidence.LOW)] * 3, 2.1),
        ([(Severity.INFO, Confidence.HIGH)] * 50, 0.0),
    ],
)
def test_the_risk_score_follows_its_formula(found: list[tuple[Severity, Confidence]], score: float) -> None:
    assert scoring.risk_score([vulnerability(s, c) for s, c in found]) == score


def test_a_false_positive_flag_does_not_lower_the_score() -> None:
    plain = vulnerability(Severity.HIGH, Confidence.HIGH)
    flagged = vulnerability(Severity.HIGH, Confidence.HIGH, likely_false_positive=True)
    assert scoring.risk_score([flagged]) == scoring.risk_score([plain]) == 7.0


def test_recommendations_group_by_weakness_worst_first() -> None:
    found = [
        vulnerability(Severity.LOW, Confidence.HIGH, line_start=3, cwe="CWE-330"),
        vulnerability(Severity.HIGH, Confidence.HIGH, line_start=9),
        vulnerability(Severity.HIGH, Confidence.HIGH, line_start=4),
    ]
    runs = [
        EngineRun(name="semgrep", findings=3, duration_ms=5),
        EngineRun(name="bandit", findings=0, duration_ms=1, error="boom"),
    ]
    assert scoring.recommendations(found, runs) == [
        "CWE-89 SQL injection (lines 4, 9): Use parameterised queries (placeholders and bound values) or the "
        "ORM; never format input into SQL.",
        "CWE-330 Insufficiently random values (line 3): Use the platform's cryptographic generator (secrets, "
        "crypto.randomBytes, SecureRandom, crypto/rand).",
        "bandit did not run (boom): the results may be incomplete.",
    ]


def test_analyses_are_rate_limited_per_user(
    gateway_client: TestClient, tenants: dict[str, Any], fresh_settings: pytest.MonkeyPatch
) -> None:
    fresh_settings.setenv("BASTION_ANALYSES_PER_MINUTE", "1")
    # The limit counts per fixed minute (servicekit/ratelimit.py): both analyses must fall in one, and
    # one can take seconds on a busy machine, so start at the beginning of a minute.
    seconds_left = 60 - time.time() % 60
    if seconds_left < 30:
        time.sleep(seconds_left + 0.1)
    analyze(gateway_client, tenants, code="print('hello')\n")
    # when
    refused = analyze(gateway_client, tenants, expect=429, code="print('hello')\n")
    # then
    assert refused["detail"].startswith("rate limit: at most 1 analyses per 60 s; retry in ")


def test_a_viewer_may_analyse_but_not_import(gateway_client: TestClient, tenants: dict[str, Any]) -> None:
    # when
    response = gateway_client.post(
        "/agent/v1/analyze",
        json={"code": PYTHON, "asset": tenants["asset"].pk},
        headers={"Authorization": f"Token {tenants['viewer_key']}"},
    )
    # then: the core's ImportForbidden, answered by its class
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "importing needs the analyst role or higher"},
    )
    assert ImportJob.objects.count() == 0
