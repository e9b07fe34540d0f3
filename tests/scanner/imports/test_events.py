"""Events on the bus after an import: batched finding events and the completion, on the real broker."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from kombu import Connection, Queue

from bastion.bus.app import celery_app
from bastion.bus.events import embedded_events_queue, events_exchange
from tests import services
from tests.scanner.imports.conftest import SCANS, Importer


@pytest.fixture(params=["embedded", "rabbitmq"])
def listener(request: pytest.FixtureRequest) -> Iterator[tuple[Connection, Queue]]:
    """A queue bound to every event, on the embedded broker or on RabbitMQ."""
    previous = celery_app.conf.broker_url
    if request.param == "rabbitmq":
        services.require("rabbitmq")
        celery_app.conf.broker_url = services.RABBITMQ_URL
        queue = Queue(
            f"test-events-{uuid.uuid4().hex[:8]}", exchange=events_exchange, routing_key="#", auto_delete=True
        )
    else:
        queue = embedded_events_queue
    with Connection(celery_app.conf.broker_url) as connection:
        queue(connection.default_channel).declare()
        queue(connection.default_channel).purge()
        yield connection, queue
        if request.param == "rabbitmq":
            queue(connection.default_channel).delete()
    celery_app.conf.broker_url = previous


def _drain(connection: Connection, queue: Queue) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    bound = queue(connection.default_channel)
    while (message := bound.get(no_ack=True)) is not None:
        bodies.append(message.decode())
    return bodies


def test_import_publishes_created_then_completed(
    import_report: Importer, listener: tuple[Connection, Queue], caller: dict[str, Any]
) -> None:
    job = import_report(SCANS / "bandit" / "dd.json")

    events = _drain(*listener)

    assert [event["type"] for event in events] == ["finding.created", "import.completed"]
    assert len(events[0]["finding_ids"]) == 47
    assert {event["import_id"] for event in events} == {str(job.pk)}
    assert events[1]["new"] == 47
    assert events[1]["organization_id"] == caller["org"].pk


def test_full_reimport_publishes_resolved(
    import_report: Importer, listener: tuple[Connection, Queue]
) -> None:
    import_report(SCANS / "bandit" / "one_vuln.json")
    _drain(*listener)

    import_report(SCANS / "bandit" / "no_vuln.json", full=True, format="bandit")
    events = _drain(*listener)

    assert [(event["type"], len(event.get("finding_ids", ()))) for event in events] == [
        ("finding.resolved", 1),
        ("import.completed", 0),
    ]
