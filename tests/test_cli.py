"""The `bastion` command: a set-up scripted without the UI (`org|user|token create`), `parse`, `formats`,
`worker`."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from bastion.cli import app
from bastion.core.accounts.models import User
from bastion.core.audit.models import AuditEvent
from bastion.core.imports.models import WebhookSecret
from bastion.core.sealed import is_sealed, unseal
from bastion.core.tenancy.models import ApiToken, Membership, Organization
from bastion.core.tenancy.services import digest_key
from bastion.parsers import all_parsers

runner = CliRunner()
BIN = Path(sys.executable).parent
KEY = re.compile(r"bst_[A-Za-z0-9_-]{43}")


def test_org_create(db: None) -> None:
    result = runner.invoke(app, ["org", "create", "acme", "--name", "Acme Corp"])

    assert result.exit_code == 0, result.output
    assert Organization.objects.values_list("slug", "name").get() == ("acme", "Acme Corp")


def test_org_create_twice_fails_clearly(db: None) -> None:
    runner.invoke(app, ["org", "create", "acme"])

    result = runner.invoke(app, ["org", "create", "acme"])

    assert result.exit_code == 2
    assert result.stderr.strip() == "bastion: organisation 'acme' already exists"
    assert Organization.objects.count() == 1


def test_user_create_with_password_from_stdin(db: None) -> None:
    # given
    runner.invoke(app, ["org", "create", "acme"])
    # when
    result = runner.invoke(
        app,
        [
            "user",
            "create",
            "Ana@Example.com",
            "--org",
            "acme",
            "--role",
            "analyst",
            "--password-stdin",
        ],
        input="correct horse battery staple\n",
    )
    # then
    assert result.exit_code == 0, result.output
    user = User.objects.get()
    assert user.email == "ana@example.com"
    assert user.check_password("correct horse battery staple")
    assert Membership.objects.values_list("organization__slug", "role").get(user=user) == (
        "acme",
        "analyst",
    )
    assert "correct horse" not in result.output


def test_user_create_rejects_a_weak_password_and_creates_nothing(db: None) -> None:
    runner.invoke(app, ["org", "create", "acme"])

    result = runner.invoke(
        app,
        [
            "user",
            "create",
            "ana@example.com",
            "--org",
            "acme",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        input="password\n",
    )

    assert result.exit_code == 2
    assert "This password is too short" in result.stderr
    assert User.objects.count() == 0


def test_user_create_rejects_an_unknown_role(db: None) -> None:
    runner.invoke(app, ["org", "create", "acme"])

    result = runner.invoke(app, ["user", "create", "ana@example.com", "--org", "acme", "--role", "god"])

    assert result.exit_code == 2
    assert result.stderr.strip() == "bastion: unknown role 'god': choose owner, admin, analyst or viewer"
    assert User.objects.count() == 0


def test_token_create_prints_the_key_alone(db: None) -> None:
    # given
    runner.invoke(app, ["org", "create", "acme"])
    runner.invoke(app, ["user", "create", "ana@example.com", "--org", "acme", "--role", "admin"])
    # when
    result = runner.invoke(
        app, ["token", "create", "--user", "ana@example.com", "--org", "acme", "--expires", "30"]
    )
    # then
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    assert KEY.fullmatch(key)
    assert result.stdout == key + "\n"
    token = ApiToken.objects.get()
    assert token.digest == digest_key(key)
    assert token.expires_at is not None
    remaining = token.expires_at - timezone.now()
    assert timedelta(days=29, hours=23) < remaining <= timedelta(days=30)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--user", "nobody@example.com", "--org", "acme"],
            "bastion: no user 'nobody@example.com'",
        ),
        (["--user", "ana@example.com", "--org", "nowhere"], "bastion: no organisation 'nowhere'"),
        (
            ["--user", "ana@example.com", "--org", "other"],
            "bastion: ana@example.com is not a member of other",
        ),
    ],
)
def test_token_create_fails_clearly(db: None, arguments: list[str], message: str) -> None:
    runner.invoke(app, ["org", "create", "acme"])
    runner.invoke(app, ["org", "create", "other"])
    runner.invoke(app, ["user", "create", "ana@example.com", "--org", "acme", "--role", "admin"])

    result = runner.invoke(app, ["token", "create", *arguments])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == message
    assert ApiToken.objects.count() == 0


def test_manage_runs_django_commands(db: None) -> None:
    result = runner.invoke(app, ["manage", "check", "--fail-level", "WARNING"])

    assert result.exit_code == 0, result.output
    assert "System check identified no issues" in result.stdout


def test_parse_prints_one_json_line_per_finding_in_report_order() -> None:
    report = Path(__file__).parent / "fixtures" / "scans" / "bandit" / "dd.json"

    result = runner.invoke(app, ["parse", str(report)])

    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 47
    assert (lines[0]["tool"], lines[0]["rule_id"], lines[0]["location"]["file_path"]) == (
        "bandit",
        "blacklist:B303",
        "dojo/tools/acunetix/parser.py",
    )


def test_parse_rejects_a_malformed_report_with_one_line(tmp_path: Any) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"results": [')

    unknown = runner.invoke(app, ["parse", str(broken)])
    forced = runner.invoke(app, ["parse", str(broken), "--format", "bandit"])

    assert (unknown.exit_code, forced.exit_code) == (2, 2)
    assert unknown.stderr == (
        "bastion: the report's format was not recognised; "
        "name it with the `format` field (API) or --format (CLI)\n"
    )
    assert forced.stderr.startswith("bastion: ")
    assert forced.stderr.count("\n") == 1
    assert forced.stdout == ""


def test_formats_lists_every_parser() -> None:
    result = runner.invoke(app, ["formats"])

    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [row[0] for row in rows] == list(all_parsers())
    assert "sarif" in all_parsers()
    assert {row[0]: row[2] for row in rows}["checkmarx"].startswith("Checkmarx Scan")


def _outside_tests(**variables: str) -> dict[str, str]:
    """The environment of a command run by hand: no test's BASTION_* variables, these instead."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("BASTION_")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return {**environment, **variables}


def test_item_16_outside_an_instance_a_command_stops_with_one_line_and_creates_nothing(
    tmp_path: Path,
) -> None:
    # given: an empty directory, and no BASTION_VAR_DIR
    environment = _outside_tests()
    # when
    result = subprocess.run(
        [str(BIN / "bastion"), "org", "create", "x"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # then
    assert result.returncode == 2
    assert result.stderr == (
        f"bastion: no Bastion instance here (BASTION_VAR_DIR is not set, so ./var: {tmp_path / 'var'}): "
        "run this where `bastion up` runs, or set BASTION_VAR_DIR to that instance's directory\n"
    )
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_item_16_an_unmigrated_database_is_named_with_what_to_do(tmp_path: Path) -> None:
    # given: a state directory whose database was never migrated
    environment = _outside_tests(BASTION_VAR_DIR=str(tmp_path))
    sqlite3.connect(tmp_path / "bastion.sqlite3").close()
    # when
    result = subprocess.run(
        [str(BIN / "bastion"), "token", "create", "--user", "ana@example.com", "--org", "acme"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # then
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"bastion: the database is not migrated (BASTION_VAR_DIR is {tmp_path}): "
        "run `bastion manage migrate` (or `bastion up`) first"
    )
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.slow
def test_worker_names_its_celery_node_after_its_own_process(tmp_path: Path) -> None:
    # given: an embedded instance's state directory (its broker lives there)
    environment = _outside_tests(BASTION_VAR_DIR=str(tmp_path))
    log_path = tmp_path / "worker.log"
    # when
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [str(BIN / "bastion"), "worker", "--loglevel=INFO", "--pool=solo", "--without-mingle"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while " ready." not in log_path.read_text() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    # then: the node is named after the pid bastion was started with (exec kept it)
    ready = [line for line in log_path.read_text().splitlines() if line.endswith(" ready.")]
    assert [line.partition(" INFO ")[2] for line in ready] == [
        f"celery.apps.worker bastion-{worker.pid}@{socket.gethostname()} ready."
    ]


def test_worker_stops_with_one_line_on_a_refused_configuration(tmp_path: Path) -> None:
    environment = _outside_tests(BASTION_VAR_DIR=str(tmp_path), BASTION_PROFILE="production")

    result = subprocess.run(
        [str(BIN / "bastion"), "worker"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert result.stderr == (
        "bastion: production profile refused: BASTION_SECRET_KEY must be set to at least 32 characters\n"
    )
    assert result.stdout == ""


def test_webhook_secret_create_prints_the_stored_secret_once_and_rotates(db: None) -> None:
    runner.invoke(app, ["org", "create", "acme"])

    first = runner.invoke(app, ["webhook-secret", "create", "--org", "acme"])
    second = runner.invoke(app, ["webhook-secret", "create", "--org", "acme"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    stored = WebhookSecret.objects.get(organization__slug="acme")
    assert is_sealed(stored.secret)
    assert second.output.strip() == unseal(stored.secret)
    assert first.output.strip() != unseal(stored.secret)
    assert list(AuditEvent.objects.order_by("pk").values_list("object_type", "action", "actor_email")) == [
        ("tenancy.organization", "create", ""),
        ("imports.webhooksecret", "create", ""),
        ("imports.webhooksecret", "update", ""),
    ]


def test_webhook_secret_create_for_no_organisation_fails_clearly(db: None) -> None:
    result = runner.invoke(app, ["webhook-secret", "create", "--org", "nowhere"])

    assert result.exit_code == 2
    assert "no organisation 'nowhere'" in result.output
    assert not WebhookSecret.objects.exists()
