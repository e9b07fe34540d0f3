"""The import task is the core's: a worker finds it as it finds every core app's tasks."""

from __future__ import annotations

from typing import Any

import pytest
from celery.loaders.base import find_related_module
from django.conf import settings

from bastion.bus.queues import IMPORT_TASK
from bastion.core.celery import celery_app
from bastion.core.imports import tasks


def test_the_workers_celery_app_finds_the_import_task_among_the_core_apps() -> None:
    # given: the apps whose ``tasks`` modules the workers' Celery app discovers (core.celery)
    assert "bastion.core.imports" in settings.INSTALLED_APPS
    # when
    found = find_related_module("bastion.core.imports", "tasks")
    # then
    assert found is tasks
    assert {IMPORT_TASK, tasks.IMPORT_TASK_BEFORE_10} <= set(celery_app.tasks)
    assert celery_app.tasks[IMPORT_TASK].name == "bastion.imports.run_import"


def test_an_import_queued_under_the_old_name_is_queued_again_under_the_new(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks.run_import, "delay", lambda *arguments: queued.append(arguments))

    tasks.forward_import_queued_before_10("0f1e2d3c-0000-0000-0000-000000000000")

    assert queued == [("0f1e2d3c-0000-0000-0000-000000000000",)]
