"""A scan's workspace: a private temporary directory the engines' user owns, removed afterwards.

Layout: ``home/`` is the engines' working and home directory; the repository is fetched into
``home/source`` and engines write their reports into ``home/out``. When the worker runs as
root the engines run as ``nobody`` (see ``bastion.sandbox``): ``home/`` is then ``nobody``'s,
and the workspace itself can be entered but not listed by others.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bastion.sandbox import sandbox_identity


@dataclass(frozen=True)
class ScanWorkspace:
    """The directories of one scan."""

    directory: Path

    @property
    def home(self) -> Path:
        """The engines' working and home directory."""
        return self.directory / "home"

    @property
    def source(self) -> Path:
        """Where a repository scan's tree is (fetched, unpacked or copied)."""
        return self.home / "source"

    @property
    def out(self) -> Path:
        """Where engines write their reports."""
        return self.home / "out"


@contextmanager
def scan_workspace() -> Iterator[ScanWorkspace]:
    """Create a workspace for one scan; remove it, whatever the scan left in it, when done."""
    directory = Path(tempfile.mkdtemp(prefix="bastion-scan-"))
    try:
        workspace = ScanWorkspace(directory)
        workspace.home.mkdir(mode=0o700)
        workspace.out.mkdir(mode=0o700)
        if os.geteuid() == 0:
            uid, gid = sandbox_identity()
            for path in (workspace.home, workspace.out):
                os.chown(path, uid, gid)
            directory.chmod(0o711)  # entered, never listed
        yield workspace
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def give_to_engines(path: Path) -> None:
    """Make a tree the worker wrote (an unpacked archive) the engines' user's, as if it had written it."""
    if os.geteuid() != 0:
        return
    uid, gid = sandbox_identity()
    for root, directories, files in os.walk(path):
        os.chown(root, uid, gid, follow_symlinks=False)
        for name in (*directories, *files):
            os.chown(os.path.join(root, name), uid, gid, follow_symlinks=False)
