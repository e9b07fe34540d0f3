"""schemathesis on the three OpenAPI documents of a running `bastion up`, with a valid token: no request a
client can send answers 5xx (issue 9, "How it is shown").

One `bastion up` on PostgreSQL serves a throwaway organisation made with the `bastion` CLI, as an operator
would: an owner (whose token the fuzzer uses), an analyst, and, through the API, an asset, an engagement, a
tag, the findings of a real report, a comment and a conversation, so that ids exist. Each document is then
fuzzed by `st` (tests/fuzz/schemathesis.toml): fixed seed, a bounded number of examples per operation, a time
budget per service, and the one check `not_a_server_error`.

Left out: deleting the caller's own organisation and deleting or demoting its own membership
(tests/fuzz/hooks.py drops those cases; every other id is fuzzed), and the import events stream, which holds
the request open until an import finishes (its id goes through the same lookup as
`GET /scanner/v1/imports/{import_id}`, which is fuzzed).

Each run prints its counts (operations, requests, 5xx). On a 5xx the test fails with, per operation, a request
that got one, the last line of each traceback in the server's log, and schemathesis's curl reproductions.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests import services
from tests.processes import BIN, Running, environment_for, start, stop

pytestmark = [pytest.mark.slow, pytest.mark.services]

HERE = Path(__file__).parent
REPORT = HERE.parent / "fixtures" / "scans" / "semgrep" / "high-medium-low-severities.json"
ORGANIZATION = "fuzz"
OWNER = "owner@fuzz.test"
ANALYST = "analyst@fuzz.test"
PASSWORD = "a long fuzzing password"
CHAINED = ("During handling of the above exception", "The above exception was the direct cause")


@dataclass(frozen=True)
class Target:
    """One OpenAPI document, its time budget, and `st` options of its own (exclusions)."""

    name: str
    schema_path: str
    seconds: int
    options: tuple[str, ...] = ()


# About three minutes in all on 2 cores, start-up and seeding included.
TARGETS = [
    Target("core", "/api/schema/", 80),
    Target(
        "scanner",
        "/scanner/openapi.json",
        35,
        ("--exclude-path-regex", r"^/scanner/v1/imports/[^/]+/events$"),
    ),
    Target("agent", "/agent/openapi.json", 35),
]


@dataclass(frozen=True)
class Instance:
    """The running system, the fuzzer's token, and the organisation and membership it stands on."""

    running: Running
    key: str
    organization_id: int
    membership_id: int


@dataclass(frozen=True)
class Outcome:
    """What one `st run` did, read from its reports."""

    stdout: str
    report: dict[str, Any]
    statuses: Counter[int]
    server_errors: list[dict[str, Any]]


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    services.require("postgres")
    database = f"bastion_fuzz_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(services.POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    tmp_path = tmp_path_factory.mktemp("fuzz-instance")
    environment = environment_for(
        tmp_path,
        BASTION_DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        # Past their per-minute limits imports and chat answer 429 before their code runs: lift the limits so
        # that the fuzzer reaches it. Analyses keep theirs: each one runs three engines.
        BASTION_IMPORTS_PER_MINUTE="100000",
        BASTION_CHAT_MESSAGES_PER_MINUTE="100000",
    )
    running = start(tmp_path, environment)
    try:
        key = _throwaway_organization(running)
        headers = {"Authorization": f"Token {key}"}
        _seed(running, headers)
        me = httpx.get(running.base_url + "/api/v1/me", headers=headers, timeout=10).json()
        memberships = httpx.get(running.base_url + "/api/v1/memberships", headers=headers, timeout=10).json()
        yield Instance(
            running,
            key,
            organization_id=me["memberships"][0]["organization_id"],
            membership_id=next(m["id"] for m in memberships["results"] if m["user"] == OWNER),
        )
    finally:
        if running.process.poll() is None:
            stop(running)
        with psycopg.connect(services.POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _throwaway_organization(running: Running) -> str:
    """Make the organisation, its owner and an analyst, and the owner's token with the CLI; return the key."""
    for arguments, stdin in [
        (("org", "create", ORGANIZATION, "--name", "Fuzzing"), None),
        (("user", "create", OWNER, "--org", ORGANIZATION, "--role", "owner", "--password-stdin"), PASSWORD),
        (
            ("user", "create", ANALYST, "--org", ORGANIZATION, "--role", "analyst", "--password-stdin"),
            PASSWORD,
        ),
        (("token", "create", "--user", OWNER, "--org", ORGANIZATION, "--expires", "1"), None),
    ]:
        result = running.bastion(*arguments, stdin=stdin)
        assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _seed(running: Running, headers: dict[str, str]) -> None:
    """Create one object of each kind through the API, so that the fuzzer's ids can name real ones."""
    with httpx.Client(base_url=running.base_url, headers=headers, timeout=30) as client:
        asset = client.post(
            "/api/v1/assets",
            json={
                "organization": ORGANIZATION,
                "kind": "repository",
                "name": "shop",
                "identifier": "https://git.example.com/fuzz/shop",
            },
        )
        assert asset.status_code == 201, asset.text
        engagement = client.post(
            "/api/v1/engagements", json={"asset": asset.json()["id"], "kind": "pentest", "name": "Q3"}
        )
        assert engagement.status_code == 201, engagement.text
        tag = client.post("/api/v1/tags", json={"organization": ORGANIZATION, "name": "pci"})
        assert tag.status_code == 201, tag.text
        accepted = client.post(
            "/scanner/v1/imports",
            files={"file": (REPORT.name, REPORT.read_bytes())},
            data={"asset": str(asset.json()["id"]), "engagement": str(engagement.json()["id"])},
        )
        assert accepted.status_code == 202, accepted.text
        deadline = time.monotonic() + 60
        while (state := client.get(accepted.json()["status_url"]).json())["state"] in {"queued", "running"}:
            assert time.monotonic() < deadline, f"{state}\n{running.log()[-4000:]}"
            time.sleep(0.2)
        assert (state["state"], state["new"]) == ("completed", 3), state
        finding = client.get("/api/v1/findings").json()["results"][0]
        comment = client.post("/api/v1/comments", json={"finding": finding["id"], "body": "Seen."})
        assert comment.status_code == 201, comment.text
        chat = client.post("/agent/v1/chat/stream", json={"message": "Which findings are open?"})
        assert chat.status_code == 200, chat.text


def _fuzz(instance: Instance, target: Target, directory: Path) -> Outcome:
    """Run `st` against one document and read its reports."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("BASTION_")}
    environment.update(
        BASTION_FUZZ_TOKEN=instance.key,
        BASTION_FUZZ_OWN_ORGANIZATION_ID=str(instance.organization_id),
        BASTION_FUZZ_OWN_MEMBERSHIP_ID=str(instance.membership_id),
        SCHEMATHESIS_HOOKS=str(HERE / "hooks.py"),
    )
    command = [
        str(BIN / "st"),
        "--config-file",
        str(HERE / "schemathesis.toml"),
        "run",
        instance.running.base_url + target.schema_path,
        "--checks",
        "not_a_server_error",
        "--max-time",
        str(target.seconds),
        "--exclude-deprecated",
        "--no-color",
        "--report",
        "ndjson,json",
        "--report-dir",
        str(directory),
        *target.options,
    ]
    # st keeps state of its own (.schemathesis/) in its working directory: not in the checkout.
    result = subprocess.run(
        command, cwd=directory, env=environment, capture_output=True, text=True, timeout=target.seconds + 120
    )
    reports = {path.suffix: path for path in directory.glob("*.*json")}
    assert reports.keys() == {".json", ".ndjson"}, (
        f"st: {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    statuses: Counter[int] = Counter()
    server_errors = []
    with reports[".ndjson"].open() as events:
        for line in events:
            finished = json.loads(line).get("ScenarioFinished")
            if finished is None:
                continue
            recorder = finished["recorder"]
            for case_id, interaction in recorder.get("interactions", {}).items():
                if interaction.get("response") is None:
                    continue
                status = interaction["response"]["status_code"]
                statuses[status] += 1
                if status >= 500:
                    # The stateful phase records all its steps under one label: name each by its own case.
                    case = recorder["cases"][case_id]["value"]
                    server_errors.append(
                        {"operation": f"{case['method']} {case['path']}", **interaction["request"]}
                    )
    return Outcome(result.stdout, json.loads(reports[".json"].read_text()), statuses, server_errors)


def _tracebacks(log: str) -> dict[str, list[str]]:
    """Map the last line of each 5xx's traceback in the server's log to the requests that raised it.

    A chain of exceptions counts once, by its outermost exception; values Django quotes (“…”) are elided, so
    that one cause counts once whatever the input was. Django logs a suspicious request's traceback too, but
    answers 400: those are left out.
    """
    lines = log.splitlines()
    found: dict[str, list[str]] = {}
    request = ""
    for index, line in enumerate(lines):
        if line != "Traceback (most recent call last):":
            continue
        before = [text for text in lines[max(index - 3, 0) : index] if text.strip()]
        if not before or not before[-1].startswith(CHAINED):
            # The first traceback of a chain: what comes before it says which request raised it.
            header = before[-1] if before else ""
            previous = before[-2] if len(before) > 1 else ""
            access = re.search(r'"([A-Z]+ \S+) HTTP/[0-9.]+" 5[0-9][0-9]', previous)
            request = (
                header.partition("Internal Server Error: ")[2]
                or (access.group(1) if "Exception in ASGI application" in header and access else "")
                or ("" if "django.security" in header else f"no request named, after: {header[:100]}")
            )
        end = next((i for i in range(index + 1, len(lines)) if lines[i] and not lines[i][0].isspace()), None)
        if end is None or not request:
            continue
        # An exception's message may take several lines (PostgreSQL's do): the chain goes on if a chaining
        # line comes before the next traceback or log record.
        following = next(
            (
                text
                for text in lines[end + 1 : end + 12]
                if text.startswith((*CHAINED, "Traceback", "INFO", "ERROR", "20"))
            ),
            "",
        )
        if not following.startswith(CHAINED):
            found.setdefault(re.sub(r"“[^”]*”", "“…”", lines[end]), []).append(request)
    return found


def _request_line(request: dict[str, Any]) -> str:
    body = request.get("body")
    excerpt = ""
    if isinstance(body, dict) and "$base64" in body:
        excerpt = " " + repr(base64.b64decode(body["$base64"])[:300])
    return f"{request['method']} {request['uri']}{excerpt}"


def _summary(target: Target, outcome: Outcome) -> str:
    operations = outcome.report["operations"]
    failing = sorted({error["operation"] for error in outcome.server_errors})
    return (
        f"fuzz-api {target.name}: {operations['tested']} of {operations['total']} operations tested, "
        f"{sum(outcome.statuses.values())} requests, {len(outcome.server_errors)} answered 5xx"
        + (f" in {len(failing)} operations ({', '.join(failing)})" if failing else "")
        + f"; statuses {dict(sorted(outcome.statuses.items()))}; stopped on {outcome.report['stop_reason']}"
    )


def _server_error_report(outcome: Outcome, log: str) -> list[str]:
    by_operation = Counter(error["operation"] for error in outcome.server_errors)
    example = {error["operation"]: error for error in reversed(outcome.server_errors)}
    failures = outcome.stdout[outcome.stdout.find("= FAILURES =") : outcome.stdout.find("= SUMMARY =")]
    return [
        "5xx by operation, each with one request that got one:",
        *(f"  {count} × {name}: {_request_line(example[name])}" for name, count in by_operation.items()),
        "Tracebacks in the server's log (count × last line, one request that raised it):",
        *(
            f"  {len(requests)} × {line} ({requests[0]})"
            for line, requests in sorted(_tracebacks(log).items(), key=lambda item: -len(item[1]))
        ),
        failures,
    ]


@pytest.mark.parametrize("target", TARGETS, ids=[target.name for target in TARGETS])
def test_fuzz_api_no_request_answers_5xx(
    instance: Instance, target: Target, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    log_offset = len(instance.running.log())
    # when
    outcome = _fuzz(instance, target, tmp_path)
    # then: the counts go in the closing note, so they are printed whatever the outcome
    summary = _summary(target, outcome)
    with capsys.disabled():
        print(f"\n{summary}")
    problems = []
    if outcome.server_errors:
        problems += _server_error_report(outcome, instance.running.log()[log_offset:])
    operations = outcome.report["operations"]
    if outcome.report["errors"] or operations["tested"] != operations["selected"]:
        problems.append(f"schemathesis did not test every operation:\n{outcome.stdout[-6000:]}")
    me = httpx.get(
        instance.running.base_url + "/api/v1/me",
        headers={"Authorization": f"Token {instance.key}"},
        timeout=10,
    )
    stands = {"organization_id": instance.organization_id, "organization_slug": ORGANIZATION, "role": "owner"}
    if me.status_code != 200 or me.json()["memberships"] != [stands]:
        problems.append(f"the fuzzer's own access changed: {me.status_code} {me.text}")
    assert problems == [], "\n".join([summary, *problems])
