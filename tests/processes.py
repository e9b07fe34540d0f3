"""Run `bastion up` as a user would, for tests that need the whole system."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest

from tests import services

BIN = Path(sys.executable).parent
HEALTH_PATHS = ["/healthz", "/scanner/healthz", "/agent/healthz"]
READY_PATHS = ["/readyz", "/scanner/readyz", "/agent/readyz"]
ME_PATHS = ["/api/v1/me", "/scanner/v1/me", "/agent/v1/me"]
STARTUP_SECONDS = 90


@dataclass
class Running:
    """A `bastion up` process and what a test needs to talk to it."""

    process: subprocess.Popen[str]
    base_url: str
    environment: dict[str, str]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()

    def bastion(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "bastion"), *args],
            env=self.environment,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


def environment_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("BASTION_")}
    environment.update(
        BASTION_VAR_DIR=str(tmp_path / "var"),
        BASTION_ADMIN_EMAIL="root@example.com",
        BASTION_ADMIN_PASSWORD="a long admin password",
        **extra,
    )
    return environment


def wait_healthy(running: Running) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            pytest.fail(f"bastion up exited with {running.process.returncode}:\n{running.log()}")
        try:
            if all(httpx.get(running.base_url + path, timeout=2).status_code == 200 for path in HEALTH_PATHS):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"not healthy within {STARTUP_SECONDS}s:\n{running.log()}")


def start(tmp_path: Path, environment: dict[str, str]) -> Running:
    """Run `bastion up` and wait until every service answers (stopped again when it never does)."""
    running = launch(tmp_path, environment)
    try:
        wait_healthy(running)
    except BaseException:
        # No process may outlive a failed start: a later test would inherit it (and its warnings).
        for process in stop(running):
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        raise
    return running


def launch(tmp_path: Path, environment: dict[str, str]) -> Running:
    """Run `bastion up` without waiting for it (start other processes meanwhile, then wait_healthy)."""
    port = services.free_port()
    log_path = tmp_path / "up.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(BIN / "bastion"), "up", "--port", str(port), "--worker-concurrency", "1"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    return Running(process, f"http://127.0.0.1:{port}", environment, log_path)


def stop(running: Running, signum: int = signal.SIGTERM) -> list[psutil.Process]:
    """Signal `bastion up` to stop; return the descendants that were alive before it."""
    descendants: list[psutil.Process] = psutil.Process(running.process.pid).children(recursive=True)
    running.process.send_signal(signum)
    running.process.wait(timeout=30)
    return descendants


def child(running: Running, argument: str) -> psutil.Process:
    """The supervised child whose command line has this argument (``worker``, ``beat``...).

    ``worker`` names the imports' worker; the scans' worker is ``--queues=bastion.scans``.
    """
    children = psutil.Process(running.process.pid).children()
    if argument == "worker":
        children = [c for c in children if not any(part.startswith("--queues=") for part in c.cmdline())]
    return next(c for c in children if argument in c.cmdline())


def token_for(running: Running, email: str = "root@example.com", org: str = "demo") -> str:
    """Issue a token with the CLI, as a user scripting a set-up would."""
    result = running.bastion("token", "create", "--user", email, "--org", org)
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert re.fullmatch(r"bst_[A-Za-z0-9_-]{43}", key)
    return key
