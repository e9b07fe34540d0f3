"""Publishing events to the topic exchange, batched, after the data they describe is committed."""

from __future__ import annotations

from collections.abc import Iterable

from kombu import Exchange, Queue, pools

from bastion.bus.app import celery_app
from bastion.bus.queues import EVENTS_EXCHANGE, EVENTS_QUEUE
from bastion.contracts.events import Event

events_exchange = Exchange(EVENTS_EXCHANGE, type="topic", durable=True)
# The embedded broker keeps bindings in each process's memory, so a consumer in another
# process could never bind in time: there, every event also lands in this one queue.
embedded_events_queue = Queue(EVENTS_QUEUE, exchange=events_exchange, routing_key="#", durable=True)


def publish(events: Iterable[Event]) -> int:
    """Publish events on one of the process's pooled connections; return how many were sent.

    (A connection of its own would cost a TCP and AMQP handshake, several round trips, per call.)
    """
    sent = 0
    # kombu keeps one pool per broker (its URL, user, virtual host): the broker configured now.
    with pools.producers[celery_app.connection_for_write()].acquire(block=True) as producer:
        is_virtual = producer.connection.transport.driver_type not in {"amqp"}
        declare: list[Exchange | Queue] = [events_exchange]
        if is_virtual:
            declare.append(embedded_events_queue)
        for event in events:
            producer.publish(
                event.model_dump(mode="json"),
                serializer="json",
                exchange=events_exchange,
                routing_key=event.type,
                declare=declare,
                retry=True,
                retry_policy={"max_retries": 3, "interval_start": 0.2},
            )
            sent += 1
    return sent
