"""How records become findings that deduplicate: fingerprints, groups of repeats, numbered places.

A finding's fingerprint is what the commit deduplicates on across imports; a tool
that writes one record per place a problem was found has its records gathered into
one finding per group (:class:`FindingGroups`, the convention docs/formats/README.md
describes); a static analyser that flags the same code at several lines numbers
them apart (:class:`RepeatCounter`).
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson

from bastion.contracts.finding import MAX_TEXT, FindingLocation, NormalizedFinding, Severity
from bastion.parsers.text import clip

__all__ = ["INSTANCE_LIMIT", "IN_MEMORY_BYTES", "FindingGroups", "GroupStore", "RepeatCounter", "fingerprint"]

GroupT = TypeVar("GroupT")

# The most instances one grouped finding lists; later ones are only counted.
INSTANCE_LIMIT = 1000


def fingerprint(*parts: object) -> str:
    """Hash identifying fields into a stable deduplication key (None and "" are equal)."""
    text = "\x1f".join("" if part is None else str(part).strip() for part in parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class _Group:
    first: NormalizedFinding
    instances: dict[str, None]
    advisory_ids: dict[str, None]
    cwe_ids: dict[int, None]
    references: dict[str, None]
    unlisted: int = 0
    size: int = 0


# About how many bytes the groups held as objects may take; later groups wait on disk.
IN_MEMORY_BYTES = 16 * 1024 * 1024
_INSTANCE, _ADVISORY, _CWE, _REFERENCE = range(4)
_SCHEMA = """
CREATE TABLE groups (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, first_at INTEGER NOT NULL, first_size INTEGER NOT NULL,
    listed INTEGER NOT NULL, size INTEGER NOT NULL, unlisted INTEGER NOT NULL, refs INTEGER NOT NULL
);
CREATE TABLE members (
    seq INTEGER PRIMARY KEY, group_id INTEGER NOT NULL, kind INTEGER NOT NULL, value NOT NULL,
    UNIQUE (group_id, kind, value)
);
"""


class FindingGroups:
    """Gather the records a tool repeats into one finding per group, in first-seen order.

    Each record comes as a finding and a one-line label of where it is (host and
    port, URL, commit...). A group's finding is its first record's, located at that
    first place, with the advisory ids, CWEs and references of every record; the
    other places are listed in ``evidence`` after the first's own evidence (up to
    INSTANCE_LIMIT, and what fits in the text), and ``instances:N`` counts the
    distinct places (once the list is full, every further record counts). The
    findings come out when the report has been read.

    Memory stays level however many groups a report has: the first groups are kept
    as objects, until they take about IN_MEMORY_BYTES; later
    ones wait on disk: their first findings, as JSON,
    in a temporary file, and what is merged into them in a private temporary SQLite
    database with a bounded page cache. Both files are unlinked as they are opened
    (``tempfile.TemporaryFile``, ``sqlite3.connect("")``), so nothing is left on disk
    even if the process dies.
    """

    def __init__(self) -> None:
        self._groups: dict[Hashable, _Group] = {}
        self._spilled: _SpilledGroups | None = None
        self._held = 0  # about how many bytes the groups held as objects take

    def add(self, key: Hashable, finding: NormalizedFinding, instance: str) -> None:
        """Add a record to the group of ``key``."""
        group = self._groups.get(key)
        if group is None:
            if self._spilled is not None or self._held > IN_MEMORY_BYTES:
                if self._spilled is None:
                    self._spilled = _SpilledGroups()
                self._spilled.add(repr(key), finding, instance)
                return
            self._held += _footprint(finding, instance)
            self._groups[key] = _Group(
                first=finding,
                instances={instance: None},
                advisory_ids=dict.fromkeys(finding.advisory_ids),
                cwe_ids=dict.fromkeys(finding.cwe_ids),
                references=dict.fromkeys(finding.references),
                size=len(instance),
            )
            return
        group.advisory_ids.update(dict.fromkeys(finding.advisory_ids))
        group.cwe_ids.update(dict.fromkeys(finding.cwe_ids))
        if len(group.references) < INSTANCE_LIMIT:
            group.references.update(dict.fromkeys(finding.references))
        if instance in group.instances:
            return
        if len(group.instances) >= INSTANCE_LIMIT or group.size > MAX_TEXT:
            group.unlisted += 1
            return
        group.instances[instance] = None
        group.size += len(instance) + 3

    def findings(self) -> Iterator[NormalizedFinding]:
        """Yield one finding per group, then forget the groups."""
        groups, self._groups = self._groups, {}
        spilled, self._spilled = self._spilled, None
        for group in groups.values():
            yield _grouped(group)
        if spilled is not None:
            try:
                yield from map(_grouped, spilled.groups())
            finally:
                spilled.close()


def _footprint(finding: NormalizedFinding, instance: str) -> int:
    """Return about how many bytes a group held as objects takes: its strings, and some 3 KB of objects."""
    size = _GROUP_OBJECTS + len(instance)
    for value in finding.__dict__.values():
        if isinstance(value, str):
            size += len(value)
        elif isinstance(value, tuple):
            size += sum(len(item) + 60 for item in value if isinstance(item, str))
    return size


_GROUP_OBJECTS = 3000  # the finding, its location, the group's four dicts (measured: 2.7 KB)


def _grouped(group: _Group) -> NormalizedFinding:
    """Return a group's finding: its first record's, with every record's ids and places."""
    count = len(group.instances) + group.unlisted
    others = [f"- {instance}" for instance in list(group.instances)[1:]]
    if group.unlisted:
        others.append(f"- … and {group.unlisted} more")
    evidence = group.first.evidence  # clipped already: only a listing needs clipping again
    if others:
        listing = f"Other instances ({count - 1}):\n" + "\n".join(others)
        evidence = clip(f"{evidence}\n\n{listing}" if evidence else listing)
    return group.first.model_copy(
        update={
            "advisory_ids": tuple(group.advisory_ids),
            "cwe_ids": tuple(group.cwe_ids),
            "references": tuple(group.references),
            "evidence": evidence,
            "tags": (*group.first.tags, f"instances:{count}"),
        }
    )


class _SpilledGroups:
    """Groups in a private temporary SQLite database, merged as :class:`FindingGroups` merges.

    A group is a row (where its first finding is in the file of findings, its
    counts); its places, advisory ids, CWEs and references are member rows, unique
    per group and numbered in the order they came. The findings are written as plain
    JSON data and rebuilt without validating them again (they were valid).
    """

    def __init__(self) -> None:
        self._firsts = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._written = 0
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -4096;"
            "PRAGMA temp_store = FILE;" + _SCHEMA
        )
        self._db.execute("BEGIN")

    def add(self, key: str, finding: NormalizedFinding, instance: str) -> None:
        db = self._db
        row = db.execute("SELECT id, listed, size, refs FROM groups WHERE key = ?", (key,)).fetchone()
        if row is None:
            data = orjson.dumps(finding.__dict__, default=_fields)
            self._firsts.write(data)
            group_id = db.execute(
                "INSERT INTO groups (key, first_at, first_size, listed, size, unlisted, refs)"
                " VALUES (?, ?, ?, 1, ?, 0, 0)",
                (key, self._written, len(data), len(instance)),
            ).lastrowid
            self._written += len(data)
            self._members(group_id, [(_INSTANCE, instance)])
            self._merge(group_id, finding, 0)
            return
        group_id, listed, size, refs = row
        self._merge(group_id, finding, refs)
        if db.execute(
            "SELECT 1 FROM members WHERE group_id = ? AND kind = ? AND value = ?",
            (group_id, _INSTANCE, instance),
        ).fetchone():
            return
        if listed >= INSTANCE_LIMIT or size > MAX_TEXT:
            db.execute("UPDATE groups SET unlisted = unlisted + 1 WHERE id = ?", (group_id,))
            return
        self._members(group_id, [(_INSTANCE, instance)])
        db.execute(
            "UPDATE groups SET listed = listed + 1, size = size + ? WHERE id = ?",
            (len(instance) + 3, group_id),
        )

    def _merge(self, group_id: int | None, finding: NormalizedFinding, refs: int) -> None:
        """Add a record's advisory ids, CWEs and (while under the limit) references."""
        members: list[tuple[int, str | int]] = [(_ADVISORY, advisory) for advisory in finding.advisory_ids]
        members += [(_CWE, cwe) for cwe in finding.cwe_ids]
        self._members(group_id, members)
        if finding.references and refs < INSTANCE_LIMIT:
            added = self._members(group_id, [(_REFERENCE, reference) for reference in finding.references])
            self._db.execute("UPDATE groups SET refs = refs + ? WHERE id = ?", (added, group_id))

    def _members(self, group_id: int | None, members: Sequence[tuple[int, str | int]]) -> int:
        if not members:
            return 0
        before = self._db.total_changes
        self._db.executemany(
            "INSERT OR IGNORE INTO members (group_id, kind, value) VALUES (?, ?, ?)",
            [(group_id, kind, value) for kind, value in members],
        )
        return self._db.total_changes - before

    def groups(self) -> Iterator[_Group]:
        """Yield the groups in the order they were first seen."""
        reader = self._db.cursor()
        lookup = self._db.cursor()
        self._firsts.seek(0)
        rows = reader.execute("SELECT id, first_size, unlisted FROM groups ORDER BY id")
        for group_id, first_size, unlisted in rows:  # in the order the findings were written
            kinds: tuple[dict[Any, None], ...] = ({}, {}, {}, {})
            for kind, value in lookup.execute(
                "SELECT kind, value FROM members WHERE group_id = ? ORDER BY seq", (group_id,)
            ):
                kinds[kind][value] = None
            instances, advisory_ids, cwe_ids, references = kinds
            yield _Group(
                first=_revived(orjson.loads(self._firsts.read(first_size))),
                instances=instances,
                advisory_ids=advisory_ids,
                cwe_ids=cwe_ids,
                references=references,
                unlisted=unlisted,
            )

    def close(self) -> None:
        self._db.close()
        self._firsts.close()


_TUPLES = frozenset(
    name
    for name, field in NormalizedFinding.model_fields.items()
    if str(field.annotation).startswith("tuple")
)


def _fields(value: object) -> dict[str, Any]:
    """Serialise a finding's nested location (orjson writes the rest: strings, numbers, tuples)."""
    if isinstance(value, FindingLocation):
        return value.__dict__
    raise TypeError(f"{type(value).__name__} is not part of a finding")


def _revived(data: dict[str, Any]) -> NormalizedFinding:
    """Rebuild a finding from its fields read back from JSON, without validating them again."""
    data["severity"] = Severity(data["severity"])
    data["location"] = FindingLocation.model_construct(**data["location"])
    for name in _TUPLES:
        data[name] = tuple(data[name])
    return NormalizedFinding.model_construct(**data)


class GroupStore(Generic[GroupT]):
    """A parser's own groups (dataclasses), by key, in first-seen order, with memory level.

    For a parser whose groups are not one finding plus places (:class:`FindingGroups`):
    it reads a group with :meth:`get`, changes it, and hands it back with :meth:`put`.
    Groups are held as objects until they take about IN_MEMORY_BYTES (by ``footprint``);
    later ones wait on disk in a private temporary SQLite database (unlinked as it is
    opened), as orjson writes the dataclass (sets as lists), rebuilt by ``revive``. The
    last RECENT groups used from disk stay as objects too, written back when they leave:
    the records of one group usually come together.
    """

    RECENT = 256

    def __init__(
        self, revive: Callable[[dict[str, Any]], GroupT], footprint: Callable[[GroupT], int]
    ) -> None:
        self._revive, self._footprint = revive, footprint
        self._groups: dict[Hashable, GroupT] = {}
        self._sizes: dict[Hashable, int] = {}
        self._held = 0
        self._db: sqlite3.Connection | None = None
        self._recent: OrderedDict[Hashable, GroupT] = OrderedDict()  # of the groups on disk

    def get(self, key: Hashable) -> GroupT | None:
        """Return the group of ``key``, or None; a group on disk may come back as a new object."""
        group = self._groups.get(key)
        if group is not None or self._db is None:
            return group
        group = self._recent.get(key)
        if group is not None:
            self._recent.move_to_end(key)
            return group
        row = self._db.execute("SELECT data FROM groups WHERE key = ?", (repr(key),)).fetchone()
        if row is None:
            return None
        group = self._revive(orjson.loads(row[0]))
        self._remember(key, group)
        return group

    def put(self, key: Hashable, group: GroupT) -> None:
        """Keep a new or changed group."""
        if key in self._groups:
            size = self._footprint(group)
            self._held += size - self._sizes[key]
            self._groups[key], self._sizes[key] = group, size
            return
        if self._db is None and self._held <= IN_MEMORY_BYTES:
            size = self._footprint(group)
            self._groups[key], self._sizes[key] = group, size
            self._held += size
            return
        if self._db is None:
            self._db = sqlite3.connect("", isolation_level=None)
            self._db.executescript(
                "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -4096;"
                "CREATE TABLE groups (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, data BLOB);"
                "BEGIN;"
            )
        if key not in self._recent:
            # Its place in the order is taken now; what it holds is written when it leaves.
            self._db.execute("INSERT INTO groups (key) VALUES (?) ON CONFLICT (key) DO NOTHING", (repr(key),))
        self._remember(key, group)

    def _remember(self, key: Hashable, group: GroupT) -> None:
        self._recent[key] = group
        self._recent.move_to_end(key)
        if len(self._recent) > self.RECENT:
            self._write(*self._recent.popitem(last=False))

    def _write(self, key: Hashable, group: GroupT) -> None:
        assert self._db is not None
        self._db.execute(
            "UPDATE groups SET data = ? WHERE key = ?", (orjson.dumps(group, default=_listed), repr(key))
        )

    def values(self) -> Iterator[GroupT]:
        """Yield every group in the order first kept, then forget them."""
        groups, self._groups, self._sizes, self._held = self._groups, {}, {}, 0
        db, recent = self._db, self._recent
        yield from groups.values()
        if db is not None:
            try:
                while recent:
                    self._write(*recent.popitem(last=False))
                self._db, self._recent = None, OrderedDict()
                for (data,) in db.execute("SELECT data FROM groups ORDER BY id"):
                    yield self._revive(orjson.loads(data))
            finally:
                db.close()
        self._db, self._recent = None, OrderedDict()


def _listed(value: object) -> list[Any]:
    """Serialise a set of a group's (orjson writes the rest of a dataclass itself)."""
    if isinstance(value, set | frozenset):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not part of a group")


class RepeatCounter:
    """Number the distinct lines that share one fingerprint anchor, in report order.

    Static analysers anchor a fingerprint on the flagged code rather than the line
    (which moves); the same code flagged at several lines of one file then needs a
    number to stay apart: the first place gets 0 (keep the plain fingerprint),
    later ones 1, 2... A report that repeats one place repeats its number. Flat maps
    of short strings and ints: one small entry per finding.
    """

    def __init__(self) -> None:
        self._first: dict[str, int | None] = {}  # anchor -> the first line it was seen at
        self._later: dict[str, int] = {}  # "anchor@line" -> its number, for later lines
        self._counts: dict[str, int] = {}  # anchor -> lines numbered so far, once over one

    def number(self, anchor: str, line: int | None) -> int:
        """Return the number of this place among those sharing ``anchor``."""
        key = anchor[:32]  # 128 bits of a SHA-256 hex digest tell anchors apart
        if key not in self._first:
            self._first[key] = line
            return 0
        if self._first[key] == line:
            return 0
        place = f"{key}@{line}"
        number = self._later.get(place)
        if number is None:
            number = self._counts.get(key, 1)
            self._counts[key] = number + 1
            self._later[place] = number
        return number
