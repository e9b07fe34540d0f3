"""Repository analysis (``python -I -m bastion.agent.analysis.tree``): real engines over a real tree.

The tree holds a Flask SQL injection beside a parameterised query, an AWS-key-looking value, an
Express XSS, the same vulnerable files under ``node_modules`` (skipped), and symbolic links to a
directory and a file outside the tree holding more of them (never followed).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from bastion.agent.analysis import tree
from bastion.parsers import parse_report

# Built from parts so that this file itself holds no credential-shaped literal.
AWS_KEY = "AKIA" + "Z3MSJV4WWNKWW5EX"
FLASK_APP = """import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/user")
def user():
    name = request.args.get("name")
    connection = sqlite3.connect("app.db")
    cursor = connection.cursor()
    cursor.execute("SELECT * FROM users WHERE name = '%s'" % name)
    return str(cursor.fetchall())


@app.route("/safe")
def safe():
    name = request.args.get("name")
    connection = sqlite3.connect("app.db")
    cursor = connection.cursor()
    cursor.execute("SELECT * FROM users WHERE name = ?", (name,))
    return str(cursor.fetchall())
"""
SETTINGS = f'DEBUG = False\nAWS_ACCESS_KEY_ID = "{AWS_KEY}"\n'
EXPRESS_APP = """const express = require("express");
const app = express();

app.get("/hello", (req, res) => {
  res.send(req.query.x);
});

app.listen(3000);
"""
SAST_RESULTS = {
    ("bastion.python.sql-injection", "app/db.py", 13),
    ("bastion.javascript.xss", "app/server.js", 5),
}
SECRET_RESULTS = {("detect-secrets.aws-access-key", "config/settings.py", 2)}
TIME_LIMIT = "120"


def build_repository(root: Path) -> Path:
    """Write the test repository under ``root/repo`` (and the files its links point to beside it)."""
    repository, outside = root / "repo", root / "outside"
    for directory in (
        repository / "app",
        repository / "config",
        repository / "node_modules" / "evil",
        outside,
    ):
        directory.mkdir(parents=True)
    (repository / "app" / "db.py").write_text(FLASK_APP)
    (repository / "app" / "server.js").write_text(EXPRESS_APP)
    (repository / "config" / "settings.py").write_text(SETTINGS)
    (repository / "node_modules" / "evil" / "index.js").write_text(EXPRESS_APP)
    (repository / "node_modules" / "evil" / "db.py").write_text(FLASK_APP)
    (outside / "vuln.py").write_text(FLASK_APP + SETTINGS)
    (repository / "app" / "escape").symlink_to(outside, target_is_directory=True)
    (repository / "leak.py").symlink_to(outside / "vuln.py")
    return repository


def run_cli(source: Path, output: Path, *extra: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Start the module as the scanner does: isolated mode, a clean environment, its own session."""
    return subprocess.run(
        [sys.executable, "-I", "-m", "bastion.agent.analysis.tree", "--source", str(source),
         "--output-dir", str(output), "--time-limit", TIME_LIMIT, *extra],
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        start_new_session=True,
    )  # fmt: skip


def results(log: dict[str, Any]) -> set[tuple[str, str, int]]:
    """Return each result of the log's one run as (rule id, URI, start line)."""
    (run,) = log["runs"]
    return {
        (
            result["ruleId"],
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for result in run["results"]
    }


def fingerprints(log: dict[str, Any]) -> dict[tuple[str, str], str]:
    """Return each result's fingerprint by (rule id, URI)."""
    (run,) = log["runs"]
    return {
        (result["ruleId"], result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): result[
            "partialFingerprints"
        ]["bastionAnalysis/v1"]
        for result in run["results"]
    }


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Analyse the test repository once through the command line; return the process and OUTDIR."""
    root = tmp_path_factory.mktemp("tree")
    repository = build_repository(root)
    output = root / "out"
    (root / "cwd").mkdir()
    return run_cli(repository, output, cwd=root / "cwd"), output


def test_command_line_writes_both_logs(scanned: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    # given / when: the module run as ``python -I -m`` with nothing in its environment but PATH
    completed, output = scanned

    # then
    assert (completed.returncode, completed.stderr) == (0, "")
    assert sorted(path.name for path in output.iterdir()) == ["sast.sarif", "secrets.sarif"]


def test_sast_log_holds_exactly_the_vulnerabilities_of_the_tree(
    scanned: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    log = orjson.loads((scanned[1] / "sast.sarif").read_bytes())

    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "bastion-sast"
    # The parameterised query (line 22), node_modules and the linked files are not in it.
    assert results(log) == SAST_RESULTS
    properties = run["properties"]["bastion"]
    assert properties["filesAnalysed"] == 3
    assert properties["filesSkipped"] == {"excluded_directory": 1, "symbolic_link": 2}
    assert properties["truncated"] is False
    assert [engine["name"] for engine in properties["engines"]] == [
        "bandit",
        "semgrep-javascript",
        "semgrep-python",
    ]
    assert [engine["error"] for engine in properties["engines"]] == [None, None, None]
    (injection,) = [result for result in run["results"] if result["ruleId"] == "bastion.python.sql-injection"]
    steps = injection["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [step["location"]["physicalLocation"]["region"]["startLine"] for step in steps] == [10, 10, 13]
    assert {step["location"]["physicalLocation"]["artifactLocation"]["uri"] for step in steps} == {
        "app/db.py"
    }


def test_secrets_log_says_what_and_where_never_the_value(
    scanned: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    sast_bytes = (scanned[1] / "sast.sarif").read_bytes()
    secrets_bytes = (scanned[1] / "secrets.sarif").read_bytes()
    log = orjson.loads(secrets_bytes)

    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "bastion-secrets"
    assert results(log) == SECRET_RESULTS
    (result,) = run["results"]
    assert {key: result["properties"][key] for key in ("secretType", "maskedValue", "valueSha256")} == {
        "secretType": "AWS Access Key",
        "maskedValue": "AKIA****",
        "valueSha256": hashlib.sha256(AWS_KEY.encode()).hexdigest(),
    }
    assert run["properties"]["bastion"]["filesAnalysed"] == 3
    for data in (sast_bytes, secrets_bytes):
        assert AWS_KEY.encode() not in data
        assert AWS_KEY[4:].encode() not in data


def test_a_credential_only_the_rules_know_goes_to_the_secrets_log_once(tmp_path: Path) -> None:
    # given: a key detect-secrets has no plug-in for, beside the AWS key both find
    repository = build_repository(tmp_path)
    (repository / "config" / "keys.py").write_text(
        'STRIPE_KEY = "sk_live_51HqLyjWDarjtT1zdp7dcNOTAREALKEY0000"\n'
    )
    output = tmp_path / "out"

    # when
    (tmp_path / "cwd").mkdir()
    completed = run_cli(repository, output, cwd=tmp_path / "cwd")

    # then: each credential once, in the secrets log; none in the code-analysis log
    assert completed.returncode == 0, completed.stderr
    secrets_log = orjson.loads((output / "secrets.sarif").read_bytes())
    lines = sorted((path, line) for _rule, path, line in results(secrets_log))
    assert lines == sorted({("config/settings.py", 2), ("config/keys.py", 1)})
    sast_log = orjson.loads((output / "sast.sarif").read_bytes())
    assert results(sast_log) == SAST_RESULTS


def test_logs_import_through_the_sarif_parser(scanned: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    found = {}
    for name in ("sast.sarif", "secrets.sarif"):
        parser, findings = parse_report(io.BytesIO((scanned[1] / name).read_bytes()))
        assert parser.name == "sarif"
        found[name] = {
            (f.tool, f.rule_id, f.location.file_path, f.location.line_start, f.severity.value, f.cwe_ids)
            for f in findings
            if f.location is not None
        }

    assert found == {
        "sast.sarif": {
            ("bastion-sast", "bastion.python.sql-injection", "app/db.py", 13, "high", (89,)),
            ("bastion-sast", "bastion.javascript.xss", "app/server.js", 5, "high", (79,)),
        },
        "secrets.sarif": {
            (
                "bastion-secrets",
                "detect-secrets.aws-access-key",
                "config/settings.py",
                2,
                "high",
                (798,),
            )
        },
    }


def test_fingerprints_follow_the_code_not_its_line(tmp_path: Path) -> None:
    # given: the repository analysed, then the same with three lines added at the top of each file
    repository = build_repository(tmp_path)
    limits = tree.Limits(time_limit=120)
    before = asyncio.run(tree.analyze_tree(repository, limits=limits))
    for relative, comment in (("app/db.py", "#"), ("app/server.js", "//"), ("config/settings.py", "#")):
        path = repository / relative
        path.write_text(f"{comment} one\n{comment} two\n{comment} three\n" + path.read_text())

    # when
    after = asyncio.run(tree.analyze_tree(repository, limits=limits))

    # then: every result moved three lines down and kept its fingerprint
    assert before.errors == after.errors == []
    for old, new in ((before.sast, after.sast), (before.secrets, after.secrets)):
        assert old is not None
        assert new is not None
        old_log, new_log = orjson.loads(old), orjson.loads(new)
        assert {(rule, uri, line + 3) for rule, uri, line in results(old_log)} == results(new_log)
        assert fingerprints(old_log) == fingerprints(new_log)
        assert len(set(fingerprints(new_log).values())) == len(results(new_log))


def test_walk_skips_what_is_not_the_repository_and_stops_at_max_files(tmp_path: Path) -> None:
    # given: dependency and build directories, a binary, an oversized file, a FIFO and links
    source, code = tmp_path / "source", tmp_path / "code"
    for directory in (".git", "node_modules", "vendor", "venv", ".venv", "build", "dist", "src/deep"):
        (source / directory).mkdir(parents=True)
        (source / directory / "x.py").write_text("import os\n")
    code.mkdir()
    (source / "src" / "a.js").write_text("let a = 1;\n")
    (source / "src" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    (source / "src" / "latin1.txt").write_bytes("caf\xe9\n".encode("latin-1"))
    (source / "src" / "big.py").write_text("x = 1\n" * 100)
    (source / "README.md").write_text("# readme\n")
    os.mkfifo(source / "src" / "pipe")
    (source / "src" / "link.py").symlink_to(source / "README.md")
    (source / "src" / "linked").symlink_to(source / "src" / "deep", target_is_directory=True)

    # when
    everything = tree.collect(source, code, max_files=100, max_file_bytes=500)
    (tmp_path / "code2").mkdir()
    first_two = tree.collect(source, tmp_path / "code2", max_files=2, max_file_bytes=500)

    # then
    assert [(f.relative, f.language) for f in everything.files] == [
        ("README.md", None),
        ("src/a.js", "javascript"),
        ("src/deep/x.py", "python"),
    ]
    assert dict(everything.skipped) == {
        "excluded_directory": 7,
        "binary": 2,
        "too_large": 1,
        "special_file": 1,
        "symbolic_link": 2,
    }
    assert everything.truncated is False
    assert (code / "src" / "deep" / "x.py").read_text() == "import os\n"
    assert sorted(str(p.relative_to(code)) for p in code.rglob("*") if p.is_file()) == [
        "README.md",
        "src/a.js",
        "src/deep/x.py",
    ]
    assert [f.relative for f in first_two.files] == ["README.md", "src/a.js"]
    assert first_two.truncated is True


def test_a_truncated_run_says_so_in_both_logs(tmp_path: Path) -> None:
    repository = build_repository(tmp_path)

    analysis = asyncio.run(tree.analyze_tree(repository, limits=tree.Limits(time_limit=120, max_files=1)))

    # Name order: app/db.py is the one file analysed.
    assert analysis.sast is not None
    assert analysis.secrets is not None
    sast, secrets = orjson.loads(analysis.sast), orjson.loads(analysis.secrets)
    assert results(sast) == {("bastion.python.sql-injection", "app/db.py", 13)}
    assert results(secrets) == set()
    for log in (sast, secrets):
        properties = log["runs"][0]["properties"]["bastion"]
        assert (properties["truncated"], properties["filesAnalysed"]) == (True, 1)
        assert properties["notes"] == [
            "Stopped at --max-files 1: files after the first 1 (in path order) were not analysed."
        ]


def test_a_failed_engine_leaves_no_log_behind(tmp_path: Path) -> None:
    # given: logs of an earlier run, and a time limit too short for any engine to start
    repository = build_repository(tmp_path)
    output = tmp_path / "out"
    output.mkdir()
    for name in ("sast.sarif", "secrets.sarif"):
        (output / name).write_bytes(b"{}")

    # when
    completed = run_cli(repository, output, "--time-limit", "0.5", cwd=tmp_path)

    # then: no log (a full import of a partial one would close findings), and the reason
    assert completed.returncode == 1
    assert list(output.iterdir()) == []
    assert "bastion-tree: detect-secrets: the time limit was reached before detect-secrets started" in (
        completed.stderr
    )
    assert "bastion-tree: bandit: the time limit was reached before bandit started" in completed.stderr


def test_an_empty_tree_gives_two_empty_runs(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()

    analysis = asyncio.run(tree.analyze_tree(tmp_path / "empty", limits=tree.Limits(time_limit=30)))

    assert analysis.errors == []
    for log, name in ((analysis.sast, "bastion-sast"), (analysis.secrets, "bastion-secrets")):
        assert log is not None
        (run,) = orjson.loads(log)["runs"]
        assert (run["tool"]["driver"]["name"], run["results"]) == (name, [])


def test_command_line_refuses_a_missing_source(tmp_path: Path) -> None:
    completed = run_cli(tmp_path / "nothing", tmp_path / "out", cwd=tmp_path)

    assert completed.returncode == 2
    assert "is not a directory" in completed.stderr
    assert not (tmp_path / "out").exists()
