"""Readiness of the parts every service depends on: the database and the broker."""

from __future__ import annotations

from django.db import connection

from bastion.bus.probe import check_broker
from bastion.config import get_settings
from bastion.contracts.health import CheckResult, HealthReport


def check_database() -> CheckResult:
    """Run one trivial query on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready", and says why
        return CheckResult(name="database", ok=False, detail=f"{type(error).__name__}: {error}")
    return CheckResult(name="database", ok=True)


def readiness(*, service: str) -> HealthReport:
    """Check the database and the broker; ready only when both answer."""
    checks = [check_database(), check_broker(get_settings().resolved_broker_url)]
    failing = [check.name for check in checks if not check.ok]
    return HealthReport(service=service, ready=not failing, checks=checks, failing=failing)
