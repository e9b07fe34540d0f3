"""The Celery application a worker runs: the core's tasks and the scanner's (scans and their engines).

Run with ``celery -A bastion.scanner.worker worker`` (``bastion up`` and ``bastion worker`` do).
The core may not import the scanner, so its Celery wiring cannot load the scan task; this
module, one layer up, loads both.
"""

from bastion.core.celery import app
from bastion.scanner.scans import tasks as scan_tasks

__all__ = ["app", "scan_tasks"]
