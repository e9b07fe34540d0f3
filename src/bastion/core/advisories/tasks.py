"""Beat's side of the advisory database: the daily OSV download, when the administrator turns it on."""

from __future__ import annotations

import dataclasses
from typing import Any

from celery import shared_task

from bastion.bus.queues import SYNC_ADVISORIES_TASK
from bastion.config import get_settings
from bastion.core.advisories import sync


@shared_task(name=SYNC_ADVISORIES_TASK)
def sync_advisories() -> dict[str, Any]:
    """Download and import the changed OSV exports (daily, by beat) if BASTION_ADVISORIES_SYNC is on.

    Off by default: it reaches the internet, which an air-gapped instance must not try.
    """
    if not get_settings().advisories_sync:
        return {"skipped": "BASTION_ADVISORIES_SYNC is off"}
    return {name: dataclasses.asdict(result) for name, result in sync.sync().items()}
