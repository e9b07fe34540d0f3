"""Start an engine as a subprocess with limits; kill its whole process group on timeout."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from bastion.agent.exceptions import EngineFailed

# Engines see only what they need: no credentials of the service leak into them.
PASSED_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


@dataclass(frozen=True)
class Completed:
    """An engine's exit status and output."""

    returncode: int
    stdout: bytes
    stderr: bytes


async def run_limited(
    argv: list[str],
    *,
    name: str,
    cwd: Path,
    time_limit: float,
    memory_mb: int,
    environment: dict[str, str] | None = None,
) -> Completed:
    """Run ``argv`` in ``cwd`` within ``time_limit`` seconds and ``memory_mb`` of address space (0: none)."""
    env = {name: os.environ[name] for name in PASSED_ENVIRONMENT if name in os.environ}
    env.update(environment or {})
    launcher = [
        sys.executable,
        "-m",
        "bastion.agent.engines.sandbox",
        str(memory_mb),
        str(math.ceil(time_limit)),
    ]
    process = await asyncio.create_subprocess_exec(
        *launcher,
        "--",
        *argv,
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), time_limit)
    except (TimeoutError, asyncio.CancelledError) as error:
        _kill_group(process.pid)
        with contextlib.suppress(TimeoutError):  # a loop shutting down may never report the exit
            await asyncio.wait_for(asyncio.shield(process.wait()), 5)
        if isinstance(error, asyncio.CancelledError):
            raise
        raise EngineFailed(f"{name} took longer than {time_limit:g} s") from error
    return Completed(process.returncode or 0, stdout, stderr)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
