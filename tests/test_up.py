"""`bastion up` as a user runs it: every service healthy on one port, one token everywhere,
a task round trip through the worker, and a clean stop of every child process."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg
import pytest

from tests import services
from tests.processes import (
    ME_PATHS,
    READY_PATHS,
    Running,
    child,
    environment_for,
    start,
    stop,
    token_for,
)

pytestmark = pytest.mark.slow
# A real report (tests/fixtures/scans): 795 findings, 594 of them distinct.
REPORT = Path(__file__).parent / "fixtures" / "scans" / "trivy_operator" / "cis_benchmark.json"
REPORT_FINDINGS = 795
REPORT_NEW = 594


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
    worker_pids = {process.pid for process in psutil.Process(running.process.pid).children(recursive=True)}
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
    for path in ["/scanner/docs", "/agent/docs", "/api/docs/", "/accounts/login/"]:
        response = httpx.get(embedded.base_url + path, timeout=10)
        assert response.status_code == 200, path
        assert "cdn" not in response.text.lower(), path
    assert (
        httpx.get(embedded.base_url + "/scanner/openapi.json", timeout=10).json()["info"]["title"]
        == "Bastion scanner"
    )
    assert httpx.get(embedded.base_url + "/api/schema/", timeout=10).status_code == 200


def test_item_4_an_embedded_instance_counts_sign_ins_by_connection_not_x_forwarded_for(
    embedded: Running,
) -> None:
    # given: a client that writes a new X-Forwarded-For, and a new account name, on every try
    with httpx.Client(base_url=embedded.base_url, timeout=10) as client:
        client.get("/accounts/login/")
        tries = [
            client.post(
                "/accounts/login/",
                data={
                    "login": f"nobody{n}@example.com",
                    "password": "wrong",
                    "csrfmiddlewaretoken": client.cookies["csrftoken"],
                },
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            )
            for n in range(6)
        ]
    # then: the address is locked after five failures all the same (uvicorn trusted none of them)
    assert [response.status_code for response in tries] == [200] * 4 + [429] * 2


def _wait_for_log(running: Running, text: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while text not in running.log():
        assert time.monotonic() < deadline, f"{text!r} not logged within {seconds}s:\n{running.log()}"
        time.sleep(0.1)


def test_item_3_killed_worker_and_gateway_are_restarted_and_the_import_completes_once(
    tmp_path: Path, postgres_database: str
) -> None:
    # given: the whole system on PostgreSQL and RabbitMQ, and a real report being imported
    services.require("rabbitmq")
    running = start(
        tmp_path,
        environment_for(
            tmp_path, BASTION_DATABASE_URL=postgres_database, BASTION_BROKER_URL=services.RABBITMQ_URL
        ),
    )
    try:
        headers = {"Authorization": f"Token {token_for(running)}"}
        accepted = httpx.post(
            running.base_url + "/scanner/v1/imports?asset_identifier=cluster&asset_kind=host",
            headers={**headers, "Content-Type": "application/octet-stream"},
            content=REPORT.read_bytes(),
            timeout=60,
        )
        assert accepted.status_code == 202, accepted.text
        # when: the worker is killed as the import reaches it, then the gateway
        child(running, "worker").kill()
        _wait_for_log(running, "bastion: worker was killed by SIGKILL; restarting it in 1s")
        _wait_for_log(running, "bastion: restarted worker")
        child(running, "bastion.gateway:create_gateway").kill()
        _wait_for_log(running, "bastion: gateway was killed by SIGKILL; restarting it in 1s")
        # then: the service answers again within seconds
        deadline = time.monotonic() + 20
        while not _answers(running.base_url + "/healthz"):
            assert time.monotonic() < deadline, running.log()
            time.sleep(0.2)
        # and the import completes, every finding once
        deadline = time.monotonic() + 120
        while (state := _get(running, accepted.json()["status_url"], headers))["state"] not in {
            "completed",
            "failed",
        }:
            assert time.monotonic() < deadline, state
            time.sleep(0.3)
        assert (state["state"], state["parsed"], state["new"]) == ("completed", REPORT_FINDINGS, REPORT_NEW)
        with psycopg.connect(postgres_database) as connection:
            counts = connection.execute(
                "SELECT count(*), count(DISTINCT fingerprint) FROM findings_finding"
            ).fetchone()
            jobs = connection.execute("SELECT state FROM imports_importjob").fetchall()
        assert counts == (REPORT_NEW, REPORT_NEW)
        assert jobs == [("completed",)]
        assert running.process.poll() is None  # bastion up itself never stopped
    finally:
        _assert_cleanstop(running)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _get(running: Running, url: str, headers: dict[str, str]) -> dict[str, Any]:
    response = httpx.get(running.base_url + url, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


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
