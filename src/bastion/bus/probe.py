"""Readiness probe for the broker."""

from __future__ import annotations

from kombu import Connection

from bastion.contracts.health import CheckResult


def check_broker(broker_url: str, *, timeout: int = 2) -> CheckResult:
    """Open and close one connection to the broker; report why it failed, never the URL's secret."""
    try:
        with Connection(broker_url, connect_timeout=timeout, transport_options={}) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
    except Exception as error:  # noqa: BLE001 - any failure means "not ready", and says why
        return CheckResult(name="broker", ok=False, detail=f"{type(error).__name__}: {error}")
    return CheckResult(name="broker", ok=True)
