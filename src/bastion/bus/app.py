"""The Celery application every process shares, configured from ``BASTION_BROKER_URL``.

Its tasks live in the core's apps, which ``core.celery`` discovers for the workers; a
process that queues a task imports its module, or sends it by name (``bus.queues``).
"""

from __future__ import annotations

from celery import Celery

from bastion.bus.queues import DEFAULT_QUEUE
from bastion.config import get_settings


def create_celery_app() -> Celery:
    """Build the Celery application from the environment."""
    settings = get_settings()
    app = Celery("bastion")
    app.conf.update(
        broker_url=settings.resolved_broker_url,
        result_backend=settings.result_backend_url,
        result_extended=False,
        result_expires=3600,
        task_default_queue=DEFAULT_QUEUE,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # A pool process that grew past half its hard limit (bus.worker.limit_memory) is replaced
        # after its task, so that the memory goes back to the system.
        worker_max_memory_per_child=settings.worker_memory_mb * 1024 // 2,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        timezone="UTC",
        enable_utc=True,
    )
    return app


celery_app = create_celery_app()
