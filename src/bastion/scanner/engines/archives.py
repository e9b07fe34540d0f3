"""Safe unpacking of an uploaded archive (zip, tar, tar.gz, tar.bz2, tar.xz) into a fresh directory.

Every member is checked before a byte of it is written: no absolute path, no ``..``, no device,
FIFO or socket; a symbolic or hard link is never created (one that points outside the directory
refuses the archive, one that stays inside is skipped and listed). Sizes are counted while
streaming, never taken from the headers: a member, the total and the number of files have limits,
and so has the ratio of bytes written to compressed bytes read (a zip or tar bomb). A refused
archive leaves nothing on disk: the target directory is removed.
"""

from __future__ import annotations

import lzma
import os
import posixpath
import shutil
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO

_CHUNK = 64 * 1024


class ArchiveRefused(Exception):  # noqa: N818 (a refusal, named as the domain names it)
    """The archive is unsafe, malformed or past a limit; nothing of it was kept."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """What an archive may hold."""

    max_total_bytes: int = 512 * 1024 * 1024
    max_file_bytes: int = 64 * 1024 * 1024
    # Members of any kind: files, directories and links.
    max_files: int = 50_000
    # Bytes written per compressed byte read; source code compresses 3-10 times, a bomb thousands.
    max_ratio: float = 100.0
    # Below this many bytes written, the ratio is not judged: tiny archives have large headers.
    ratio_grace_bytes: int = 1024 * 1024
    max_path_length: int = 1024
    max_path_depth: int = 64


DEFAULT_ARCHIVE_LIMITS = ArchiveLimits()


@dataclass(frozen=True, slots=True)
class UnpackedArchive:
    """Where the archive went, what was written, and the links that were skipped."""

    directory: Path
    file_count: int
    total_bytes: int
    skipped_links: tuple[str, ...] = field(default=())


def unpack_archive(
    archive: Path, destination: Path, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS
) -> UnpackedArchive:
    """Unpack the archive into ``destination``, which must not exist yet; remove it again on refusal."""
    try:
        destination.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        raise ArchiveRefused(f"the destination {destination} already exists") from None
    unpacker = _Unpacker(destination.resolve(), archive, limits)
    try:
        # By the first bytes, not zipfile.is_zipfile: that looks at the end, where a tar may hold a zip.
        with archive.open("rb") as stream:
            is_zip = stream.read(4) in (b"PK\x03\x04", b"PK\x05\x06")
        if is_zip:
            unpacker.unpack_zip()
        else:
            unpacker.unpack_tar()
    except ArchiveRefused:
        shutil.rmtree(destination, ignore_errors=True)
        raise
    except (
        tarfile.TarError,
        zipfile.BadZipFile,
        zlib.error,
        lzma.LZMAError,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as error:
        shutil.rmtree(destination, ignore_errors=True)
        raise ArchiveRefused(f"the archive cannot be read ({type(error).__name__}: {error})") from error
    except BaseException:
        shutil.rmtree(destination, ignore_errors=True)
        raise
    return UnpackedArchive(
        destination, unpacker.file_count, unpacker.total_bytes, tuple(unpacker.skipped_links)
    )


class _CountingReader:
    """A read-only stream that counts the compressed bytes the decompressor asked for."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.count += len(data)
        return data


class _Unpacker:
    def __init__(self, destination: Path, archive: Path, limits: ArchiveLimits) -> None:
        self.destination = destination
        self.archive = archive
        self.limits = limits
        self.file_count = 0
        self.member_count = 0
        self.total_bytes = 0
        self.skipped_links: list[str] = []
        self.written: set[str] = set()

    def unpack_zip(self) -> None:
        compressed_total = max(self.archive.stat().st_size, 1)
        with zipfile.ZipFile(self.archive) as archive:
            for info in archive.infolist():
                name = self._safe_name(info.filename)
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    with archive.open(info) as stream:
                        target = stream.read(self.limits.max_path_length + 1).decode("utf-8", "replace")
                    self._link(name, target, is_hard=False)
                    continue
                # Zips made off Unix carry no file type: only a type that is there is judged.
                if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
                    raise ArchiveRefused(f"{info.filename!r} is a device, FIFO or socket")
                if info.is_dir():
                    self._directory(name)
                    continue
                if info.flag_bits & 0x1:
                    raise ArchiveRefused(f"{info.filename!r} is encrypted")
                with archive.open(info) as stream:
                    self._file(name, _chunks(stream), lambda: compressed_total)

    def unpack_tar(self) -> None:
        with self.archive.open("rb") as raw:
            counting = _CountingReader(raw)
            # Stream mode: members are read in order, once, and decompression is counted as it happens.
            with tarfile.open(fileobj=counting, mode="r|*") as archive:  # type: ignore[call-overload]
                for member in archive:
                    self._tar_member(archive, member, counting)

    def _tar_member(
        self, archive: tarfile.TarFile, member: tarfile.TarInfo, counting: _CountingReader
    ) -> None:
        name = self._safe_name(member.name)
        if member.issym() or member.islnk():
            self._link(name, member.linkname, is_hard=member.islnk())
        elif member.isdir():
            self._directory(name)
        elif member.isreg():
            stream = archive.extractfile(member)
            if stream is None:
                raise ArchiveRefused(f"{member.name!r} cannot be read")
            with stream:
                self._file(name, _chunks(stream), lambda: max(counting.count, 1))
        else:
            raise ArchiveRefused(f"{member.name!r} is a device, FIFO or other special file")

    def _safe_name(self, raw: str) -> str:
        # Every member counts, directories and links too: a million empty entries is also a bomb.
        self.member_count += 1
        if self.member_count > self.limits.max_files:
            raise ArchiveRefused(f"the archive holds more than {self.limits.max_files} members")
        if "\x00" in raw:
            raise ArchiveRefused(f"{raw!r} has a NUL byte in its name")
        if len(raw) > self.limits.max_path_length:
            raise ArchiveRefused(f"a member's name is longer than {self.limits.max_path_length} characters")
        name = raw.replace("\\", "/")
        if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
            raise ArchiveRefused(f"{raw!r} is an absolute path")
        parts = [part for part in name.split("/") if part not in ("", ".")]
        if ".." in parts:
            raise ArchiveRefused(f"{raw!r} climbs out of the archive with '..'")
        if len(parts) > self.limits.max_path_depth:
            raise ArchiveRefused(f"{raw!r} nests deeper than {self.limits.max_path_depth} directories")
        return "/".join(parts)

    def _link(self, name: str, target: str, *, is_hard: bool) -> None:
        kind = "hard link" if is_hard else "symbolic link"
        if not target or "\x00" in target:
            raise ArchiveRefused(f"{name!r} is a {kind} with no valid target")
        target = target.replace("\\", "/")
        # A hard link's target is a member name; a symbolic link's is relative to the link's directory.
        base = "" if is_hard else posixpath.dirname(name)
        if target.startswith("/") or (len(target) > 1 and target[1] == ":"):
            raise ArchiveRefused(f"{name!r} is a {kind} to the absolute path {target!r}")
        resolved = posixpath.normpath(posixpath.join(base, target))
        if resolved == ".." or resolved.startswith("../"):
            raise ArchiveRefused(f"{name!r} is a {kind} pointing outside the archive ({target!r})")
        self.skipped_links.append(name)

    def _directory(self, name: str) -> None:
        if name:
            self._path_for(name).mkdir(parents=True, exist_ok=True, mode=0o700)

    def _file(self, name: str, chunks: Iterator[bytes], compressed_so_far: Callable[[], int]) -> None:
        if not name:
            return
        self.file_count += 1
        path = self._path_for(name)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if name in self.written:
            raise ArchiveRefused(f"{name!r} appears twice in the archive")
        self.written.add(name)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        size = 0
        with os.fdopen(os.open(path, flags, 0o600), "wb") as output:
            for chunk in chunks:
                size += len(chunk)
                self.total_bytes += len(chunk)
                self._check_sizes(name, size, compressed_so_far())
                output.write(chunk)

    def _check_sizes(self, name: str, size: int, compressed: int) -> None:
        if size > self.limits.max_file_bytes:
            raise ArchiveRefused(f"{name!r} is larger than {self.limits.max_file_bytes} bytes")
        if self.total_bytes > self.limits.max_total_bytes:
            raise ArchiveRefused(f"the archive unpacks to more than {self.limits.max_total_bytes} bytes")
        if (
            self.total_bytes > self.limits.ratio_grace_bytes
            and self.total_bytes / compressed > self.limits.max_ratio
        ):
            raise ArchiveRefused(
                f"the archive expands more than {self.limits.max_ratio:g} times its compressed size (a bomb)"
            )

    def _path_for(self, name: str) -> Path:
        path = self.destination.joinpath(*name.split("/"))
        # Belt and braces: no link is ever created, but the check costs nothing.
        if not path.resolve().is_relative_to(self.destination):
            raise ArchiveRefused(f"{name!r} resolves outside the destination")
        return path


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(_CHUNK):
        yield chunk
