"""`bastion org|user|token create`: a set-up scripted without the UI."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from bastion.cli import app
from bastion.core.accounts.models import User
from bastion.core.tenancy.models import ApiToken, Membership, Organization
from bastion.core.tenancy.services import digest_key

runner = CliRunner()
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
    import json
    from pathlib import Path

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
    assert unknown.stderr == "bastion: the report's format was not recognised; name it with --format\n"
    assert forced.stderr.startswith("bastion: ")
    assert forced.stderr.count("\n") == 1
    assert forced.stdout == ""


def test_formats_lists_every_parser() -> None:
    from bastion.scanner.parsers import all_parsers

    result = runner.invoke(app, ["formats"])

    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == list(all_parsers())
    assert "sarif" in all_parsers()
