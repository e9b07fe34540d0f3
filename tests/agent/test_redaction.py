"""Issue 9, item 8: the one redaction helper, and each engine's results passed through it."""

from __future__ import annotations

import pytest

from bastion.agent.engines import bandit, secrets, semgrep
from bastion.agent.redaction import redact, redact_vulnerability, secret_values
from bastion.contracts.analysis import Source, Vulnerability
from bastion.contracts.finding import Severity

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8vT3nKw2"


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        (f"Possible hardcoded password: '{SECRET}'", "Possible hardcoded password: '[redacted]'"),
        (f'The accessToken "{SECRET}" is set', 'The accessToken "[redacted]" is set'),
        (f"DB_PASSWORD = `{SECRET}`", "DB_PASSWORD = `[redacted]`"),
        ("key AKIAZ3MQ7PLX4RTB9WQE in the text", "key [redacted] in the text"),
        ("postgres://app:s3cr3t-pw@db.internal/app", "postgres://app:[redacted]@db.internal/app"),
        ("a ghp_" + "R7mXc2LpQ9" * 3 + "R7mXc2 token", "a [redacted] token"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- here", "[redacted] here"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz", "[redacted]"),
        ("eyJhbGciOiJIUzI1.eyJzdWIiOiIx.SflKxwRJSMeKKF2QT4", "[redacted]"),
        # Not secrets: a quoted word after "bypass", a file name, a name in os.environ[...] far from a word
        ('bypass the check "is_admin"', 'bypass the check "is_admin"'),
        ("Use of insecure MD5 hash in 'hashlib'", "Use of insecure MD5 hash in 'hashlib'"),
        ("Call to subprocess with shell=True", "Call to subprocess with shell=True"),
    ],
)
def test_item_8_redact_masks_the_value_and_keeps_the_rest(text: str, redacted: str) -> None:
    assert redact(text) == redacted


def test_item_8_known_values_are_masked_wherever_they_appear() -> None:
    assert redact(f"the value {SECRET} is written twice: {SECRET}", [SECRET, "abc"]) == (
        "the value [redacted] is written twice: [redacted]"
    )
    assert redact("abc stays: shorter than a secret", ["abc"]) == "abc stays: shorter than a secret"


def vulnerability(line: int, cwe: str, **fields: str) -> Vulnerability:
    defaults = {"rule_id": "r", "title": "t", "message": "m", "fix": "f"}
    return Vulnerability(
        **{**defaults, **fields},
        severity=Severity.HIGH,
        cwe=cwe,
        line_start=line,
        line_end=line,
        source=Source.SEMGREP,
    )


def test_item_8_secret_values_are_the_literals_on_credential_lines() -> None:
    code = (
        'settings = {"password": "hunter2222", "DB_PASSWORD": "env"}\n'
        f'client = connect(user="service", password="{SECRET}")\n'
        'command = "tar czf /backup/all.tgz " + name\n'
    )
    found = [vulnerability(1, "CWE-259"), vulnerability(2, "CWE-798"), vulnerability(3, "CWE-78")]
    assert secret_values(code, found) == {"hunter2222", "service", SECRET}


def test_item_8_every_text_of_a_vulnerability_is_redacted() -> None:
    added = vulnerability(
        2,
        "CWE-798",
        title=f"Hard-coded key {SECRET}",
        message=f"The password '{SECRET}' is in the code",
        fix=f"Rotate {SECRET}",
    ).model_copy(update={"model_note": f"only a test value: {SECRET}"})
    redacted = redact_vulnerability(added, [SECRET])
    assert (redacted.title, redacted.message, redacted.fix, redacted.model_note) == (
        "Hard-coded key [redacted]",
        "The password '[redacted]' is in the code",
        "Rotate [redacted]",
        "only a test value: [redacted]",
    )


def test_item_8_bandit_results_leave_without_the_password() -> None:
    result = {
        "test_id": "B106",
        "test_name": "hardcoded_password_funcarg",
        "issue_text": f"Possible hardcoded password: '{SECRET}'",
        "issue_cwe": {"id": 259},
        "issue_severity": "LOW",
        "issue_confidence": "MEDIUM",
        "line_number": 7,
        "line_range": [7],
        "code": f'7     password="{SECRET}")\n',
    }
    mapped = bandit._vulnerability(result)
    assert (mapped.rule_id, mapped.title, mapped.message) == (
        "bandit.B106",
        "Hardcoded password funcarg",
        "Possible hardcoded password: '[redacted]'",
    )
    assert SECRET not in mapped.model_dump_json()


def test_item_8_semgrep_results_leave_without_what_the_rule_matched() -> None:
    # A rule whose message quotes its metavariable, a title taken from the message, and a data flow
    # whose steps quote the secret.
    result = {
        "check_id": "custom.hardcoded-token",
        "start": {"line": 4},
        "end": {"line": 4},
        "extra": {
            "message": f'The API key "{SECRET}" is hard-coded; AKIAZ3MQ7PLX4RTB9WQE too.',
            "severity": "ERROR",
            "lines": f'API_KEY = "{SECRET}"',
            "dataflow_trace": {
                "taint_source": ["CliLoc", [{"start": {"line": 2}}, 'request.headers["X-Key"]']],
                "intermediate_vars": [{"location": {"start": {"line": 3}}, "content": "API_KEY"}],
                "taint_sink": ["CliLoc", [{"start": {"line": 4}}, 'send("AKIAZ3MQ7PLX4RTB9WQE", API_KEY)']],
            },
        },
    }
    metadata = {"cwe": ["CWE-798: Use of Hard-coded Credentials"]}
    lines = ["", 'key = request.headers["X-Key"]', "API_KEY = key", 'send("AKIAZ3MQ7PLX4RTB9WQE", API_KEY)']

    mapped = semgrep._vulnerability(result, metadata, lines)

    assert mapped.title == 'The API key "[redacted]" is hard-coded; [redacted] too.'
    assert mapped.message == (
        'User input from `request.headers["X-Key"]` (line 2) reaches `send("[redacted]", API_KEY)` at line 4 '
        'unsanitised. The API key "[redacted]" is hard-coded; [redacted] too.'
    )
    assert [(step.kind, step.line, step.code) for step in mapped.trace] == [
        ("source", 2, 'request.headers["X-Key"]'),
        ("step", 3, "API_KEY"),
        ("sink", 4, 'send("[redacted]", API_KEY)'),
    ]
    assert "AKIAZ3MQ7PLX4RTB9WQE" not in mapped.model_dump_json()
    assert SECRET not in mapped.model_dump_json()


def test_item_8_detect_secrets_results_carry_the_kind_and_the_line_only() -> None:
    result = {
        "type": "Secret Keyword",
        "filename": "/work/code/app.py",
        "hashed_secret": "6a3fe4d28ee28b14eb36768fdb609efaa0541f84",
        "secret": SECRET,
        "line_number": 3,
    }
    mapped = secrets._vulnerability(result)
    assert mapped.model_dump(include={"rule_id", "title", "message", "line_start"}) == {
        "rule_id": "detect-secrets.secret-keyword",
        "title": "Secret Keyword in source code",
        "message": "A value that looks like a secret keyword is written in the code on line 3.",
        "line_start": 3,
    }
    assert SECRET not in mapped.model_dump_json()
    assert "6a3fe4d2" not in mapped.model_dump_json()
