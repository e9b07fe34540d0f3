"""Readiness of the parts every service depends on: the database, the broker and, when configured, Redis."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import redis
from django.db import connection
from redis.backoff import NoBackoff
from redis.retry import Retry

from bastion.bus.probe import check_broker
from bastion.config import get_settings
from bastion.contracts.health import CheckResult, HealthReport

REDIS_TIMEOUT_SECONDS = 2


def check_database() -> CheckResult:
    """Run one trivial query on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready", and says why
        return CheckResult(name="database", ok=False, detail=f"{type(error).__name__}: {error}")
    return CheckResult(name="database", ok=True)


def check_redis(url: str) -> CheckResult:
    """Send one PING to Redis, without retrying; report why it failed, never the URL's password."""
    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
    )
    try:
        client.ping()
    except (redis.RedisError, OSError) as error:
        detail = f"{type(error).__name__}: {error}"
        password = urlsplit(url).password
        if password:
            detail = detail.replace(unquote(password), "***").replace(password, "***")
        return CheckResult(name="redis", ok=False, detail=detail)
    finally:
        client.close()
    return CheckResult(name="redis", ok=True)


def readiness(*, service: str) -> HealthReport:
    """Check the database, the broker and Redis (when configured); ready only when all answer."""
    settings = get_settings()
    checks = [check_database(), check_broker(settings.resolved_broker_url)]
    if settings.redis_url:
        checks.append(check_redis(settings.redis_url))
    failing = [check.name for check in checks if not check.ok]
    return HealthReport(service=service, ready=not failing, checks=checks, failing=failing)
