"""Issue 9, item 2, in process: a job is run by one worker process at a time, given up after
MAX_ATTEMPTS deliveries that lost their worker, and reaped when its worker is gone.

The real worker, killed for real, is in tests/test_import_worker_limits.py.
"""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from bastion.bus.queues import DEFAULT_QUEUE, IMPORT_TASK, REAP_IMPORTS_TASK
from bastion.core.celery import celery_app
from bastion.core.imports import services
from bastion.core.imports.claims import STALE_AFTER, Claim, lock_path
from bastion.core.imports.exceptions import ImportGivenUp
from bastion.core.imports.models import ImportJob
from tests.scanner.imports.conftest import Importer

HERE = socket.gethostname()
GONE = f"{HERE}:999999999"  # a process of this host that holds no lock: gone
NESTED = 200_000


def _job(caller: dict[str, Any], **fields: Any) -> ImportJob:
    job = services.create_job(actor=None, asset=caller["asset"], storage_key="none", size_bytes=1, sha256="")
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def test_item_2_deeply_nested_reports_fail_naming_the_limit(import_report: Importer) -> None:
    # when: 200,000 nested JSON arrays, then XML elements, the import's task run in process
    deep_json = import_report(b'{"results": [' + b"[" * NESTED + b"]" * NESTED + b"]}", format="bandit")
    deep_xml = import_report(b"<nmaprun>" + b"<a>" * NESTED + b"</a>" * NESTED + b"</nmaprun>", format="nmap")
    # then
    for job in (deep_json, deep_xml):
        assert (job.state, job.error, job.parsed, job.attempts) == (
            "failed", "the report nests deeper than 256 levels", 0, 1
        )  # fmt: skip


def test_item_2_start_claims_the_job_for_this_process(caller: dict[str, Any]) -> None:
    # given
    job = _job(caller)
    # when
    with Claim(str(job.pk)) as claim:
        started = services.start(job_id=str(job.pk), claim=claim)
        # then
        assert started is not None
        job.refresh_from_db()
        assert (job.state, job.attempts) == ("running", 1)
        assert job.worker.rpartition(":")[0] == HERE
        assert lock_path(job.pk).exists()


def test_item_2_a_second_delivery_leaves_a_job_that_a_live_worker_runs(caller: dict[str, Any]) -> None:
    # given: a job that a live process of this host runs (it holds the lock)
    job = _job(caller)
    with Claim(str(job.pk)) as running:
        assert services.start(job_id=str(job.pk), claim=running) is not None
        # when: another message of it is delivered (a reaped job whose message came back)
        with Claim(str(job.pk)) as duplicate:
            again = services.start(job_id=str(job.pk), claim=duplicate)
        # then: left alone
        assert again is None
        job.refresh_from_db()
        assert (job.state, job.attempts) == ("running", 1)
    # when: its worker has gone
    with Claim(str(job.pk)) as taking_over:
        taken = services.start(job_id=str(job.pk), claim=taking_over)
    # then: the delivery takes it over
    assert taken is not None
    job.refresh_from_db()
    assert job.attempts == 2


def test_item_2_start_gives_up_after_three_deliveries_that_lost_their_worker(caller: dict[str, Any]) -> None:
    # given: a job whose worker died on each of three deliveries (leaving its lock file)
    job = _job(caller, state="running", attempts=3, worker=GONE)
    lock_path(job.pk).parent.mkdir(parents=True, exist_ok=True)
    lock_path(job.pk).touch()
    # when: the message comes a fourth time
    with Claim(str(job.pk)) as claim, pytest.raises(ImportGivenUp) as given_up:
        services.start(job_id=str(job.pk), claim=claim)
    # then: failed with the reason, not run a fourth time
    assert str(given_up.value) == services.GIVEN_UP.format(attempts=3)
    job.refresh_from_db()
    assert (job.state, job.error, job.attempts) == ("failed", services.GIVEN_UP.format(attempts=3), 3)
    assert not lock_path(job.pk).exists()


def test_item_2_retries_after_a_database_error_do_not_count_as_deaths(caller: dict[str, Any]) -> None:
    # given: three runs, one of which ended in a database error that the message's retry follows
    job = _job(caller, state="running", attempts=3, worker=GONE)
    # when
    with Claim(str(job.pk)) as claim:
        started = services.start(job_id=str(job.pk), claim=claim, retries=1)
    # then
    assert started is not None
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("running", 4)


def _queued_import_messages() -> list[str]:
    """Take the import messages off the (embedded) broker's queue; return their jobs' ids."""
    found = []
    with celery_app.connection_for_read() as connection:
        while (message := connection.default_channel.basic_get(DEFAULT_QUEUE, no_ack=True)) is not None:
            if message.headers.get("task") == IMPORT_TASK:
                found.append(message.decode()[0][0])
    return found


def test_item_2_reaper_requeues_jobs_whose_worker_is_gone_and_leaves_live_ones(
    caller: dict[str, Any],
) -> None:
    # given
    now = timezone.now()
    live_here = _job(caller)
    gone_here = _job(caller, state="running", attempts=1, worker=GONE, heartbeat_at=now)
    unknown = _job(caller, state="running", attempts=1)  # left by a worker that recorded nothing
    live_elsewhere = _job(caller, state="running", attempts=1, worker="other-host:12", heartbeat_at=now)
    stale = now - STALE_AFTER - timedelta(seconds=1)
    silent_elsewhere = _job(caller, state="running", attempts=2, worker="other-host:13", heartbeat_at=stale)
    out_of_attempts = _job(caller, state="running", attempts=3, worker=GONE)
    queued = _job(caller)
    _queued_import_messages()  # what other tests left
    with Claim(str(live_here.pk)) as claim:
        assert services.start(job_id=str(live_here.pk), claim=claim) is not None
        # when
        counts = services.reap(now=now)
        # then
        states = {
            name: ImportJob.objects.values_list("state", "attempts", "worker").get(pk=job.pk)
            for name, job in [
                ("live_here", live_here), ("gone_here", gone_here), ("unknown", unknown),
                ("live_elsewhere", live_elsewhere), ("silent_elsewhere", silent_elsewhere),
                ("out_of_attempts", out_of_attempts), ("queued", queued),
            ]
        }  # fmt: skip
    assert counts == {"requeued": 3, "failed": 1}
    assert sorted(_queued_import_messages()) == sorted(
        str(job.pk) for job in (gone_here, unknown, silent_elsewhere)
    )
    assert states == {
        "live_here": ("running", 1, states["live_here"][2]),
        "gone_here": ("queued", 1, ""),
        "unknown": ("queued", 1, ""),
        "live_elsewhere": ("running", 1, "other-host:12"),
        "silent_elsewhere": ("queued", 2, ""),
        "out_of_attempts": ("failed", 3, GONE),
        "queued": ("queued", 0, ""),
    }
    assert states["live_here"][2].startswith(f"{HERE}:")
    assert ImportJob.objects.get(pk=out_of_attempts.pk).error == services.GIVEN_UP.format(attempts=3)


def test_item_2_beat_runs_the_reaper_every_minute() -> None:
    celery_app.loader.import_default_modules()
    # then: a task the worker knows, due every minute (the worker also sends it when it starts)
    entry = celery_app.conf.beat_schedule["reap-imports"]
    assert entry["task"] == REAP_IMPORTS_TASK
    assert REAP_IMPORTS_TASK in celery_app.tasks
    assert entry["schedule"].remaining_estimate(timezone.now()) <= timedelta(minutes=1)
