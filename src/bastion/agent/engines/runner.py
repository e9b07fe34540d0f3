"""Start an engine through the sandbox launcher; kill its whole process group on timeout."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import signal
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bastion import sandbox
from bastion.agent.engines.base import Workspace
from bastion.agent.exceptions import EngineFailed
from bastion.agent.redaction import redact
from bastion.config import get_settings

# Engines get this environment and what their module adds, nothing of the service's own
# (no BASTION_*, keys, tokens, proxies or PYTHON* variables).
ENVIRONMENT = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}


@dataclass(frozen=True)
class Completed:
    """An engine's exit status and output."""

    returncode: int
    stdout: bytes
    stderr: bytes


def launcher_command(
    argv: list[str], *, memory_mb: int, cpu_seconds: int, expose: Iterable[Path], hide: Iterable[Path]
) -> list[str]:
    """Return the launcher's command line that runs ``argv`` under the limits (see ``sandbox``)."""
    return sandbox.launcher_command(
        argv,
        memory_mb=memory_mb,
        cpu_seconds=cpu_seconds,
        expose=[str(d) for d in expose],
        hide=[str(d) for d in hide],
    )


def installation(program: str) -> list[Path]:
    """Return the directories a program is installed in: its ``bin``'s parent, before and after symlinks.

    For ``.venv/bin/python`` that is the virtual environment and the Python it was made from.
    """
    return [Path(directory) for directory in sandbox.installation(program)]


async def run_limited(
    argv: list[str],
    *,
    name: str,
    workspace: Workspace,
    time_limit: float,
    memory_mb: int,
    environment: Mapping[str, str] | None = None,
    expose: Iterable[Path] = (),
) -> Completed:
    """Run ``argv`` in the workspace's home within ``time_limit`` seconds and ``memory_mb`` of address space.

    ``memory_mb`` 0 sets no address-space limit. ``expose`` names directories the engine reads
    besides the workspace and its own installation; Bastion's state directory is hidden from it.
    """
    command = launcher_command(
        argv,
        memory_mb=memory_mb,
        cpu_seconds=math.ceil(time_limit),
        # The launcher itself runs on this interpreter after the switch: its installation too.
        expose=[workspace.directory, *installation(sys.executable), *installation(argv[0]), *expose],
        hide=[get_settings().resolved_var_dir],
    )
    env = {**ENVIRONMENT, **(environment or {}), "HOME": str(workspace.home), "TMPDIR": str(workspace.home)}
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=workspace.home,
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
    if process.returncode == sandbox.EXIT_REFUSED and stderr.startswith(b"sandbox: "):
        reason = stderr.decode("utf-8", "replace").splitlines()[0].removeprefix("sandbox: ")
        raise EngineFailed(f"{name} was not started: {redact(reason)}")
    return Completed(process.returncode or 0, stdout, stderr)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
