"""The message bus: the Celery application, queue names and the broker probe."""

from bastion.bus.app import celery_app
from bastion.bus.queues import DEFAULT_QUEUE, EVENTS_EXCHANGE

__all__ = ["DEFAULT_QUEUE", "EVENTS_EXCHANGE", "celery_app"]
