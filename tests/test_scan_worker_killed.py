"""A scans worker killed mid-scan, on the whole system (PostgreSQL, RabbitMQ, `bastion up`).

The engine dies with the worker process (the kernel's parent-death signal), the broker hands the
scan out again, the next run claims it (a second attempt), and the scan ends as asked, never left
"running".
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from tests import services
from tests.processes import environment_for, start, stop, token_for

pytestmark = pytest.mark.slow


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers: nmap's version probes wait on it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop_serving = threading.Event()

    def accept() -> None:
        while not stop_serving.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop_serving.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def _engines(port: int) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        try:
            if process.info["name"] == "nmap" and str(port) in " ".join(process.info["cmdline"] or []):
                found.append(process)
        except psutil.Error:
            continue
    return found


def _wait(condition: Any, seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"{what} within {seconds} s")


def test_a_killed_scans_worker_leaves_no_engine_behind_and_its_scan_runs_again(
    tmp_path: Path, postgres_database: str, silent_port: int
) -> None:
    # given: the whole system, and a host scan whose engine is busy
    services.require("rabbitmq")
    services.require_program("nmap", "nmap")
    running = start(
        tmp_path,
        environment_for(
            tmp_path, BASTION_DATABASE_URL=postgres_database, BASTION_BROKER_URL=services.RABBITMQ_URL
        ),
    )
    try:
        headers = {"Authorization": f"Token {token_for(running)}"}
        api = httpx.Client(base_url=running.base_url + "/scanner/v1", headers=headers, timeout=30)
        assert api.post("/scan-allow-list", json={"value": "127.0.0.1/32"}).status_code == 201
        body = {"target": {"kind": "host", "value": "127.0.0.1"}, "options": {"ports": str(silent_port)}}
        accepted = api.post("/scans", json=body)
        assert accepted.status_code == 202, accepted.text
        status_url = accepted.json()["status_url"].removeprefix("/scanner/v1")
        [engine] = _wait(lambda: _engines(silent_port), 60, "nmap did not start")
        scan = api.get(status_url).json()
        assert (scan["state"], len([line for line in scan["log"] if line["step"] == "started"])) == (
            "running",
            1,
        )
        worker_pid = int(scan["log"][1]["message"].rpartition(":")[2])

        # when: the worker process running the scan is killed
        psutil.Process(worker_pid).kill()

        # then: its engine is gone at once, and the scan is taken up again by the next worker process
        psutil.wait_procs([engine], timeout=5)
        assert not engine.is_running() or engine.status() == psutil.STATUS_ZOMBIE
        second = _wait(
            lambda: (
                (s := api.get(status_url).json())["log"][-1]["step"] == "engine-started"
                and sum(line["step"] == "started" for line in s["log"]) == 2
                and s
            ),
            90,
            "the scan was not run again",
        )
        assert second["state"] == "running"

        # and, cancelled, it ends cancelled with its engine stopped
        assert api.post(f"{status_url}/cancel").json()["state"] == "cancelling"
        final = _wait(
            lambda: (s := api.get(status_url).json())["state"] in {"cancelled", "failed", "completed"} and s,
            15,
            "the scan did not end",
        )
        assert final["state"] == "cancelled"
        _wait(lambda: not _engines(silent_port), 5, "nmap outlived the cancellation")
        api.close()
    finally:
        descendants = stop(running)
        psutil.wait_procs(descendants, timeout=10)
