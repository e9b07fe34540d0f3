"""Issue 9, items 1 and 8 through the API: hostile file names run nothing; secrets found are never repeated.

Only the public API is used here (and the import task), so these tests read the same before
and after the fix.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.core.findings.models import Finding
from bastion.core.imports.tasks import run_import

# Names a module the engines import at start-up has (json, resource, yaml...), names Python
# looks for itself (sitecustomize, usercustomize, __main__), a test runner's (conftest), and a
# path-configuration file, which the API stores as "evil.pth.py".
HOSTILE_FILE_NAMES = (
    "json.py", "resource.py", "re.py", "typing.py", "yaml.py", "bandit.py", "detect_secrets.py", "bastion.py",
    "sitecustomize.py", "usercustomize.py", "__main__.py", "conftest.py", "evil.pth",
)  # fmt: skip
# An AWS secret access key, as written in code: 40 characters, no recognisable prefix.
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8vT3nKw2"
LEAKY = f'''import boto3

password = "{SECRET}"


def storage():
    return boto3.client("s3", region_name="eu-west-1", password="{SECRET}")
'''


BANDIT_MESSAGE = "Possible hardcoded password: '[redacted]'"
KNOWN_FORMAT_MESSAGE = (
    "A string literal has the format of a real credential (cloud access key, personal access token, private "
    "key or a URL with an embedded password)."
)
SEMGREP_MESSAGE = (
    "A password, API key, token or secret key is written into the source code. Anyone with read access to "
    "the code or its history can use it, and it cannot be rotated without a release."
)


def analyze(client: TestClient, key: str, **body: Any) -> dict[str, Any]:
    response = client.post("/agent/v1/analyze", json=body, headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200, response.text
    assert_no_secret(response.text)
    result: dict[str, Any] = response.json()
    return result


def assert_no_secret(text: str, secret: str = SECRET) -> None:
    """Neither the secret nor any 8 characters of it in a row."""
    assert secret not in text
    assert [secret[i : i + 8] for i in range(len(secret) - 7) if secret[i : i + 8] in text] == []


def test_item_1_submitted_module_names_never_run(
    gateway_client: TestClient, tenants: dict[str, Any], drop_box: Path, fresh_settings: pytest.MonkeyPatch
) -> None:
    fresh_settings.setenv("BASTION_ANALYSES_PER_MINUTE", "1000")
    marker = drop_box / "ran"
    # Run, the code would write its name; it also tries to read the instance's secret key.
    code = (
        f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
        "from bastion.config import get_settings\n"
        f"open({str(marker)!r}, 'a').write(get_settings().resolved_secret_key())\n"
    )
    for filename in HOSTILE_FILE_NAMES:
        # when
        result = analyze(gateway_client, tenants["key"], code=code, filename=filename)
        # then: every engine analysed the file as data
        assert [(run["name"], run["error"]) for run in result["engines"]] == [
            ("bandit", None),
            ("semgrep", None),
            ("detect-secrets", None),
        ], filename
    assert not marker.exists(), marker.read_text()


def test_item_8_a_secret_found_by_every_engine_is_redacted_in_the_answer(
    gateway_client: TestClient, tenants: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # when
    result = analyze(gateway_client, tenants["key"], code=LEAKY, filename="storage.py")
    secrets_only = analyze(gateway_client, tenants["key"], code=LEAKY, scan_type="secrets")
    # then: each engine found the secret (Bandit B105 and B106, our Semgrep rule, detect-secrets)
    assert [(run["name"], run["findings"], run["error"]) for run in result["engines"]] == [
        ("bandit", 2, None),
        ("semgrep", 2, None),
        ("detect-secrets", 2, None),
    ]
    assert [(v["line_start"], v["rule_id"], v["message"]) for v in result["vulnerabilities"]] == [
        (3, "bastion.python.hardcoded-secret", SEMGREP_MESSAGE),
        (3, "bandit.B105", BANDIT_MESSAGE),
        (7, "bastion.python.hardcoded-secret", SEMGREP_MESSAGE),
        (7, "bandit.B106", BANDIT_MESSAGE),
    ]
    assert [(v["line_start"], v["rule_id"], v["message"]) for v in secrets_only["vulnerabilities"]] == [
        (
            3,
            "detect-secrets.base64-high-entropy-string",
            "A value that looks like a base64 high entropy string is written in the code on line 3.",
        )
    ]
    assert_no_secret(caplog.text)


def test_item_8_a_secret_stays_out_of_imported_findings_and_the_chat(
    gateway_client: TestClient,
    tenants: dict[str, Any],
    chat: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    # given: the analysis imported as the asset's findings
    result = analyze(
        gateway_client, tenants["key"], code=LEAKY, filename="storage.py", asset=tenants["asset"].pk
    )
    run_import(result["import_id"])
    imported = Finding.objects.filter(asset=tenants["asset"], tool="bastion-analyze").order_by(
        "line_start", "id"
    )
    # then
    assert [(f.line_start, f.rule_id, f.title) for f in imported] == [
        (3, "bastion.python.hardcoded-secret", SEMGREP_MESSAGE),
        (3, "bandit.B105", BANDIT_MESSAGE),
        (7, "bastion.python.hardcoded-secret", SEMGREP_MESSAGE),
        (7, "bandit.B106", BANDIT_MESSAGE),
    ]
    assert_no_secret(str(list(imported.values())))
    # when: the assistant is asked about each of them
    events = chat(" ".join(f"Explain finding #{f.pk}" for f in imported))
    # then
    explained = [e for e in events if e["type"] == "tool_result"]
    assert [(e["name"], e["error"]) for e in explained] == [("explain_finding", None)] * 4
    assert [e["result"]["description"] for e in explained] == [
        SEMGREP_MESSAGE,
        BANDIT_MESSAGE,
        SEMGREP_MESSAGE,
        BANDIT_MESSAGE,
    ]
    assert_no_secret(str(events))
    assert_no_secret(caplog.text)


def test_item_8_a_token_of_a_known_format_is_redacted(
    gateway_client: TestClient, tenants: dict[str, Any]
) -> None:
    token = "ghp_" + "R7mXc2LpQ9" * 3 + "R7mXc2"
    code = f'import requests\n\ntoken = "{token}"\nrequests.get("https://example.com", timeout=5)\n'
    # when
    result = analyze(gateway_client, tenants["key"], code=code)
    # then
    assert [(v["line_start"], v["rule_id"], v["message"]) for v in result["vulnerabilities"]] == [
        (3, "bastion.python.hardcoded-secret.known-format", KNOWN_FORMAT_MESSAGE),
        (3, "bandit.B105", BANDIT_MESSAGE),
    ]
    assert_no_secret(str(result), token[4:])
