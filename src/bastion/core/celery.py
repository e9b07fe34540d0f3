"""Celery wiring for workers and beat: Django set up, tasks discovered from the core apps.

Run with ``celery -A bastion.core.celery worker`` (``bastion up`` does this).
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.core.settings")
django.setup()

from django.conf import settings  # noqa: E402 - needs django.setup() first

from bastion.bus.app import celery_app  # noqa: E402

celery_app.autodiscover_tasks(lambda: settings.INSTALLED_APPS)

app = celery_app
