"""Beat's side of scans: start the schedules that are due, take up scans whose worker is gone."""

from __future__ import annotations

from celery import shared_task

from bastion.bus.queues import REAP_SCANS_TASK, RUN_DUE_SCHEDULES_TASK
from bastion.core.scans import services


@shared_task(name=RUN_DUE_SCHEDULES_TASK)
def run_due_schedules() -> dict[str, int]:
    """Queue a scan for every schedule that is due (every minute, by beat)."""
    return services.run_due_schedules()


@shared_task(name=REAP_SCANS_TASK)
def reap_scans() -> dict[str, int]:
    """Queue again, or end, the scans whose worker is gone (every minute, and when a worker starts)."""
    return services.reap()
