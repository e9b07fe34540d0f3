"""Running the core's ORM from async code."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import ParamSpec, TypeVar

import anyio.to_thread

P = ParamSpec("P")
T = TypeVar("T")


def setup_django() -> None:
    """Configure Django once per process so the core's models can be used."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.core.settings")
    import django

    django.setup(set_prefix=False)


def _with_fresh_connections(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    from django.db import connections

    try:
        return function(*args, **kwargs)
    finally:
        # Worker threads come and go: give the connection back (to the pool on
        # PostgreSQL) rather than leave it to a thread that may never run again.
        connections.close_all()


async def run_orm(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run blocking ORM work in a worker thread, never in the event loop."""
    return await anyio.to_thread.run_sync(partial(_with_fresh_connections, function, *args, **kwargs))
