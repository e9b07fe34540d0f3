"""Crash safety on PostgreSQL and RabbitMQ: a worker killed in the middle of a large import."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import httpx
import psutil
import psycopg
import pytest
from bench.reports import write_sarif

from tests import services
from tests.processes import Running, environment_for, start, token_for

pytestmark = pytest.mark.slow
FINDINGS = 60_000


def _status(running: Running, url: str, key: str) -> dict[str, object]:
    return httpx.get(running.base_url + url, headers={"Authorization": f"Token {key}"}, timeout=30).json()  # type: ignore[no-any-return]


def test_killed_worker_import_completes_exactly_once_after_restart(
    tmp_path: Path, postgres_database: str
) -> None:
    # given: the whole system on PostgreSQL and RabbitMQ, and a large report being imported
    services.require("rabbitmq")
    report = write_sarif(tmp_path / "large.sarif", FINDINGS)
    environment = environment_for(
        tmp_path, BASTION_DATABASE_URL=postgres_database, BASTION_BROKER_URL=services.RABBITMQ_URL
    )
    first = start(tmp_path, environment)
    key = token_for(first)
    with report.open("rb") as body:
        accepted = httpx.post(
            first.base_url + "/scanner/v1/imports?asset_identifier=crash-test&asset_kind=repository",
            headers={"Authorization": f"Token {key}", "Content-Type": "application/octet-stream"},
            content=body,
            timeout=120,
        )
    assert accepted.status_code == 202, accepted.text
    status_url = accepted.json()["status_url"]
    deadline = time.monotonic() + 60
    while _status(first, status_url, key)["state"] != "running":
        assert time.monotonic() < deadline, "the import never started"
        time.sleep(0.1)
    time.sleep(1.0)  # well into staging: the parse alone takes several seconds
    # when: every worker process is killed at once
    workers = [
        p
        for p in psutil.Process(first.process.pid).children(recursive=True)
        if "worker" in " ".join(p.cmdline())
    ]
    assert workers
    for worker in workers:
        worker.send_signal(signal.SIGKILL)
    first.process.send_signal(signal.SIGTERM)  # stop the system before the supervisor restarts the worker
    first.process.wait(timeout=60)
    assert first.process.returncode == 0
    assert _count(postgres_database) == 0  # nothing half-written
    # then: after a restart the redelivered task completes the import, every finding once
    second = start(tmp_path, environment)
    try:
        deadline = time.monotonic() + 300
        while (state := _status(second, status_url, key))["state"] not in {"completed", "failed"}:
            assert time.monotonic() < deadline, state
            time.sleep(0.5)
        assert state["state"] == "completed", state
        assert (state["parsed"], state["new"]) == (FINDINGS, FINDINGS)
        assert _count(postgres_database) == FINDINGS
        with psycopg.connect(postgres_database) as connection:
            attempts = connection.execute("SELECT attempts FROM imports_importjob").fetchone()
        assert attempts == (2,)
    finally:
        second.process.send_signal(signal.SIGTERM)
        second.process.wait(timeout=60)


def _count(url: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT count(*), count(DISTINCT fingerprint) FROM findings_finding"
        ).fetchone()
    assert row is not None
    assert row[0] == row[1]
    return int(row[0])
