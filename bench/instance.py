"""Start a throwaway ``bastion up`` for a benchmark and give back its URL and an API token."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
ADMIN = "bench@example.com"


def wait_ready(url: str, process: subprocess.Popen[bytes], seconds: float, failure: str) -> None:
    """Wait until ``url`` answers 200; raise RuntimeError(``failure``) if the process ends or time is up."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(failure)
        time.sleep(0.3)


@contextmanager
def running(port: int, **settings: str) -> Iterator[tuple[str, str, subprocess.Popen[bytes]]]:
    """Run ``bastion up`` with BASTION_* settings on a fresh var/; yield (base URL, token, process)."""
    var_dir = Path(tempfile.mkdtemp(prefix="bastion-bench-"))
    environment = {key: value for key, value in os.environ.items() if not key.startswith("BASTION_")}
    environment.update(
        BASTION_VAR_DIR=str(var_dir),
        BASTION_ADMIN_EMAIL=ADMIN,
        BASTION_ADMIN_PASSWORD="a long bench password",  # noqa: S106 - a throwaway bench instance
        BASTION_LOG_LEVEL="WARNING",
        **{f"BASTION_{name.upper()}": value for name, value in settings.items()},
    )
    up = subprocess.Popen(
        [str(BIN / "bastion"), "up", "--port", str(port), "--worker-concurrency", "1"],
        env=environment, stdout=subprocess.DEVNULL, stderr=(var_dir / "up.log").open("w"),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        failure = f"bastion up did not become ready: see {var_dir / 'up.log'}"
        wait_ready(f"{base}/agent/readyz", up, 120, failure)
        token = subprocess.run(
            [str(BIN / "bastion"), "token", "create", "--user", ADMIN, "--org", "demo"],
            env=environment, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        yield base, token, up
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(timeout=60)
