"""Run one engine of a scan: through the sandbox launcher, in its own process group, stoppable.

The worker waits for the engine in short steps; between them it asks whether the scan was
cancelled and whether the engine's time is up. Either way it ends the engine's whole
process group (the engine and whatever it started): SIGTERM, then SIGKILL after
TERM_GRACE_SECONDS, so that a cancelled scan's engine is gone within 5 seconds of the
request. Output goes to files in the workspace, never to pipes a busy engine could fill.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bastion import sandbox
from bastion.config import get_settings

POLL_SECONDS = 0.5
TERM_GRACE_SECONDS = 2.0
STDERR_TAIL_BYTES = 4000
# Engines get this environment and what the engine adds, nothing of the worker's own.
ENVIRONMENT = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}


class EngineError(Exception):
    """An engine did not finish as it should; the message says why (it never holds secrets)."""


class EngineTimedOut(EngineError):
    """The engine ran past its time limit and was stopped."""


class EngineStopped(EngineError):
    """The scan was cancelled and its engine was stopped."""


@dataclass(frozen=True)
class Finished:
    """An engine's exit status and the end of what it wrote to stderr."""

    returncode: int
    stderr_tail: str


def run_engine(
    argv: Sequence[str],
    *,
    name: str,
    home: Path,
    expose: Sequence[Path] = (),
    time_limit: float,
    memory_mb: int,
    should_stop: Callable[[], bool],
    environment: Mapping[str, str] | None = None,
) -> Finished:
    """Run ``argv`` (an absolute program and its arguments) in ``home`` under the limits.

    Raises EngineStopped when ``should_stop`` says so, EngineTimedOut past ``time_limit``,
    EngineError when the sandbox refused to start it.
    """
    command = sandbox.launcher_command(
        list(argv),
        memory_mb=memory_mb,
        cpu_seconds=max(1, int(time_limit)),
        expose=[
            str(home),
            *sandbox.installation(sys.executable),
            *sandbox.installation(argv[0]),
            *(str(path) for path in expose),
        ],
        hide=[str(get_settings().resolved_var_dir)],
    )
    env = {**ENVIRONMENT, **(environment or {}), "HOME": str(home), "TMPDIR": str(home)}
    stdout_path, stderr_path = home / f".{name}.stdout", home / f".{name}.stderr"
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        process = subprocess.Popen(  # noqa: S603 - an argument list, no shell; the program is the engine's
            command,
            cwd=home,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
        deadline = time.monotonic() + time_limit
        try:
            while True:
                try:
                    returncode = process.wait(timeout=POLL_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    pass
                if should_stop():
                    stop_group(process)
                    raise EngineStopped(f"{name} was stopped: the scan was cancelled")
                if time.monotonic() > deadline:
                    stop_group(process)
                    raise EngineTimedOut(f"{name} took longer than {time_limit:g} s and was stopped")
        except BaseException:
            stop_group(process)  # an error of the worker itself: the engine must not outlive it
            raise
    tail = _tail(stderr_path)
    for path in (stdout_path, stderr_path):
        path.unlink(missing_ok=True)
    if returncode == sandbox.EXIT_REFUSED and tail.startswith("sandbox: "):
        raise EngineError(f"{name} was not started: {tail.splitlines()[0].removeprefix('sandbox: ')}")
    return Finished(returncode, tail)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """End a process and its whole group: SIGTERM, then SIGKILL if it is still there after the grace."""
    if process.returncode is not None:
        _signal_group(process.pid, signal.SIGKILL)  # children it left behind
        return
    _signal_group(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=TERM_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        pass
    _signal_group(process.pid, signal.SIGKILL)
    process.wait()


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _tail(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - STDERR_TAIL_BYTES))
            return handle.read().decode("utf-8", "replace")
    except FileNotFoundError:
        return ""
