"""Configuration from the environment: embedded defaults; production refuses unsafe set-ups."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from bastion.config import ConfigurationError, Settings, redact_url
from tests import services

BIN = Path(sys.executable).parent
STRONG_KEY = SecretStr("k" * 50)


def test_embedded_defaults_live_under_var(tmp_path: Path) -> None:
    # when
    settings = Settings(var_dir=tmp_path / "state")
    # then
    state = (tmp_path / "state").resolve()
    assert settings.profile == "embedded"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.resolved_database_url == f"sqlite:///{state / 'bastion.sqlite3'}"
    assert settings.resolved_broker_url == f"sqla+sqlite:///{state / 'broker.sqlite3'}"
    assert settings.result_backend_url == f"db+sqlite:///{state / 'results.sqlite3'}"


def test_embedded_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    # when
    first = Settings(var_dir=tmp_path).resolved_secret_key()
    second = Settings(var_dir=tmp_path).resolved_secret_key()
    # then
    assert first == second
    assert len(first) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_postgres_url_gives_a_psycopg_result_backend() -> None:
    settings = Settings(database_url="postgres://bastion:pw@db:5432/bastion")

    assert settings.result_backend_url == "db+postgresql+psycopg://bastion:pw@db:5432/bastion"


def test_redis_url_gives_a_redis_result_backend() -> None:
    settings = Settings(redis_url="redis://127.0.0.1:6379/0")

    assert settings.result_backend_url == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "BASTION_SECRET_KEY must be set"),
        ({"secret_key": SecretStr("short")}, "BASTION_SECRET_KEY must be set"),
        ({"secret_key": STRONG_KEY, "debug": True}, "BASTION_DEBUG must be off"),
        (
            {"secret_key": STRONG_KEY, "admin_password": SecretStr("admin")},
            "BASTION_ADMIN_PASSWORD is a default",
        ),
        (
            {"secret_key": STRONG_KEY, "admin_password": SecretStr("changeme")},
            "BASTION_ADMIN_PASSWORD is a default",
        ),
        (
            {"secret_key": STRONG_KEY, "admin_password": SecretStr("short-pass")},
            "BASTION_ADMIN_PASSWORD is a default",
        ),
    ],
)
def test_production_refuses_unsafe_settings(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Settings(profile="production", **fields)  # type: ignore[arg-type]


def test_production_accepts_a_safe_configuration() -> None:
    settings = Settings(
        profile="production",
        secret_key=STRONG_KEY,
        admin_password=SecretStr("a long admin password"),
    )

    assert settings.resolved_secret_key() == STRONG_KEY.get_secret_value()


def test_bastion_up_refuses_production_without_a_secret_key(tmp_path: Path) -> None:
    # given
    environment = {key: value for key, value in os.environ.items() if not key.startswith("BASTION_")}
    environment.update(BASTION_PROFILE="production", BASTION_VAR_DIR=str(tmp_path))
    # when
    result = subprocess.run(
        [str(BIN / "bastion"), "up"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # then
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "bastion: production profile refused: BASTION_SECRET_KEY must be set to at least 32 characters"
    )
    assert not (tmp_path / "bastion.sqlite3").exists()


def test_redact_url_hides_the_password() -> None:
    assert redact_url("amqp://guest:s3cret@mq:5672//") == "amqp://guest:***@mq:5672//"
    assert redact_url("sqlite:////var/x.sqlite3") == "sqlite:////var/x.sqlite3"


def test_redis_url_puts_the_cache_in_redis(tmp_path: Path) -> None:
    # given: a process configured with Redis
    services.require("redis")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("BASTION_")}
    environment.update(BASTION_VAR_DIR=str(tmp_path), BASTION_REDIS_URL=services.REDIS_URL)
    key = f"bastion-test-{os.getpid()}"
    script = (
        "from django.core.cache import cache; import redis; "
        f"cache.set('{key}', 'kept', 30); "
        f"print(cache.get('{key}'), bool(redis.Redis.from_url('{services.REDIS_URL}').keys('*{key}')))"
    )
    # when
    result = subprocess.run(
        [str(BIN / "bastion"), "manage", "shell", "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # then: the value went through Redis itself
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["kept", "True"]
