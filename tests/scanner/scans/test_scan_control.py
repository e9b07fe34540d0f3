"""Stopping scans: cancellation kills the engine's process group, time limits, per-organisation
concurrency, and scans whose worker was killed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psutil
import pytest
from celery.exceptions import Retry
from django.utils import timezone
from fastapi.testclient import TestClient

from bastion import sandbox
from bastion.contracts.scans import ScanState, TargetKind
from bastion.core.imports import claims
from bastion.core.scans import services
from bastion.core.scans.models import ScanJob
from bastion.scanner.scans.runner import EngineStopped, EngineTimedOut, run_engine
from bastion.scanner.scans.tasks import run_scan
from tests import services as services_of_tests
from tests.scanner.scans.conftest import auth


def _group_alive(marker: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if marker in " ".join(process.info["cmdline"] or []) and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except psutil.Error:
            continue
    return found


def _alive_until(marker: str, deadline: float) -> list[psutil.Process]:
    """What is left of the marked processes at the deadline (looked for until then: a SIGKILL takes
    effect when the kernel next schedules the process, which may be just after the killer returns)."""
    while (alive := _group_alive(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


def test_a_stopped_engine_and_everything_it_started_are_gone_within_five_seconds(tmp_path: Path) -> None:
    # given: an engine that starts a child of its own and ignores SIGTERM
    marker = "61.4321"
    script = f"trap '' TERM; sleep {marker} & sleep {marker}; wait"
    stop_at = time.monotonic() + 1.0

    # when: the scan is cancelled a second in
    started = time.monotonic()
    with pytest.raises(EngineStopped):
        run_engine(
            ["/bin/sh", "-c", script],
            name="sleeper",
            home=tmp_path,
            time_limit=60,
            memory_mb=0,
            should_stop=lambda: time.monotonic() > stop_at,
        )

    # then: stopped within 5 s of the request, its child too
    assert time.monotonic() - started < 1.0 + 5.0
    assert _alive_until(marker, started + 1.0 + 5.0) == []


def test_an_engine_past_its_time_limit_is_stopped(tmp_path: Path) -> None:
    marker = "62.4321"
    started = time.monotonic()
    with pytest.raises(EngineTimedOut, match="took longer than 1 s"):
        run_engine(
            ["/bin/sh", "-c", f"sleep {marker}"],
            name="sleeper",
            home=tmp_path,
            time_limit=1,
            memory_mb=0,
            should_stop=lambda: False,
        )
    assert time.monotonic() - started < 1.0 + 5.0
    assert _alive_until(marker, started + 1.0 + 5.0) == []


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says anything (nmap's -sV waits on it)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
                held.append(connection)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def test_cancelling_a_running_scan_kills_its_engine_and_records_it_cancelled(
    api: TestClient, caller: dict[str, Any], silent_server: int
) -> None:
    services_of_tests.require_program("nmap", "nmap")
    # given: a host scan whose engine is busy (nmap probing a port that never answers)
    services.add_allowed_range(actor=caller["owner"], organization=caller["org"], value="127.0.0.1/32")
    body = {"target": {"kind": "host", "value": "127.0.0.1"}, "options": {"ports": str(silent_server)}}
    scan_id = api.post("/scanner/v1/scans", headers=auth(caller["key"]), json=body).json()["id"]
    worker = threading.Thread(target=run_scan, args=(scan_id,))
    worker.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if _group_alive(f"{silent_server}") and any(
            line["step"] == "engine-started" for line in ScanJob.objects.get(pk=scan_id).log
        ):
            break
        time.sleep(0.1)
    assert _group_alive(f"{silent_server}"), "nmap did not start"

    # when
    asked = time.monotonic()
    response = api.post(f"/scanner/v1/scans/{scan_id}/cancel", headers=auth(caller["key"]))
    worker.join(timeout=10)

    # then: within 5 s the engine is gone and the scan cancelled, nothing imported
    assert response.json()["state"] == "cancelling"
    assert not worker.is_alive()
    assert time.monotonic() - asked < 5.0
    scan = ScanJob.objects.get(pk=scan_id)
    assert scan.state == ScanState.CANCELLED
    assert scan.imports == []
    assert _alive_until(f"{silent_server}", asked + 5.0) == []
    assert [line["step"] for line in scan.log][-2:] == ["cancelling", "done"]


def _scan(caller: dict[str, Any]) -> ScanJob:
    return services.request_scan(
        actor=caller["analyst"], asset=caller["asset"], kind=TargetKind.HOST, target="127.0.0.1"
    )


def test_an_organisation_runs_no_more_scans_at_once_than_it_may(
    caller: dict[str, Any], fresh_settings: pytest.MonkeyPatch
) -> None:
    # given: one scan at a time, and one running
    fresh_settings.setenv("BASTION_SCANS_PER_ORGANIZATION", "1")
    services.add_allowed_range(actor=caller["owner"], organization=caller["org"], value="127.0.0.1/32")
    first, second = _scan(caller), _scan(caller)
    holder = services.claim_for(str(first.pk))
    outcome, _ = services.start(scan_id=str(first.pk), claim=holder)
    assert outcome is services.Start.RUN
    try:
        # when: a worker is handed the second
        with pytest.raises(Retry):
            run_scan(str(second.pk))

        # then: it waits, still queued, its log saying why
        waiting = ScanJob.objects.get(pk=second.pk)
        assert waiting.state == ScanState.QUEUED
        assert waiting.log[-1]["step"] == "deferred"
        # and another organisation is not held up by acme's scans
        assert services.active_counts() == {caller["org"].pk: 1}
    finally:
        holder.release()


def test_a_scan_whose_worker_was_killed_is_run_again_then_failed_never_left_running(
    caller: dict[str, Any],
) -> None:
    # given: a scan claimed by a real worker process, which is then SIGKILLed
    services.add_allowed_range(actor=caller["owner"], organization=caller["org"], value="127.0.0.1/32")
    scan = _scan(caller)
    lock = claims.lock_path(scan.pk, services.SCANS)
    lock.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(600)\n",
            str(lock),
        ],  # fmt: skip
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == b"held\n"
    ScanJob.objects.filter(pk=scan.pk).update(
        state=ScanState.RUNNING,
        attempts=1,
        worker=f"{socket.gethostname()}:{holder.pid}",
        started_at=timezone.now(),
    )
    assert services.reap() == {"requeued": 0, "ended": 0}  # alive: left alone

    # when: the worker is killed
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    holder.stdout.close()

    # then: the reaper queues the scan again
    assert services.reap() == {"requeued": 1, "ended": 0}
    again = ScanJob.objects.get(pk=scan.pk)
    assert (again.state, again.worker) == (ScanState.QUEUED, "")
    assert again.log[-1]["message"] == "its worker stopped; queued again"

    # when: its second run loses its worker too (on another host: its heartbeat stops)
    stale = timezone.now() - claims.STALE_AFTER - timedelta(seconds=1)
    ScanJob.objects.filter(pk=scan.pk).update(
        state=ScanState.RUNNING, attempts=2, worker="elsewhere:1", heartbeat_at=stale
    )

    # then: it is failed, with the reason, not run a third time
    assert services.reap() == {"requeued": 0, "ended": 1}
    failed = ScanJob.objects.get(pk=scan.pk)
    assert failed.state == ScanState.FAILED
    assert "stopped 2 times" in failed.error
    assert run_scan(str(scan.pk)) == "skipped"


def test_a_redelivered_scan_whose_worker_died_runs_again_on_the_next_worker(caller: dict[str, Any]) -> None:
    # given: a scan left running by a worker that is gone (the broker hands its message out again)
    services.add_allowed_range(actor=caller["owner"], organization=caller["org"], value="127.0.0.1/32")
    scan = _scan(caller)
    ScanJob.objects.filter(pk=scan.pk).update(state=ScanState.RUNNING, attempts=1, worker="gone:1")

    # when
    claim = services.claim_for(str(scan.pk))
    with claim:
        outcome, started = services.start(scan_id=str(scan.pk), claim=claim)

    # then
    assert outcome is services.Start.RUN
    assert started is not None
    assert started.attempts == 2


def test_an_engine_dies_with_the_worker_process_that_started_it(tmp_path: Path) -> None:
    # given: a worker-like process that started an engine through the launcher, then waits
    marker = "63.4321"
    command = sandbox.launcher_command(
        ["/bin/sleep", marker], memory_mb=0, cpu_seconds=120, expose=[str(tmp_path)], hide=[]
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys; subprocess.run(sys.argv[1:])", *command],
        cwd=tmp_path,
    )
    deadline = time.monotonic() + 10
    while not _group_alive(marker):
        assert time.monotonic() < deadline, "the engine did not start"
        time.sleep(0.05)

    # when: the worker is killed
    worker.kill()
    worker.wait()

    # then: the kernel ends the engine too
    deadline = time.monotonic() + 5
    while _group_alive(marker):
        assert time.monotonic() < deadline, "the engine outlived its worker"
        time.sleep(0.05)


def test_an_engine_past_the_scans_time_limit_fails_the_scan_naming_it(
    api: TestClient, caller: dict[str, Any], silent_server: int, fresh_settings: pytest.MonkeyPatch
) -> None:
    # given: engines may run 5 seconds; nmap waits longer than that on a port that never answers
    services_of_tests.require_program("nmap", "nmap")
    fresh_settings.setenv("BASTION_SCAN_ENGINE_TIMEOUT_SECONDS", "5")
    services.add_allowed_range(actor=caller["owner"], organization=caller["org"], value="127.0.0.1/32")
    body = {"target": {"kind": "host", "value": "127.0.0.1"}, "options": {"ports": str(silent_server)}}
    scan_id = api.post("/scanner/v1/scans", headers=auth(caller["key"]), json=body).json()["id"]

    # when
    started = time.monotonic()
    run_scan(scan_id)

    # then: stopped at its limit, the scan failed with the reason, nothing imported
    assert time.monotonic() - started < 5 + 5
    scan = ScanJob.objects.get(pk=scan_id)
    assert scan.state == ScanState.FAILED
    assert "services: nmap took longer than 5 s and was stopped" in scan.error
    assert scan.imports == []
    assert _alive_until(f"{silent_server}", started + 5 + 5) == []
