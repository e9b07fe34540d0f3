"""Fixtures for scan tests: callers with tokens, and a git repository served by ``git daemon`` on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bastion.contracts.principal import Role
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def caller(transactional_db: None) -> dict[str, Any]:
    """An owner and an analyst of acme, a viewer, and a stranger of another organisation."""
    org = factories.organization("acme")
    owner = factories.member(org, Role.OWNER, email="owner@acme.test")
    analyst = factories.member(org, Role.ANALYST, email="ci@acme.test")
    viewer = factories.member(org, Role.VIEWER, email="viewer@acme.test")
    other = factories.organization("globex")
    stranger = factories.member(other, Role.OWNER, email="owner@globex.test")
    return {
        "org": org,
        "other": other,
        "owner": owner,
        "analyst": analyst,
        "asset": factories.asset(org, name="web"),
        "owner_key": factories.token_key(owner, org),
        "key": factories.token_key(analyst, org),
        "viewer_key": factories.token_key(viewer, org),
        "stranger_key": factories.token_key(stranger, other),
    }


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Token {key}"}


@pytest.fixture
def api(gateway_client: TestClient) -> TestClient:
    return gateway_client


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


@dataclass
class GitRepository:
    """A repository in a directory that ``git daemon`` serves; commit to change what a scan sees."""

    work: Path
    url: str

    def git(self, *arguments: str) -> str:
        return subprocess.run(
            ["git", "-C", str(self.work), *arguments], check=True, capture_output=True, text=True
        ).stdout.strip()

    def commit(self, files: dict[str, str], message: str) -> str:
        for name, content in files.items():
            path = self.work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
        self.git("add", "-A")
        self.git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def git_repository(tmp_path: Path) -> Iterator[GitRepository]:
    """An empty repository served read-only by ``git daemon`` on a loopback port."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path / "served"
    work = base / "project.git"
    work.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True)
    # Served as the engines' user would read it: every directory enterable, every file readable.
    base.chmod(0o755)
    tmp_path.chmod(0o755)
    port = free_port()
    daemon = subprocess.Popen(
        [
            "git",
            "daemon",
            "--reuseaddr",
            "--export-all",
            "--informative-errors",
            f"--base-path={base}",
            f"--port={port}",
            "--listen=127.0.0.1",
            str(base),
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield GitRepository(work=work, url=f"git://127.0.0.1:{port}/project.git")
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
