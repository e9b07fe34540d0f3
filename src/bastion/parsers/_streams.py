"""Reading a report as a stream: its first bytes, again from the start, or a copy that seeks.

Part of :mod:`bastion.parsers.readers`, which parsers import.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO, cast

from bastion.parsers.base import HEAD_BYTES
from bastion.parsers.exceptions import MalformedReport

EMPTY_REPORT = "the report is empty"
# How deep a report may nest (JSON arrays and objects, XML elements), for every reader.
# Real reports stay under 20 levels; ijson's memory grows with the square of the depth
# (256 levels cost it 160 KB, 10,000 levels 250 MB), so depth is refused before it is parsed.
MAX_DEPTH = 256
TOO_DEEP = f"the report nests deeper than {MAX_DEPTH} levels"

BOM = b"\xef\xbb\xbf"
BLANK = b" \t\r\n"
# Stop looking for a report's first character after this much blank space.
MAX_LEADINGBLANK = 1024 * 1024
# A stream that cannot seek is copied to memory up to this size, then to a file.
SPOOL_BYTES = 16 * 1024 * 1024


class _Replayed(io.RawIOBase):
    """A raw stream that gives back bytes already read from ``rest``, then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            size = min(len(view), len(self._head))
            view[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(view)) or b""
        view[: len(data)] = data
        return len(data)


def replayed(head: bytes, rest: BinaryIO) -> BinaryIO:
    """Return a stream that reads ``head``, then what is left of ``rest``."""
    return io.BufferedReader(_Replayed(head, rest))


def peek(stream: BinaryIO, size: int = HEAD_BYTES) -> tuple[bytes, BinaryIO]:
    """Return the report's first ``size`` bytes and the report, to be read from its start."""
    if stream.seekable():
        start = stream.tell()
        head = stream.read(size)
        stream.seek(start)
        return head, stream
    head = stream.read(size)
    return head, replayed(head, stream)


def first_byte(stream: BinaryIO) -> tuple[bytes, BinaryIO]:
    """Return the report's first byte that is not blank (b"" if none) and the whole report."""
    start = stream.tell() if stream.seekable() else 0
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(64 * 1024)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if chunk.removeprefix(BOM if size == len(chunk) else b"").strip(BLANK):
            break
        if size > MAX_LEADINGBLANK:
            raise MalformedReport("the report starts with more than 1 MiB of blank space")
    head = b"".join(chunks)
    first = head.removeprefix(BOM).lstrip(BLANK)[:1]
    if stream.seekable():
        stream.seek(start)
        return first, stream
    return first, replayed(head, stream)


@contextmanager
def seekable(stream: BinaryIO) -> Iterator[BinaryIO]:
    """Give the report as a stream that can seek: itself, or a temporary copy of it."""
    if stream.seekable():
        yield stream
        return
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        shutil.copyfileobj(stream, spool)
        spool.seek(0)
        yield cast(BinaryIO, spool)


@contextmanager
def rewound(stream: BinaryIO, start: int) -> Iterator[BinaryIO]:
    """Give the stream to be read again from ``start``, and put it back where it was."""
    position = stream.tell()
    stream.seek(start)
    try:
        yield stream
    finally:
        stream.seek(position)


def head_text(head: bytes) -> str:
    """Decode a report's head for detection, tolerating a cut multi-byte character."""
    return head.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
