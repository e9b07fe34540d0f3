"""Issue 9, item 1: analysed code is data. Engines never import it, run unprivileged, see no secret.

The module names a submitted file could shadow are enumerated from real runs: each engine
(and Python itself, and the launcher) is started once with ``-X importtime`` and every module
it imports at start-up is listed.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import orjson
import pytest

from bastion.agent.engines import bandit, secrets, semgrep
from bastion.agent.engines.base import Workspace, workspace
from bastion.agent.engines.runner import run_limited
from bastion.config import get_settings
from bastion.sandbox import LAUNCHER, SANDBOX_USER, sandbox_identity

SAMPLE = (
    'import subprocess\nfrom flask import request\npassword = "hunter2222"\n\n\n'
    'def archive():\n    return subprocess.call("tar czf /tmp/out.tgz " + request.args["name"], shell=True)\n'
)
IMPORT_TIME = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s+(?P<name>[\w.]+)\s*$", re.MULTILINE)
# Names Python looks for at start-up or that a test runner imports, whatever the engines do.
SPECIAL_NAMES = ("sitecustomize", "usercustomize", "__main__", "conftest")
ENGINES = (bandit, semgrep, secrets)


def _imported_at_start_up(command: list[str], cwd: Path) -> set[str]:
    """Run a Python command (interpreter first) with ``-X importtime``; return the top-level names."""
    interpreter, *rest = command
    completed = subprocess.run(  # noqa: S603 - our own interpreters and engines
        [interpreter, "-X", "importtime", *rest],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), "SEMGREP_ENABLE_VERSION_CHECK": "0"},
    )
    names = {match["name"].split(".")[0] for match in IMPORT_TIME.finditer(completed.stderr)}
    assert len(names) >= 10, completed.stderr[-2000:]
    return names


def startup_module_names(created: Workspace) -> set[str]:
    """Every top-level module Python, the launcher, Bandit and detect-secrets import (Semgrep's engine is
    a native program: it imports no Python module)."""
    home, path = created.home, str(created.path)
    commands = [
        [sys.executable, "-I", "-c", "pass"],
        [sys.executable, "-I", "-S", str(LAUNCHER), "0", "5", "--", sys.executable, "-I", "-c", "pass"],
        [sys.executable, "-I", "-m", "bandit", "--format", "json", "--quiet", path],
        [sys.executable, "-I", "-m", "detect_secrets", "-C", str(created.code), "scan", path],
    ]
    return set().union(*(_imported_at_start_up(command, home) for command in commands))


def plant(directory: Path, names: set[str], marker: Path) -> None:
    """Write a module for each name (and a ``.pth`` file) that records its name in the marker when run."""
    for name in names:
        (directory / f"{name}.py").write_text(f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n")
    (directory / "bastion_planted.pth").write_text(
        f"import sys; open({str(marker)!r}, 'a').write('pth\\n')\n"
    )
    for planted in directory.iterdir():
        planted.chmod(0o644)


def scan(engine: ModuleType, created: Workspace) -> list[str]:
    found = asyncio.run(engine.scan(created, time_limit=30, memory_mb=1024))
    return [vulnerability.rule_id for vulnerability in found]


def test_item_1_module_names_beside_the_code_or_in_the_working_directory_never_run(drop_box: Path) -> None:
    marker = drop_box / "ran"
    with workspace(SAMPLE, language="python", filename="app.py") as created:
        names = startup_module_names(created) | set(SPECIAL_NAMES)
        # given: a module for every name, beside the code and in the engines' working directory
        plant(created.code, names, marker)
        plant(created.home, names, marker)
        # when
        found = {engine.NAME: scan(engine, created) for engine in ENGINES}
        # then: each engine ran and found what it finds, and no planted module ran
        assert {"json", "os", "re", "resource", "bandit", "detect_secrets", "yaml"} <= names
        assert found == {
            "bandit": ["bandit.B105", "bandit.B602"],
            "semgrep": ["bastion.python.hardcoded-secret", "bastion.python.command-injection"],
            "detect-secrets": ["detect-secrets.secret-keyword"],
        }
        assert not marker.exists(), marker.read_text()
        # and the planted code does write its mark when it is run on purpose, under the same sandbox
        ran = asyncio.run(
            run_limited(
                [sys.executable, "-I", str(created.code / "json.py")],
                name="probe",
                workspace=created,
                time_limit=20,
                memory_mb=256,
            )
        )
        assert (ran.returncode, marker.read_text()) == (0, "json\n")


def _run_python(created: Workspace, code: str) -> tuple[int, str, str]:
    completed = asyncio.run(
        run_limited(
            [sys.executable, "-I", "-c", code], name="probe", workspace=created, time_limit=20, memory_mb=256
        )
    )
    return completed.returncode, completed.stdout.decode(), completed.stderr.decode()


def test_item_1_the_engine_cannot_read_the_secret_key() -> None:
    if os.geteuid() != 0:
        pytest.skip(
            "the service runs as an unprivileged user: engines run as that user (only root drops to nobody)"
        )
    # given: the instance's secret key (in the state directory), and a key file of mode 600 in a directory
    # that anyone may enter, so that only the file's owner and mode protect it
    get_settings().resolved_secret_key()
    state_key = get_settings().resolved_var_dir / "secret_key"
    directory = Path(tempfile.mkdtemp(prefix="bastion-key-"))
    try:
        directory.chmod(0o755)
        key = directory / "secret_key"
        key.touch(mode=0o600)
        key.write_text("the-secret-key-of-the-instance")
        probe = (
            "import os\n"
            "print(os.getresuid(), os.getresgid(), os.getgroups())\n"
            f"for path in ({str(key)!r}, {str(state_key)!r}):\n"
            "    try:\n"
            "        print(open(path).read())\n"
            "    except PermissionError as error:\n"
            "        print(type(error).__name__, error.filename)\n"
        )
        with workspace("x = 1\n", language="python") as created:
            # when
            returncode, stdout, stderr = _run_python(created, probe)
    finally:
        shutil.rmtree(directory)
    # then
    uid, gid = sandbox_identity()
    assert (returncode, stderr) == (0, "")
    assert stdout.splitlines() == [
        f"({uid}, {uid}, {uid}) ({gid}, {gid}, {gid}) []",
        f"PermissionError {key}",
        f"PermissionError {state_key}",
    ]
    assert SANDBOX_USER == "nobody"


def test_item_1_engines_get_a_fixed_environment_with_nothing_of_the_service(
    fresh_settings: pytest.MonkeyPatch,
) -> None:
    # given: secrets and Python variables in the service's environment
    fresh_settings.setenv("BASTION_SECRET_KEY", "service-secret-key-0123456789-abcdefghij")
    fresh_settings.setenv("BASTION_LLM_API_KEY", "sk-service-llm-api-key")
    fresh_settings.setenv("AWS_SECRET_ACCESS_KEY", "aws-secret")
    with workspace("x = 1\n", language="python") as created:
        fresh_settings.setenv("PYTHONPATH", str(created.code))
        fresh_settings.setenv("PYTHONSTARTUP", str(created.path))
        # when
        returncode, stdout, _ = _run_python(created, "import json, os; print(json.dumps(dict(os.environ)))")
        home = str(created.home)
    # then
    assert returncode == 0
    assert orjson.loads(stdout) == {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": home,
        "TMPDIR": home,
    }


def test_item_1_the_launcher_imports_only_the_standard_library_before_the_limits() -> None:
    with workspace("x = 1\n", language="python") as created:
        imported = _imported_at_start_up(
            [sys.executable, "-I", "-S", str(LAUNCHER), "0", "5", "--", sys.executable, "-I", "-c", "pass"],
            created.home,
        )
    assert sorted(imported - sys.stdlib_module_names - set(sys.builtin_module_names)) == []


def test_item_1_the_code_is_readable_by_the_engines_user_alone() -> None:
    with workspace("x = 1\n", language="python", filename="app.py") as created:
        modes = {
            path.name: (oct(path.stat().st_mode & 0o7777), path.stat().st_uid, path.stat().st_gid)
            for path in (created.directory, created.code, created.path, created.home)
        }
        process_uid = os.geteuid()
        process_gid = os.getegid()
    if process_uid == 0:
        uid, gid = sandbox_identity()
        assert modes == {
            created.directory.name: ("0o711", 0, process_gid),
            "code": ("0o750", 0, gid),
            "app.py": ("0o640", 0, gid),
            "home": ("0o700", uid, gid),
        }
    else:
        assert {name: mode for name, (mode, _, _) in modes.items()} == {
            created.directory.name: "0o700",
            "code": "0o700",
            "app.py": "0o600",
            "home": "0o700",
        }


def test_item_1_a_sandbox_that_cannot_be_set_up_runs_nothing(drop_box: Path) -> None:
    marker = drop_box / "ran"
    state = str(get_settings().resolved_var_dir)
    with workspace("x = 1\n", language="python") as created:
        # when: the engine would need the state directory, which is hidden from engines
        completed = subprocess.run(  # noqa: S603 - our own launcher
            [
                sys.executable, "-I", "-S", str(LAUNCHER), "256", "5", "--expose", state, "--hide", state,
                "--", sys.executable, "-I", "-c", f"open({str(marker)!r}, 'w')",
            ],
            capture_output=True,
            text=True,
            cwd=created.home,
            check=False,
            timeout=30,
        )  # fmt: skip
    # then
    assert (completed.returncode, completed.stdout) == (125, "")
    assert completed.stderr.startswith("sandbox: ")
    assert "which engines must not see" in completed.stderr
    assert not marker.exists()
