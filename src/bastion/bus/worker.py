"""What a worker process may use, and where the messages it gives up on go."""

from __future__ import annotations

import logging
import resource
from typing import Any

from bastion.bus.app import celery_app
from bastion.bus.queues import DEAD_LETTER_QUEUE

logger = logging.getLogger(__name__)


def limit_memory(megabytes: int) -> None:
    """Cap the memory this process may allocate: past it, allocations raise MemoryError.

    RLIMIT_DATA counts the heap and private mappings (what Python allocates) but not
    the address space merely reserved, so it tracks what a task really takes.
    """
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)  # a process may lower its hard limit, never raise it
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def dead_letter(task_name: str, args: list[Any], *, reason: str) -> None:
    """Park a task's message in the dead-letter queue, with why, where an operator can look."""
    logger.warning("%s%r given up: %s", task_name, tuple(args), reason)
    celery_app.send_task(
        task_name,
        args=args,
        queue=DEAD_LETTER_QUEUE,
        headers={"x_bastion_dead_letter_reason": reason[:1000]},
    )
