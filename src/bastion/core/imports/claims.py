"""Which worker process runs an import job (or a scan job), and whether it still does.

A worker claims a job when it starts it (``services.start``): the job records the
process (``host:pid``) and a heartbeat, and the process holds a lock file named
after the job, under ``$BASTION_VAR_DIR/run/imports``, for as long as it runs it.
The kernel releases that lock when the process dies, however it dies, so on the
worker's own host a claim is alive exactly while its lock is held. From another
host the heartbeat tells: a thread of the worker refreshes it every
HEARTBEAT_SECONDS on PostgreSQL; a claim not refreshed for STALE_AFTER is dead. (On
SQLite every process runs on one host, and an import's transaction holds the
database's only write lock, so there is no heartbeat there.)

Scan jobs (``core.scans``) are claimed the same way: pass their model and their folder.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from django.db import DatabaseError, connection, connections
from django.utils import timezone

from bastion.config import get_settings
from bastion.core.imports.models import ImportJob

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30
STALE_AFTER = timedelta(minutes=5)


def this_worker() -> str:
    """Name this process as a claim records it: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


IMPORTS = "imports"


def lock_path(job_id: object, folder: str = IMPORTS) -> Path:
    """Return the lock file a worker holds while it runs the job."""
    return get_settings().resolved_var_dir / "run" / folder / f"{job_id}.lock"


def forget(job_id: object, folder: str = IMPORTS) -> None:
    """Remove the lock file of a job that is finished (nobody takes its lock again)."""
    lock_path(job_id, folder).unlink(missing_ok=True)


def is_alive(job: Any, *, now: datetime, folder: str = IMPORTS) -> bool:
    """Tell whether the worker process that claimed a running job still runs it.

    ``job`` is a row with ``pk``, ``worker`` and ``heartbeat_at`` (an import or a scan).
    """
    host, _, _ = job.worker.rpartition(":")
    if not host:
        return False
    if host == socket.gethostname():
        return _is_locked(lock_path(job.pk, folder))
    return job.heartbeat_at is not None and now - job.heartbeat_at < STALE_AFTER


def _is_locked(path: Path) -> bool:
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)  # closing releases a lock taken just now
    return False


class Claim:
    """This process's hold on the job it runs: the lock file, and the heartbeat on PostgreSQL.

    Use it as a context manager around the run: leaving it lets the job go, however
    the run ended; a job that ``is_finished`` has its lock file removed as well.
    """

    def __init__(self, job_id: str, *, model: Any = ImportJob, folder: str = IMPORTS) -> None:
        self.job_id = job_id
        self.model = model
        self.folder = folder
        self.is_finished = False
        self._descriptor: int | None = None
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None

    def acquire(self) -> bool:
        """Take the job's lock; False when another process of this host holds it."""
        path = lock_path(self.job_id, self.folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return False
        self._descriptor = descriptor
        return True

    def start_heartbeat(self) -> None:
        """Refresh the job's heartbeat from a thread while the run lasts (PostgreSQL only)."""
        if connection.vendor != "postgresql" or self._heartbeat is not None:
            return
        self._heartbeat = threading.Thread(target=self._beat, name=f"heartbeat-{self.job_id}", daemon=True)
        self._heartbeat.start()

    def _beat(self) -> None:
        worker = this_worker()
        try:
            while not self._stop.wait(HEARTBEAT_SECONDS):
                try:
                    self.model.objects.filter(pk=self.job_id, worker=worker).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError as error:  # the next beat tries again; the run itself goes on
                    logger.warning("%s %s: heartbeat not recorded: %s", self.folder, self.job_id, error)
        finally:
            connections.close_all()  # this thread's own connections

    def release(self) -> None:
        """Stop the heartbeat and let the job's lock go (removing its file if the job is finished)."""
        self._stop.set()
        if self._heartbeat is not None:
            # Not for long: a beat may be waiting for the job's row, which a transaction may hold.
            self._heartbeat.join(timeout=HEARTBEAT_SECONDS)
            self._heartbeat = None
        if self._descriptor is None:
            return
        if self.is_finished:
            forget(self.job_id, self.folder)  # while holding the lock, which nobody takes again
        os.close(self._descriptor)
        self._descriptor = None

    def __enter__(self) -> Claim:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
