"""Operational tasks, run as the worker runs them."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from bastion.core.celery import celery_app
from bastion.core.operations.tasks import clear_expired_sessions, ping


def test_ping_echoes_the_nonce(db: None) -> None:
    answer = ping("abc123")

    assert answer["nonce"] == "abc123"
    assert isinstance(answer["pid"], int)


def test_clear_expired_sessions_keeps_live_ones(db: None) -> None:
    # given
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="x", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="new", session_data="x", expire_date=now + timedelta(days=1))
    # when
    clear_expired_sessions()
    # then
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]


def test_beat_schedules_session_cleanup_and_worker_knows_every_task() -> None:
    celery_app.loader.import_default_modules()

    assert celery_app.conf.beat_schedule["clear-expired-sessions"]["task"] in celery_app.tasks
    assert {"bastion.operations.ping", "bastion.operations.clear_expired_sessions"} <= set(celery_app.tasks)
