"""Read OSV records from an export: a per-ecosystem ``all.zip`` or a directory of JSON files.

A zip is read member by member from its central directory, never extracted to disk; it is refused
whole, before anything is read, when a member's name is unsafe or the counts, sizes or compression
ratios exceed the limits (a zip bomb declares what it will expand to, and reading stops there).
"""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 500_000
MAX_MEMBER_BYTES = 8 * 1024 * 1024  # the largest OSV records (kernel CVEs) are a few hundred KiB
MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024
MAX_RATIO = 200  # JSON compresses about 10:1; a bomb, thousands to one
_RATIO_FLOOR = 64 * 1024  # tiny members may compress oddly: the ratio applies above this size


class UnsafeArchive(ValueError):
    """An export refused whole: unsafe member names, too many or too large members, a bomb."""


@dataclass(frozen=True)
class Entry:
    """One JSON document of the export: where it came from (for messages) and its bytes."""

    origin: str
    content: bytes | None
    problem: str = ""


def read_export(path: Path) -> Iterator[Entry]:
    """Yield the JSON documents of an export, in a stable order."""
    if path.is_dir():
        yield from _read_directory(path)
    elif zipfile.is_zipfile(path):
        yield from _read_zip(path)
    elif path.is_file() and path.suffix == ".json":
        yield _read_file(path, path.name)
    else:
        raise UnsafeArchive(f"{path}: not a directory, a zip or a JSON file")


def _read_file(path: Path, origin: str) -> Entry:
    with path.open("rb") as stream:
        content = stream.read(MAX_MEMBER_BYTES + 1)
    if len(content) > MAX_MEMBER_BYTES:
        return Entry(origin, None, f"larger than {MAX_MEMBER_BYTES} bytes")
    return Entry(origin, content)


def _read_directory(root: Path) -> Iterator[Entry]:
    count = 0
    for path in sorted(root.rglob("*.json")):
        # A link could lead out of the export (or to a device): only regular files are read.
        if path.is_symlink() or not path.is_file():
            continue
        count += 1
        if count > MAX_MEMBERS:
            raise UnsafeArchive(f"{root}: more than {MAX_MEMBERS} files")
        yield _read_file(path, str(path.relative_to(root)))


def _check_member(info: zipfile.ZipInfo) -> None:
    name = info.filename
    posix = PurePosixPath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or posix.is_absolute() or (len(name) > 1 and name[1] == ":"):
        raise UnsafeArchive(f"member {name!r}: an absolute path")
    if ".." in posix.parts:
        raise UnsafeArchive(f"member {name!r}: a path that climbs out with '..'")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UnsafeArchive(f"member {name!r}: a symbolic link")
    if info.file_size > MAX_MEMBER_BYTES:
        raise UnsafeArchive(f"member {name!r}: {info.file_size} bytes, over {MAX_MEMBER_BYTES}")
    if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise UnsafeArchive(
            f"member {name!r}: expands {info.file_size // max(info.compress_size, 1)} times, over {MAX_RATIO}"
        )


def _read_zip(path: Path) -> Iterator[Entry]:
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UnsafeArchive(f"{path.name}: {len(members)} members, over {MAX_MEMBERS}")
        total = 0
        for info in members:
            _check_member(info)
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise UnsafeArchive(f"{path.name}: expands to {total} bytes, over {MAX_TOTAL_BYTES}")
        for info in members:
            if info.is_dir() or not info.filename.endswith(".json"):
                continue
            origin = f"{path.name}:{info.filename}"
            try:
                with archive.open(info) as stream:
                    # Bounded twice: the declared size was checked, and the read stops past the limit.
                    content = stream.read(MAX_MEMBER_BYTES + 1)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as error:
                yield Entry(origin, None, f"unreadable: {error}")
                continue
            if len(content) > MAX_MEMBER_BYTES:
                yield Entry(origin, None, f"larger than {MAX_MEMBER_BYTES} bytes")
                continue
            yield Entry(origin, content)
