"""Celery wiring for workers and beat: Django set up, tasks discovered from the core apps.

Run with ``celery -A bastion.core.celery worker`` (``bastion up`` does this).
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.core.settings")
django.setup()

from celery.schedules import crontab  # noqa: E402
from django.conf import settings  # noqa: E402 - needs django.setup() first

from bastion.bus.app import celery_app  # noqa: E402

celery_app.autodiscover_tasks(lambda: settings.INSTALLED_APPS)
celery_app.conf.beat_schedule = {
    "clear-expired-sessions": {
        "task": "bastion.operations.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    "expire-risk-acceptances": {
        "task": "bastion.findings.expire_risk_acceptances",
        "schedule": crontab(minute=5),
    },
}

app = celery_app
