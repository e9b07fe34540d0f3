"""Scheduled work on findings."""

from __future__ import annotations

from celery import shared_task

from bastion.core.findings import services


@shared_task(name="bastion.findings.expire_risk_acceptances")
def expire_risk_acceptances() -> int:
    """Reopen findings whose risk acceptance has expired (scheduled hourly by beat)."""
    return services.expire_risk_acceptances()
