"""Item 17: each command line the README gives for running the services as separate processes
starts its service on its own, with nothing set but the environment of the instance."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests import services

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 90


class Running:
    """A command started as an operator would, in its own directory, its output in a file."""

    def __init__(self, argv: list[str], environment: dict[str, str], directory: Path) -> None:
        self.log_path = directory / "output.log"
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                argv, cwd=directory, env=environment, stdout=log, stderr=subprocess.STDOUT, text=True
            )

    def log(self) -> str:
        return self.log_path.read_text()

    def wait_for(self, is_ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not is_ready():
            if self.process.poll() is not None:
                pytest.fail(f"exited with status {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"not ready within {STARTUP_SECONDS}s:\n{self.log()}")
            time.sleep(0.3)

    def terminate(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def wait_stopped(self) -> None:
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a migrated instance in a fresh state directory, without DJANGO_SETTINGS_MODULE."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("BASTION_")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment["BASTION_VAR_DIR"] = str(tmp_path_factory.mktemp("instance"))
    migrated = subprocess.run(
        [str(BIN / "bastion"), "manage", "migrate", "--verbosity=0"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr
    return environment


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


# The README's command lines (production section), and what each one serves.
UVICORN = {
    "gateway": (
        ["--factory", "bastion.gateway:create_gateway"],
        ["/readyz", "/scanner/readyz", "/agent/readyz"],
    ),
    "core": (["bastion.core.asgi:application", "--workers", "2"], ["/readyz"]),
    "scanner": (["--factory", "bastion.scanner.main:create_app"], ["/scanner/readyz"]),
    "agent": (["--factory", "bastion.agent.main:create_app"], ["/agent/readyz"]),
}
CELERY = {
    "worker": (["worker", "--concurrency=1"], re.compile(r"celery@\S+ ready\.")),
    "beat": (["beat"], re.compile(r"beat: Starting\.\.\.")),
}


@pytest.mark.parametrize(
    ("commands", "variables"),
    [
        (["gateway", "core", "scanner", "agent", "worker", "beat"], {}),
        # As the issue found them: with DJANGO_SETTINGS_MODULE set, the factories failed another way.
        (["scanner", "agent"], {"DJANGO_SETTINGS_MODULE": "bastion.core.settings"}),
    ],
    ids=["alone", "with-DJANGO_SETTINGS_MODULE"],
)
def test_item_17_every_documented_command_line_starts_its_service_on_its_own(
    instance: dict[str, str], tmp_path: Path, commands: list[str], variables: dict[str, str]
) -> None:
    # given
    environment = {**instance, **variables}
    ports = {name: services.free_port() for name in commands if name in UVICORN}
    started: dict[str, Running] = {}
    try:
        # when: every command at once, each in its own directory (beat writes its schedule there)
        for name in commands:
            if name in UVICORN:
                argv = [str(BIN / "uvicorn"), *UVICORN[name][0], "--port", str(ports[name])]
            else:
                application = "bastion.scanner.worker" if name == "worker" else "bastion.core.celery"
                argv = [str(BIN / "celery"), "-A", application, *CELERY[name][0], "--loglevel=INFO"]
            started[name] = Running(argv, environment, _directory(tmp_path, name))
        # then: each web service is ready, each Celery process has started
        for name, running in started.items():
            if name in UVICORN:
                base_url = f"http://127.0.0.1:{ports[name]}"
                paths = UVICORN[name][1]
                running.wait_for(lambda base_url=base_url, path=paths[0]: _answers(base_url + path))
                for path in paths:
                    response = httpx.get(base_url + path, timeout=10)
                    assert (name, response.status_code, response.json()["failing"]) == (name, 200, [])
            else:
                pattern = CELERY[name][1]
                running.wait_for(lambda running=running, pattern=pattern: bool(pattern.search(running.log())))
    finally:
        for running in started.values():
            running.terminate()
        for running in started.values():
            running.wait_stopped()


def _directory(parent: Path, name: str) -> Path:
    directory = parent / name
    directory.mkdir()
    return directory
