"""A report on its way in: spooled to a file before the intake stores it.

Whoever receives a report (the scanner streams a request body, the agent writes its
analysis as SARIF) spools it under :func:`spool_dir` and hands the intake an
:class:`Upload`; the intake stores it and deletes the spool file. Files a process left
behind when it died are removed by :func:`remove_stale` (the scanner does at start-up).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bastion.config import get_settings

# A spool file is written to as its upload arrives and deleted when it ends; one untouched
# for an hour was left by a process that died (several processes may share the directory).
STALE_SPOOL_SECONDS = 3600


@dataclass(frozen=True)
class Upload:
    """A received report on disk."""

    path: Path
    size: int
    sha256: str
    file_name: str

    @classmethod
    def spool(cls, content: bytes, *, file_name: str, prefix: str = "upload-") -> Upload:
        """Write a report held in memory to a spool file."""
        directory = spool_dir()
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(prefix=prefix, dir=directory, delete=False) as handle:
            handle.write(content)
        return cls(
            path=Path(handle.name),
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            file_name=file_name,
        )

    def discard(self) -> None:
        """Delete the spooled report."""
        self.path.unlink(missing_ok=True)


def spool_dir() -> Path:
    """Return where reports wait before they are stored (``$BASTION_VAR_DIR/uploads``)."""
    return get_settings().resolved_var_dir / "uploads"


def remove_stale(directory: Path, *, older_than: float = STALE_SPOOL_SECONDS) -> int:
    """Delete the spool files nobody has written for ``older_than`` seconds; return how many."""
    cutoff = time.time() - older_than
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return 0
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)
                removed += 1
        except FileNotFoundError:  # another process cleaned it first
            continue
    return removed
