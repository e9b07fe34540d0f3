"""Fixtures shared by every test."""

from __future__ import annotations

import gc
import os
import tempfile
import uuid
from collections.abc import Iterator
from typing import Any

# Settings are read once per process: give the test run its own state directory
# before anything imports them (the Makefile sets it too).
os.environ.setdefault("BASTION_VAR_DIR", tempfile.mkdtemp(prefix="bastion-test-"))

import psycopg  # noqa: E402
import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from bastion.config import get_settings  # noqa: E402
from bastion.gateway import create_gateway  # noqa: E402
from tests import services  # noqa: E402


class SettingsPatch(pytest.MonkeyPatch):
    """A monkeypatch whose environment changes take effect at once: settings are read again.

    (An app built before the change, such as the gateway a client fixture made, reads the new
    value the next time it asks for the settings.)
    """

    def setenv(self, name: str, value: str, prepend: str | None = None) -> None:
        super().setenv(name, value, prepend)
        get_settings.cache_clear()

    def delenv(self, name: str, raising: bool = True) -> None:
        super().delenv(name, raising)
        get_settings.cache_clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test database, with no session left on it when it is dropped.

    A connection a finished thread opened (a served request, a scan's runner) is closed
    only when Python collects it; one still open made PostgreSQL refuse DROP DATABASE
    ("being accessed by other users") at the end of a run, now and then.
    """
    yield
    gc.collect()  # closes the connections of threads that have ended
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def gateway_client(transactional_db: None) -> Iterator[TestClient]:
    """A client of the one-port gateway (core, scanner and agent in this process)."""
    with TestClient(create_gateway(), base_url="http://localhost") as client:
        yield client


@pytest.fixture
def fresh_settings() -> Iterator[pytest.MonkeyPatch]:
    """Let a test change BASTION_* variables; settings are read again after each change, then restored."""
    patch = SettingsPatch()
    get_settings.cache_clear()
    yield patch
    patch.undo()
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Hash test passwords cheaply; production keeps Django's slow default."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Start each test with an empty cache: test databases reuse ids, so cached figures would not fit."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards."""
    services.require("postgres")
    name = f"bastion_up_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(services.POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(services.POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
