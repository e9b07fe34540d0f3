"""Issue 9, item 14: the worker ping is an operator's diagnostic, for superusers only.

It reveals the worker's host name and process id, so a member of an organisation, whatever
their role, is refused before any task is sent; and it is not in the public API document.
"""

from __future__ import annotations

import os
import resource
import socket
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from fastapi.testclient import TestClient

from bastion.bus.queues import DEFAULT_QUEUE
from bastion.contracts.principal import Role
from bastion.core.celery import celery_app
from bastion.scanner.diagnostics import router as diagnostics
from tests import factories

PING = "/scanner/v1/diagnostics/worker-ping"


def _waiting_tasks() -> int:
    """How many tasks wait in the workers' queue."""
    with celery_app.connection_for_write() as connection:
        try:
            declared = connection.default_channel.queue_declare(queue=DEFAULT_QUEUE, passive=True)
        except connection.channel_errors:  # no such queue yet: nothing was ever sent
            return 0
        return int(declared.message_count)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ANALYST, Role.ADMIN, Role.OWNER])
def test_item_14_worker_ping_is_refused_to_every_organisation_role(
    gateway_client: TestClient, role: Role
) -> None:
    # given
    org = factories.organization()
    key = factories.token_key(factories.member(org, role), org)
    waiting = _waiting_tasks()
    # when
    response = gateway_client.post(PING, headers={"Authorization": f"Token {key}"})
    # then
    assert response.status_code == 403
    assert response.json() == {"detail": "diagnostics are for superusers"}
    assert _waiting_tasks() == waiting


def test_item_14_worker_ping_answers_a_superuser(gateway_client: TestClient) -> None:
    # given: a superuser's token, and a worker consuming the broker
    org = factories.organization()
    user = factories.member(org, Role.VIEWER)
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    key = factories.token_key(user, org)
    # when
    memory_limit = resource.getrlimit(resource.RLIMIT_DATA)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        response = gateway_client.post(PING, headers={"Authorization": f"Token {key}"})
    # then
    assert response.status_code == 200, response.text
    # and the pool child's memory cap was not put on the process that ran the solo pool
    assert resource.getrlimit(resource.RLIMIT_DATA) == memory_limit
    answer: dict[str, Any] = response.json()
    assert (answer["worker_pid"], answer["worker_hostname"]) == (os.getpid(), socket.gethostname())


def test_item_14_worker_ping_is_not_in_the_public_api_document(gateway_client: TestClient) -> None:
    paths = gateway_client.get("/scanner/openapi.json").json()["paths"]

    assert "/scanner/v1/diagnostics/worker-ping" not in paths
    assert "/scanner/v1/imports" in paths


def test_item_14_worker_ping_with_no_worker_running_is_a_gateway_timeout(
    gateway_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a superuser, and no worker consuming the broker
    org = factories.organization()
    user = factories.member(org, Role.VIEWER)
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    key = factories.token_key(user, org)
    monkeypatch.setattr(diagnostics, "PING_TIMEOUT_SECONDS", 1.0)
    # when
    try:
        response = gateway_client.post(PING, headers={"Authorization": f"Token {key}"})
    finally:
        celery_app.control.purge()  # the unanswered ping is not left for the next worker
    # then: Celery's own TimeoutError is a 504, not a 500
    assert (response.status_code, response.json()) == (504, {"detail": "no worker answered within 1 s"})
