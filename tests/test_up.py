"""`bastion up` as a user runs it: every service healthy on one port, one token everywhere,
a task round trip through the worker, and a clean stop of every child process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import psycopg
import pytest

from tests import services

BIN = Path(sys.executable).parent
HEALTH_PATHS = ["/healthz", "/scanner/healthz", "/agent/healthz"]
READY_PATHS = ["/readyz", "/scanner/readyz", "/agent/readyz"]
ME_PATHS = ["/api/v1/me", "/scanner/v1/me", "/agent/v1/me"]
STARTUP_SECONDS = 90

pytestmark = pytest.mark.slow


@dataclass
class Running:
    """A `bastion up` process and what a test needs to talk to it."""

    process: subprocess.Popen[str]
    base_url: str
    environment: dict[str, str]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()

    def bastion(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "bastion"), *args],
            env=self.environment,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("BASTION_")
    }
    environment.update(
        BASTION_VAR_DIR=str(tmp_path / "var"),
        BASTION_ADMIN_EMAIL="root@example.com",
        BASTION_ADMIN_PASSWORD="a long admin password",
        **extra,
    )
    return environment


def _wait_healthy(running: Running) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            pytest.fail(f"bastion up exited with {running.process.returncode}:\n{running.log()}")
        try:
            if all(
                httpx.get(running.base_url + path, timeout=2).status_code == 200
                for path in HEALTH_PATHS
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"not healthy within {STARTUP_SECONDS}s:\n{running.log()}")


def _start(tmp_path: Path, environment: dict[str, str]) -> Running:
    port = services.free_port()
    log_path = tmp_path / "up.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(BIN / "bastion"), "up", "--port", str(port), "--worker-concurrency", "1"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    running = Running(process, f"http://127.0.0.1:{port}", environment, log_path)
    _wait_healthy(running)
    return running


def _stop(running: Running, signum: int = signal.SIGTERM) -> list[psutil.Process]:
    """Signal `bastion up` to stop; return the descendants that were alive before it."""
    descendants: list[psutil.Process] = psutil.Process(running.process.pid).children(recursive=True)
    running.process.send_signal(signum)
    running.process.wait(timeout=30)
    return descendants


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Running]:
    running = _start(tmp_path, _environment(tmp_path))
    yield running
    if running.process.poll() is None:
        _stop(running)


def _token(running: Running) -> str:
    result = running.bastion("token", "create", "--user", "root@example.com", "--org", "demo")
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert re.fullmatch(r"bst_[A-Za-z0-9_-]{43}", key)
    return key


def _exercise(running: Running) -> None:
    """Ready, one token on every service, and a task round trip through the worker."""
    for path in READY_PATHS:
        response = httpx.get(running.base_url + path, timeout=10)
        assert response.status_code == 200, response.text
        assert response.json()["failing"] == []
    key = _token(running)
    headers = {"Authorization": f"Token {key}"}
    principals = [
        httpx.get(running.base_url + path, headers=headers, timeout=10).json() for path in ME_PATHS
    ]
    assert principals[0] == principals[1] == principals[2]
    assert principals[0]["email"] == "root@example.com"
    assert principals[0]["memberships"] == [
        {
            "organization_id": principals[0]["memberships"][0]["organization_id"],
            "organization_slug": "demo",
            "role": "owner",
        }
    ]
    ping = httpx.post(
        running.base_url + "/scanner/v1/diagnostics/worker-ping", headers=headers, timeout=60
    )
    assert ping.status_code == 200, ping.text
    worker_pids = {
        child.pid for child in psutil.Process(running.process.pid).children(recursive=True)
    }
    assert ping.json()["worker_pid"] in worker_pids
    assert key not in running.log()


def _assert_clean_stop(running: Running, signum: int = signal.SIGTERM) -> None:
    descendants = _stop(running, signum)
    assert running.process.returncode == 0, running.log()
    assert len(descendants) >= 3
    gone, alive = psutil.wait_procs(descendants, timeout=5)
    assert alive == []
    assert "bastion: stopped" in running.log()


def test_embedded_profile_serves_all_three_and_stops_cleanly(embedded: Running) -> None:
    _exercise(embedded)
    _assert_clean_stop(embedded)


def test_static_files_and_docs_are_served(embedded: Running) -> None:
    assert (
        httpx.get(embedded.base_url + "/static/admin/css/base.css", timeout=10).status_code == 200
    )
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
        child
        for child in psutil.Process(embedded.process.pid).children()
        if "worker" in child.cmdline()
    )
    descendants = psutil.Process(embedded.process.pid).children(recursive=True)
    # when
    worker.kill()
    embedded.process.wait(timeout=30)
    # then
    assert embedded.process.returncode == 1
    assert re.search(
        r"bastion: worker exited with status -?\d+; stopping the others", embedded.log()
    )
    _gone, alive = psutil.wait_procs(descendants, timeout=5)
    assert alive == []


def test_second_start_reuses_state_and_keeps_the_admin(tmp_path: Path) -> None:
    # given: a first run created the admin, printed nothing secret, and was stopped
    environment = _environment(tmp_path)
    first = _start(tmp_path, environment)
    _stop(first)
    # when
    second = _start(tmp_path, environment)
    # then
    assert "created the administrator" not in second.log()
    key = _token(second)
    assert (
        httpx.get(
            second.base_url + "/agent/v1/me", headers={"Authorization": f"Token {key}"}, timeout=10
        ).status_code
        == 200
    )
    _assert_clean_stop(second, signal.SIGINT)  # what Ctrl-C sends


@pytest.fixture
def postgres_database() -> Iterator[str]:
    services.require("postgres")
    name = f"bastion_up_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(services.POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(services.POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_production_services_postgres_rabbitmq_redis(
    tmp_path: Path, postgres_database: str
) -> None:
    # given
    services.require("rabbitmq", "redis")
    environment = _environment(
        tmp_path,
        BASTION_DATABASE_URL=postgres_database,
        BASTION_BROKER_URL=services.RABBITMQ_URL,
        BASTION_REDIS_URL=services.REDIS_URL,
    )
    # when
    running = _start(tmp_path, environment)
    # then
    try:
        _exercise(running)
        log = running.log()
        assert "transport:   amqp://guest:**@127.0.0.1:5672//" in log
        assert "results:     redis://127.0.0.1:6379/0" in log
    finally:
        _assert_clean_stop(running)
