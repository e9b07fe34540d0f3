"""`bastion up` as a user runs it: every service healthy on one port, one token everywhere,
a task round trip through the worker, and a clean stop of every child process."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests import services
from tests.processes import (
    ME_PATHS,
    READY_PATHS,
    Running,
    environment_for,
    start,
    stop,
    token_for,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Running]:
    running = start(tmp_path, environment_for(tmp_path))
    yield running
    if running.process.poll() is None:
        stop(running)


def _exercise(running: Running) -> None:
    """Ready, one token on every service, and a task round trip through the worker."""
    for path in READY_PATHS:
        response = httpx.get(running.base_url + path, timeout=10)
        assert response.status_code == 200, response.text
        assert response.json()["failing"] == []
    key = token_for(running)
    headers = {"Authorization": f"Token {key}"}
    principals = [httpx.get(running.base_url + path, headers=headers, timeout=10).json() for path in ME_PATHS]
    assert principals[0] == principals[1] == principals[2]
    assert principals[0]["email"] == "root@example.com"
    assert principals[0]["memberships"] == [
        {
            "organization_id": principals[0]["memberships"][0]["organization_id"],
            "organization_slug": "demo",
            "role": "owner",
        }
    ]
    ping = httpx.post(running.base_url + "/scanner/v1/diagnostics/worker-ping", headers=headers, timeout=60)
    assert ping.status_code == 200, ping.text
    worker_pids = {child.pid for child in psutil.Process(running.process.pid).children(recursive=True)}
    assert ping.json()["worker_pid"] in worker_pids
    assert key not in running.log()


def _assert_cleanstop(running: Running, signum: int = signal.SIGTERM) -> None:
    descendants = stop(running, signum)
    assert running.process.returncode == 0, running.log()
    assert len(descendants) >= 3
    gone, alive = psutil.wait_procs(descendants, timeout=5)
    assert alive == []
    assert "bastion: stopped" in running.log()


def test_embedded_profile_serves_all_three_and_stops_cleanly(embedded: Running) -> None:
    _exercise(embedded)
    _assert_cleanstop(embedded)


def test_static_files_and_docs_are_served(embedded: Running) -> None:
    assert httpx.get(embedded.base_url + "/static/admin/css/base.css", timeout=10).status_code == 200
    for path in ["/scanner/docs", "/agent/docs", "/api/docs/", "/admin/login/"]:
        response = httpx.get(embedded.base_url + path, timeout=10)
        assert response.status_code == 200, path
        assert "cdn" not in response.text.lower(), path
    assert (
        httpx.get(embedded.base_url + "/scanner/openapi.json", timeout=10).json()["info"]["title"]
        == "Bastion scanner"
    )
    assert httpx.get(embedded.base_url + "/api/schema/", timeout=10).status_code == 200


def test_a_dying_child_stops_everything_and_is_named(embedded: Running) -> None:
    # given
    worker = next(
        child for child in psutil.Process(embedded.process.pid).children() if "worker" in child.cmdline()
    )
    descendants = psutil.Process(embedded.process.pid).children(recursive=True)
    # when
    worker.kill()
    embedded.process.wait(timeout=30)
    # then
    assert embedded.process.returncode == 1
    assert re.search(r"bastion: worker exited with status -?\d+; stopping the others", embedded.log())
    _gone, alive = psutil.wait_procs(descendants, timeout=5)
    assert alive == []


def test_second_start_reuses_state_and_keeps_the_admin(tmp_path: Path) -> None:
    # given: a first run created the admin, printed nothing secret, and was stopped
    environment = environment_for(tmp_path)
    first = start(tmp_path, environment)
    stop(first)
    # when
    second = start(tmp_path, environment)
    # then
    assert "created the administrator" not in second.log()
    key = token_for(second)
    assert (
        httpx.get(
            second.base_url + "/agent/v1/me", headers={"Authorization": f"Token {key}"}, timeout=10
        ).status_code
        == 200
    )
    _assert_cleanstop(second, signal.SIGINT)  # what Ctrl-C sends


def test_production_services_postgres_rabbitmq_redis(tmp_path: Path, postgres_database: str) -> None:
    # given
    services.require("rabbitmq", "redis")
    environment = environment_for(
        tmp_path,
        BASTION_DATABASE_URL=postgres_database,
        BASTION_BROKER_URL=services.RABBITMQ_URL,
        BASTION_REDIS_URL=services.REDIS_URL,
    )
    # when
    running = start(tmp_path, environment)
    # then
    try:
        _exercise(running)
        log = running.log()
        assert "transport:   amqp://guest:**@127.0.0.1:5672//" in log
        assert "results:     redis://127.0.0.1:6379/0" in log
    finally:
        _assert_cleanstop(running)
