"""Celery wiring for workers and beat: Django set up, tasks discovered from the core apps.

Run with ``celery -A bastion.core.celery worker`` (``bastion up`` does this).
"""

import os
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.core.settings")
django.setup()

from celery.schedules import crontab  # noqa: E402
from celery.signals import worker_process_init, worker_ready  # noqa: E402
from django.conf import settings  # noqa: E402 - needs django.setup() first

from bastion.bus.app import celery_app  # noqa: E402
from bastion.bus.queues import (  # noqa: E402
    REAP_IMPORTS_TASK,
    REAP_SCANS_TASK,
    RUN_DUE_SCHEDULES_TASK,
    SYNC_ADVISORIES_TASK,
)
from bastion.bus.worker import limit_memory  # noqa: E402
from bastion.config import get_settings  # noqa: E402

celery_app.autodiscover_tasks(lambda: settings.INSTALLED_APPS)
celery_app.conf.beat_schedule = {
    "clear-expired-sessions": {
        "task": "bastion.operations.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    "expire-risk-acceptances": {
        "task": "bastion.findings.expire_risk_acceptances",
        "schedule": crontab(minute=5),
    },
    "reap-imports": {"task": REAP_IMPORTS_TASK, "schedule": crontab()},  # every minute
    "reap-scans": {"task": REAP_SCANS_TASK, "schedule": crontab()},
    "run-due-scan-schedules": {"task": RUN_DUE_SCHEDULES_TASK, "schedule": crontab()},
    # Daily, off the hour; the task does nothing unless BASTION_ADVISORIES_SYNC is on.
    "sync-advisories": {"task": SYNC_ADVISORIES_TASK, "schedule": crontab(hour=4, minute=23)},
}


# The process that loaded the Celery app: the worker's main process, whose pool children fork from it.
_LOADING_PID = os.getpid()


@worker_process_init.connect
def _limit_pool_process_memory(**_: Any) -> None:
    """Cap each pool process's memory before it runs a task (BASTION_WORKER_MEMORY_MB).

    Only in a forked pool child: the solo pool sends this signal too, in the process that
    started it (a test, an embedding program), whose own memory is not the worker's to cap.
    """
    if os.getpid() != _LOADING_PID:
        limit_memory(get_settings().worker_memory_mb)


@worker_ready.connect
def _reap_imports_on_start(sender: Any, **_: Any) -> None:
    """Take up the imports that workers gone before this one left running."""
    sender.app.send_task(REAP_IMPORTS_TASK)
    sender.app.send_task(REAP_SCANS_TASK)


app = celery_app
