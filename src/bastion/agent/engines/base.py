"""What every engine shares: the workspace it scans and the shape of its answer."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bastion.contracts.analysis import Language
from bastion.sandbox import sandbox_identity

# The first suffix is the default; the others are kept when the caller's file name has them.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "python": (".py",),
    "javascript": (".js", ".jsx", ".mjs", ".cjs"),
    "typescript": (".ts", ".tsx"),
    "java": (".java",),
    "go": (".go",),
}
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class Workspace:
    """A temporary directory for one analysis: ``code/`` holds the file, ``home/`` is the engines'.

    An engine's working directory (and ``HOME``) is ``home/``; the submitted file is passed by
    its absolute path. ``code/`` is never a working directory and never on any search path:
    a file named like a module an engine imports (``json.py``) is only ever read as data.
    """

    directory: Path
    file_name: str
    language: Language

    @property
    def code(self) -> Path:
        """Return the directory holding the analysed file, and nothing else."""
        return self.directory / "code"

    @property
    def home(self) -> Path:
        """Return the engines' working and home directory (writable by them)."""
        return self.directory / "home"

    @property
    def path(self) -> Path:
        """Return the analysed file's path."""
        return self.code / self.file_name


def file_name_for(language: Language, filename: str | None) -> str:
    """Name the file so that engines recognise its language, keeping the caller's name when it fits."""
    extensions = EXTENSIONS[language]
    if filename:
        cleaned = SAFE_NAME.sub("_", filename)[:100].lstrip(".") or "snippet"
        return cleaned if cleaned.endswith(extensions) else cleaned + extensions[0]
    return "snippet" + extensions[0]


@contextmanager
def workspace(code: str, *, language: Language, filename: str | None = None) -> Iterator[Workspace]:
    """Write the code into a fresh workspace, readable by the engines' user only; remove it afterwards.

    When the service runs as root the engines run as ``nobody`` (see ``sandbox``): the file is
    then readable through ``nobody``'s group and ``home/`` is ``nobody``'s; no other user reads
    the code.
    """
    with tempfile.TemporaryDirectory(prefix="bastion-analyze-") as directory:
        created = Workspace(Path(directory), file_name_for(language, filename), language)
        prepare(created, code.encode("utf-8"))
        yield created


def prepare(workspace: Workspace, code: bytes) -> None:
    """Create ``code/`` with the file and ``home/`` in the workspace, owned for the engines' user."""
    workspace.code.mkdir(mode=0o700)
    workspace.home.mkdir(mode=0o700)
    write_private(workspace.path, code)
    if os.geteuid() == 0:
        uid, gid = sandbox_identity()
        os.chown(workspace.home, uid, gid)
        workspace.directory.chmod(0o711)  # entered, never listed


def write_private(path: Path, data: bytes) -> None:
    """Write a new file (and make its directory enterable) readable by the engines' user only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    if os.geteuid() == 0:
        _, gid = sandbox_identity()
        for entry, mode in ((path, 0o640), (path.parent, 0o750)):
            os.chown(entry, 0, gid)
            entry.chmod(mode)
