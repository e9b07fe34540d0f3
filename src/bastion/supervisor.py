"""Run the gateway, the Celery worker and beat as child processes: restart one that dies, stop them together.

A child that dies is restarted after a delay that doubles from ``initial_delay`` up to
``max_delay`` while it keeps dying young, and starts again from ``initial_delay`` once it
has stayed up ``stable_seconds``. A child that dies ``max_deaths`` times within
``window_seconds`` is broken, not unlucky: then every child is stopped and ``bastion up``
exits 1. Otherwise it exits only on SIGINT or SIGTERM, with 0.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from types import FrameType

import httpx

STOP_GRACE_SECONDS = 15.0
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class RestartPolicy:
    """When a dead child is started again, and when the supervisor gives up."""

    initial_delay: float = 1.0
    max_delay: float = 30.0
    stable_seconds: float = 60.0
    max_deaths: int = 5
    window_seconds: float = 60.0


@dataclass
class Child:
    """One supervised process; it leads its own process group so its children stop with it."""

    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    started_at: float = 0.0
    restart_at: float | None = None
    delay: float = 0.0
    deaths: deque[float] = field(default_factory=deque, repr=False)

    def start(self, environment: dict[str, str]) -> None:
        """Start the process in a new session."""
        self.process = subprocess.Popen(self.argv, env=environment, start_new_session=True)  # noqa: S603
        self.started_at = time.monotonic()
        self.restart_at = None

    def signal_group(self, signum: int) -> None:
        """Send a signal to the process and everything it started."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def reap(self) -> int | None:
        """Return the exit status if the process has died (and forget it), else None.

        What the dead process started (a prefork pool) is killed with it, so a restart
        never runs beside orphans of the previous run.
        """
        if self.process is None or self.process.poll() is None:
            return None
        status = self.process.returncode
        self.signal_group(signal.SIGKILL)
        self.process = None
        return status


class Supervisor:
    """Start children, restart one that dies, stop them all on SIGINT/SIGTERM or when one keeps dying."""

    def __init__(
        self,
        children: list[Child],
        *,
        environment: dict[str, str],
        health_url: str | None,
        policy: RestartPolicy | None = None,
    ):
        self.children = children
        self.environment = environment
        self.health_url = health_url
        self.policy = policy or RestartPolicy()
        self.stop_requested: int | None = None

    def _request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop_requested = signum

    def run(self) -> int:
        """Run until SIGINT/SIGTERM (0) or until a child keeps dying (1): ``bastion up``'s exit status."""
        previous = {
            signum: signal.signal(signum, self._request_stop) for signum in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            return self._run()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _run(self) -> int:
        started = time.monotonic()
        for child in self.children:
            self._start(child, verb="started")
        announced = self.health_url is None
        broken: Child | None = None
        while self.stop_requested is None and broken is None:
            now = time.monotonic()
            for child in self.children:
                status = child.reap()
                if status is not None and not self.record_death(child, status, now=now):
                    broken = child
                    break
                if child.restart_at is not None and now >= child.restart_at and self.stop_requested is None:
                    self._start(child, verb="restarted")
            if not announced and broken is None and self._healthy():
                assert self.health_url is not None
                log(f"ready: {self.health_url.removesuffix('healthz')} in {time.monotonic() - started:.1f}s")
                announced = True
            time.sleep(POLL_SECONDS)
        if broken is not None:
            policy = self.policy
            log(
                f"{broken.name} died {policy.max_deaths} times within {policy.window_seconds:.0f}s; "
                "giving up and stopping the others"
            )
        else:
            log(f"received {signal.Signals(self.stop_requested or signal.SIGTERM).name}; stopping")
        self.stop_all()
        return 1 if broken is not None else 0

    def _start(self, child: Child, *, verb: str) -> None:
        child.start(self.environment)
        assert child.process is not None
        log(f"{verb} {child.name} (pid {child.process.pid})")

    def record_death(self, child: Child, status: int, *, now: float) -> bool:
        """Record a death and plan the restart; return False when the child keeps dying (give up)."""
        policy = self.policy
        child.deaths.append(now)
        while child.deaths and child.deaths[0] < now - policy.window_seconds:
            child.deaths.popleft()
        if len(child.deaths) >= policy.max_deaths:
            log(f"{child.name} {describe_exit(status)}")
            return False
        if child.delay == 0.0 or now - child.started_at >= policy.stable_seconds:
            child.delay = policy.initial_delay
        else:
            child.delay = min(child.delay * 2, policy.max_delay)
        child.restart_at = now + child.delay
        log(f"{child.name} {describe_exit(status)}; restarting it in {child.delay:g}s")
        return True

    def _healthy(self) -> bool:
        assert self.health_url is not None
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


def describe_exit(status: int) -> str:
    """Say how a process ended, from its ``returncode``: ``exited with status 3``, ``was killed by …``."""
    if status < 0:
        try:
            return f"was killed by {signal.Signals(-status).name}"
        except ValueError:
            return f"was killed by signal {-status}"
    return f"exited with status {status}"


def log(message: str) -> None:
    """Write a supervisor message to standard error."""
    print(f"bastion: {message}", file=sys.stderr, flush=True)
