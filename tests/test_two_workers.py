"""Two Bastion workers on one host and one RabbitMQ virtual host: both consume, and imports complete
through either (issue 10).

A worker's Celery node is named after its process (``bastion-<pid>@<host>``, ``bastion worker``):
a second worker no longer dies on the first one's control queue
(``RESOURCE_LOCKED ... bastion@<host>.celery.pidbox``), and ``bastion up`` goes on running.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import psycopg
import pytest
from celery import Celery

from bastion.bus.queues import SCANS_QUEUE
from tests import services
from tests.processes import BIN, Running, child, environment_for, launch, stop, token_for, wait_healthy

pytestmark = [pytest.mark.slow, pytest.mark.services]

HOST = socket.gethostname()
# A real report (tests/fixtures/scans) with one finding: each import is quick.
REPORT = Path(__file__).parent / "fixtures" / "scans" / "bandit" / "one_vuln.json"
# Enough imports that each of two workers, each taking one at a time, is given some.
IMPORTS = 8
WAIT_SECONDS = 90


@pytest.fixture
def broker_url() -> Iterator[str]:
    """A RabbitMQ virtual host of this test's own, shared by its two workers."""
    services.require("postgres", "rabbitmq")
    with services.rabbitmq_vhost() as url:
        yield url


def _start_worker(environment: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """Start one more worker, as an operator adds one to an instance."""
    with log_path.open("w") as log:
        return subprocess.Popen(
            [
                str(BIN / "bastion"),
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
            ],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)


def _answering(broker_url: str, expected: set[str]) -> set[str]:
    """Return the worker nodes that answer a ping, once every expected one does (or time is up)."""
    control = Celery(broker=broker_url)
    answering: set[str] = set()
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while answering != expected and time.monotonic() < deadline:
            answering = {node for reply in control.control.ping(timeout=1.0) for node in reply}
    finally:
        control.close()
    return answering


def _import(running: Running, headers: dict[str, str], number: int) -> str:
    """Post the report for asset ``number``; return its status URL."""
    accepted = httpx.post(
        f"{running.base_url}/scanner/v1/imports?asset_identifier=host-{number}&asset_kind=host",
        headers={**headers, "Content-Type": "application/octet-stream"},
        content=REPORT.read_bytes(),
        timeout=60,
    )
    assert accepted.status_code == 202, accepted.text
    return str(accepted.json()["status_url"])


def _completed(running: Running, headers: dict[str, str], status_url: str) -> str:
    """Wait for an import to end; return its state."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        response = httpx.get(running.base_url + status_url, headers=headers, timeout=30)
        assert response.status_code == 200, response.text
        state = str(response.json()["state"])
        if state in {"completed", "failed"} or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def _runners(database_url: str, workers: dict[str, psutil.Process]) -> list[str]:
    """Name, for each import job in order, the worker whose pool process ran it (jobs record host:pid).

    Only living workers are asked for their pool: a job run by another shows its host:pid.
    """
    living = {name: worker for name, worker in workers.items() if worker.is_running()}
    pools = {pool.pid: name for name, worker in living.items() for pool in worker.children()}
    with psycopg.connect(database_url) as connection:
        jobs = connection.execute("SELECT worker FROM imports_importjob ORDER BY created_at").fetchall()
    return [pools.get(int(worker.rpartition(":")[2]), worker) for (worker,) in jobs]


def test_two_workers_on_one_host_and_vhost_both_consume_and_complete_imports(
    tmp_path: Path, postgres_database: str, broker_url: str
) -> None:
    # given: `bastion up` on PostgreSQL and RabbitMQ, and a second worker started beside it (meanwhile)
    environment = environment_for(
        tmp_path, BASTION_DATABASE_URL=postgres_database, BASTION_BROKER_URL=broker_url
    )
    running = launch(tmp_path, environment)
    second = _start_worker(environment, tmp_path / "second-worker.log")
    try:
        wait_healthy(running)
        workers = {
            "first": psutil.Process(child(running, "worker").pid),
            "second": psutil.Process(second.pid),
        }
        scans = child(running, f"--queues={SCANS_QUEUE}")  # `bastion up`'s scans worker answers too
        nodes = {f"bastion-{worker.pid}@{HOST}" for worker in [*workers.values(), scans]}
        # when / then: all consume, each under its own node name
        assert _answering(broker_url, nodes) == nodes
        # when: imports are posted
        headers = {"Authorization": f"Token {token_for(running)}"}
        status_urls = [_import(running, headers, number) for number in range(IMPORTS)]
        # then: every one completes, some through each worker
        assert [_completed(running, headers, url) for url in status_urls] == ["completed"] * IMPORTS
        runners = _runners(postgres_database, workers)
        assert sorted(set(runners)) == ["first", "second"], runners
        # when: the second worker stops
        _stop_worker(second)
        # then: the first completes the next import alone, and bastion up never stopped
        assert _completed(running, headers, _import(running, headers, IMPORTS)) == "completed"
        assert _runners(postgres_database, workers)[-1] == "first"
        assert running.process.poll() is None, running.log()
        assert "RESOURCE_LOCKED" not in running.log() + (tmp_path / "second-worker.log").read_text()
    finally:
        _stop_worker(second)
        stop(running)
