"""Reading one member of a zip report (a Fortify FPR) safely, as a stream.

Part of the parsers' private helpers, beside ``_json`` and ``_xml``. A report that
is a zip archive is untrusted like any other: nothing is ever extracted to disk, so
a member's name only has to be matched, yet a name that climbs out of the archive
(``../x``, ``/etc/x``, ``C:\\x``) marks a hostile or broken archive and refuses it.
The archive's central directory is checked before any member is read: at most
MAX_MEMBERS members, no encrypted member, none declaring more than
MAX_MEMBER_BYTES, none expanding more than MAX_RATIO times (a zip bomb). The member
is decompressed as it is read, never whole, and a member that yields more bytes
than it declared is refused mid-read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO, cast

from bastion.parsers._streams import seekable
from bastion.parsers.exceptions import MalformedReport

ZIP_MAGIC = b"PK\x03\x04"
# A Fortify FPR holds some hundreds of members (one per source file, twice).
MAX_MEMBERS = 100_000
# The largest member read: an audit.fvdl of several hundred thousand issues.
MAX_MEMBER_BYTES = 4 * 1024 * 1024 * 1024
# XML compresses some 20 times; 200 leaves room for repetitive reports, not for bombs.
MAX_RATIO = 200
# Below this size a member's ratio is not judged: tiny members compress oddly.
RATIO_FLOOR_BYTES = 1024 * 1024
_LOCAL_HEADER_SIZE = 30


def is_zip(head: bytes) -> bool:
    """Return whether a report's head starts a zip archive."""
    return head.startswith(ZIP_MAGIC)


def head_member_names(head: bytes) -> list[str]:
    """Return the member names of the local headers found in a zip archive's head.

    For detection only: the central directory sits at the archive's end, beyond the
    head, so the head shows the first members' names, from their local headers.
    """
    names: list[str] = []
    position = head.find(ZIP_MAGIC)
    while 0 <= position and position + _LOCAL_HEADER_SIZE <= len(head) and len(names) < 64:
        name_length = int.from_bytes(head[position + 26 : position + 28], "little")
        extra_length = int.from_bytes(head[position + 28 : position + 30], "little")
        start = position + _LOCAL_HEADER_SIZE
        raw = head[start : start + name_length]
        if len(raw) < name_length:
            break
        names.append(raw.decode("utf-8", "replace"))
        position = head.find(ZIP_MAGIC, start + name_length + extra_length)
    return names


def is_safe_name(name: str) -> bool:
    """Return whether a member name stays inside the archive."""
    if not name or "\x00" in name or "\\" in name:
        return False
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return False
    return ".." not in name.split("/")


class _Bounded(io.RawIOBase):
    """A member's bytes, refused once they pass what the member declared."""

    def __init__(self, member: BinaryIO, name: str, limit: int) -> None:
        super().__init__()
        self._member = member
        self._name = name
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: object) -> int:
        view = memoryview(cast(bytearray, buffer)).cast("B")
        try:
            data = self._member.read(len(view))
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            raise MalformedReport(f"the archive member {self._name!r} is damaged: {error}") from error
        self._left -= len(data)
        if self._left < 0:
            raise MalformedReport(f"the archive member {self._name!r} is larger than it declares")
        view[: len(data)] = data
        return len(data)


@contextmanager
def open_member(stream: BinaryIO, wanted: Callable[[str], bool], *, label: str) -> Iterator[BinaryIO]:
    """Give the first member whose name ``wanted`` accepts, decompressed as it is read.

    ``label`` names the member in the error raised when the archive has none.
    The archive is checked as a whole first (see the module docstring).
    """
    with seekable(stream) as source:
        try:
            archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
            raise MalformedReport(f"not a readable zip archive: {error}", position="top level") from error
        with archive:
            member = _checked_member(archive, wanted, label)
            try:
                raw = archive.open(member)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError) as error:
                raise MalformedReport(
                    f"the archive member {member.filename!r} cannot be read: {error}"
                ) from error
            with raw:
                yield io.BufferedReader(_Bounded(cast(BinaryIO, raw), member.filename, member.file_size))


def _checked_member(archive: zipfile.ZipFile, wanted: Callable[[str], bool], label: str) -> zipfile.ZipInfo:
    """Check the whole archive's directory and return the wanted member's entry."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise MalformedReport(f"the archive has {len(members):,} members, more than {MAX_MEMBERS:,}")
    found: zipfile.ZipInfo | None = None
    for member in members:
        if not is_safe_name(member.filename):
            raise MalformedReport(f"the archive has a member named outside it: {member.filename!r}")
        if member.flag_bits & 0x1:
            raise MalformedReport(f"the archive member {member.filename!r} is encrypted")
        if member.file_size > MAX_MEMBER_BYTES:
            raise MalformedReport(
                f"the archive member {member.filename!r} declares {member.file_size:,} bytes, "
                f"more than {MAX_MEMBER_BYTES:,}"
            )
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise MalformedReport(
                f"the archive member {member.filename!r} expands more than {MAX_RATIO} times: "
                "refused as a zip bomb"
            )
        if found is None and not member.is_dir() and wanted(member.filename):
            found = member
    if found is None:
        raise MalformedReport(
            f"the archive has no {label}; it may be another tool's archive", position="top level"
        )
    return found
