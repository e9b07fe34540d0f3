"""Tasks that show the worker is alive and doing its work."""

from __future__ import annotations

import os
import socket

from celery import shared_task

from bastion.bus.queues import REAP_IMPORTS_TASK


@shared_task(name="bastion.operations.ping")
def ping(nonce: str) -> dict[str, object]:
    """Echo a nonce with the worker's identity, so a caller can see a round trip."""
    return {"nonce": nonce, "hostname": socket.gethostname(), "pid": os.getpid()}


@shared_task(name="bastion.operations.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Delete expired sign-in sessions (scheduled daily by beat)."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


@shared_task(name=REAP_IMPORTS_TASK)
def reap_imports() -> dict[str, int]:
    """Requeue (or fail) the running imports whose worker is gone (on worker start-up and every minute)."""
    from bastion.core.imports import services

    return services.reap()
