"""Run the gateway, the Celery worker and beat as child processes, and stop them together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import FrameType

import httpx

STOP_GRACE_SECONDS = 15.0
POLL_SECONDS = 0.2


@dataclass
class Child:
    """One supervised process; it leads its own process group so its children stop with it."""

    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, environment: dict[str, str]) -> None:
        """Start the process in a new session."""
        self.process = subprocess.Popen(self.argv, env=environment, start_new_session=True)  # noqa: S603

    def signal_group(self, signum: int) -> None:
        """Send a signal to the process and everything it started."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass


class Supervisor:
    """Start children, watch them, and stop all of them when one dies or on SIGINT/SIGTERM."""

    def __init__(self, children: list[Child], *, environment: dict[str, str], health_url: str):
        self.children = children
        self.environment = environment
        self.health_url = health_url
        self.stop_requested: int | None = None

    def _request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop_requested = signum

    def run(self) -> int:
        """Run until a signal or a child's death; return the exit status for ``bastion up``."""
        signal.signal(signal.SIGINT, self._request_stop)
        signal.signal(signal.SIGTERM, self._request_stop)
        started = time.monotonic()
        for child in self.children:
            child.start(self.environment)
            assert child.process is not None
            log(f"started {child.name} (pid {child.process.pid})")
        announced = False
        dead: Child | None = None
        while self.stop_requested is None and dead is None:
            dead = next((c for c in self.children if c.process and c.process.poll() is not None), None)
            if not announced and dead is None and self._healthy():
                elapsed = time.monotonic() - started
                log(f"ready: {self.health_url.removesuffix('healthz')} in {elapsed:.1f}s")
                announced = True
            time.sleep(POLL_SECONDS)
        if dead is not None:
            assert dead.process is not None
            log(f"{dead.name} exited with status {dead.process.returncode}; stopping the others")
        else:
            log(f"received {signal.Signals(self.stop_requested or signal.SIGTERM).name}; stopping")
        self.stop_all()
        return 1 if dead is not None else 0

    def _healthy(self) -> bool:
        try:
            return httpx.get(self.health_url, timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def stop_all(self) -> None:
        """Ask every child to stop, then kill whatever is still there after the grace period."""
        for child in self.children:
            child.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{child.name} did not stop in {STOP_GRACE_SECONDS:.0f}s; killing it")
                child.signal_group(signal.SIGKILL)
                child.process.wait()
            # The group may still hold grandchildren (a prefork pool): make sure they go too.
            child.signal_group(signal.SIGKILL)
        log("stopped")


def log(message: str) -> None:
    """Write a supervisor message to standard error."""
    print(f"bastion: {message}", file=sys.stderr, flush=True)
