"""Streaming JSON: one array's items, several parts of a document at once, JSON Lines.

Part of :mod:`bastion.parsers.readers`, which parsers import; its docstring
gives the convention for positions.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import operator
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any, BinaryIO, Literal, cast

import ijson
import orjson

from bastion.parsers._streams import (
    BOM,
    EMPTY_REPORT,
    MAX_DEPTH,
    TOO_DEEP,
    first_byte,
    rewound,
)
from bastion.parsers.exceptions import MalformedReport

_ABSENT = object()
_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})
_EXPECTED = {"object": ("dict",), "array": ("list",), "object or array": ("dict", "list")}
# What the depth gauge keeps of a chunk: brackets, and quotes to tell strings apart.
_ALL_BUT_BRACKETS_AND_QUOTES = bytes(byte for byte in range(256) if byte not in b'[]{}"')
# What a chunk with escapes keeps before they are taken out: brackets, quotes, backslashes and
# every character an escape can pair a backslash with, so that no pair is made or broken.
_ALL_BUT_ESCAPES = bytes(byte for byte in range(256) if byte not in b'[]{}"\\/bfnrtu')
_STEP = tuple(1 if byte in b"[{" else -1 if byte in b"]}" else 0 for byte in range(256))
_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)  # up to a string's closing quote
GAUGE_CHUNK = 256 * 1024
# What ijson reads at once for a whole array of records (its default, 64 KB, costs some 8% more).
ITEMS_BUFFER = 256 * 1024
_BLOCK = 128  # brackets the gauge checks at once


class DepthGauge:
    """Follow how deep a JSON document nests, chunk by chunk; refuse it past MAX_DEPTH.

    It counts the brackets outside strings with bytes methods, in about half the time
    ijson takes to read the document (some 4% of a parser's time for a SARIF log), and
    refuses a deep document from its first chunk. A chunk may end anywhere, inside a
    string or an escape too.
    """

    def __init__(self) -> None:
        self.depth = 0
        self._in_string = False
        self._escaped = False  # the last chunk ended inside a string, on an escaping backslash

    def feed(self, chunk: bytes) -> None:
        """Take the document's next bytes; raise MalformedReport when they nest too deep."""
        brackets = self._brackets(chunk)
        depth = self.depth
        # By blocks short enough that a usual document cannot reach the limit within one:
        # only a block that might is walked bracket by bracket.
        for start in range(0, len(brackets), _BLOCK):
            block = brackets[start : start + _BLOCK]
            opened = block.count(b"[") + block.count(b"{")
            if depth + opened > MAX_DEPTH:
                deepest = max(accumulate(map(_STEP.__getitem__, block), initial=depth))
                if deepest > MAX_DEPTH:
                    raise MalformedReport(TOO_DEEP)
            depth += 2 * opened - len(block)
        self.depth = depth

    def _brackets(self, chunk: bytes) -> bytes:
        """Return the chunk's brackets that stand outside strings, and note where it ends."""
        if not chunk:
            return b""
        if self._in_string:
            # A chunk that starts inside a string is read as if the string's opening quote
            # began it (a copy in C: cheaper than finding the string's end with a pattern).
            # The byte an escaping backslash ended the last chunk on is that escape's: dropped.
            rest = b'"' + (chunk[1:] if self._escaped else chunk)
            self._in_string = self._escaped = False
        else:
            rest = chunk
        # Backslashes stand inside strings only: once the escaped backslashes are gone (pairs
        # taken from the left, as JSON pairs them) and then the escaped quotes, each quote
        # left opens or closes a string. Two passes of bytes.replace: linear, and in C.
        # Bytes no escape involves are deleted first (one translate): the passes then run
        # over a fraction of the chunk. Without a backslash before a quote, no quote is escaped.
        if b'\\"' in rest:
            plain = rest.translate(None, _ALL_BUT_ESCAPES).replace(b"\\\\", b"").replace(b'\\"', b"")
        else:
            plain = rest
        # Two quotes side by side have nothing between them (an empty string, or one string's
        # end and the next one's start): taking them out moves no other byte into or out of a
        # string, and leaves split a few pieces rather than one for each string.
        parts = plain.translate(None, _ALL_BUT_BRACKETS_AND_QUOTES).replace(b'""', b"").split(b'"')
        if len(parts) % 2 == 0:
            self._note_open_string(rest)
        return b"".join(parts[0::2])

    def _note_open_string(self, rest: bytes) -> None:
        """Remember that the chunk, ending with ``rest``, ends inside a string."""
        self._in_string = True
        self._escaped = (len(rest) - len(rest.rstrip(b"\\"))) % 2 == 1


@contextmanager
def depth_checked(stream: BinaryIO) -> Iterator[BinaryIO]:
    """Give the report to read from where it stands, once it is known to nest no deeper than MAX_DEPTH.

    The document is read through once by a :class:`DepthGauge` before ijson parses it
    (the gauge cannot sit between ijson and the file: ijson's C code reads a Python
    stream on after a MemoryError of its own, and the Python code running meanwhile
    hides the error, leaving a broken value). A stream that cannot seek is copied to
    a temporary file as it is measured (a file, read by C code, for the same reason),
    which is removed on leaving.
    """
    gauge = DepthGauge()
    if stream.seekable():
        start = stream.tell()
        while chunk := stream.read(GAUGE_CHUNK):
            gauge.feed(chunk)
        stream.seek(start)
        yield stream
        return
    with tempfile.TemporaryFile() as copy:
        while chunk := stream.read(GAUGE_CHUNK):
            gauge.feed(chunk)
            copy.write(chunk)
        copy.seek(0)
        yield cast(BinaryIO, copy)


def check_depth(data: bytes) -> None:
    """Refuse a whole JSON document (or line) that nests deeper than MAX_DEPTH."""
    if data.count(b"[") + data.count(b"{") > MAX_DEPTH:
        DepthGauge().feed(data)


def load_json(stream: BinaryIO) -> Any:
    """Load a whole JSON document (for formats whose reports are small by nature)."""
    data = stream.read()
    if not data.strip():
        raise MalformedReport(EMPTY_REPORT)
    check_depth(data)  # orjson's own limit is 1,024 levels, and its error does not say so
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise MalformedReport(f"invalid JSON: {error.msg}", position=f"byte {error.pos}") from error


def iter_json(
    stream: BinaryIO, prefix: str, *, required: bool = False, split: bool = False, use_float: bool = True
) -> Iterator[tuple[str, Any]]:
    """Yield ``(position, value)`` for each value at an ijson prefix (``"results.item"``).

    One value is held at a time. ``required``: the array holding the items is what
    makes the document a report of its format, so a document without it is refused
    (an empty array, or null, is a report without findings). A prefix below several
    arrays goes through :class:`JsonReader`, which knows each array's index.

    ``split``, for an array under a top-level key (``"issues.item"``) in a report that
    can seek: the records are cut from the document and each built from its bytes
    (see :func:`_split_records`), several times faster for large records; orjson
    reads an integer past 64 bits as a float, where ijson would refuse it.
    ``use_float=False``: integers are read whole and numbers with a fraction as
    Decimal (by ijson, or the json module when split).
    """
    parts = _parts(prefix)
    if split and len(parts) == 2 and parts[1] == "item" and stream.seekable():
        yield from _split_records(stream, parts[0], required=required, use_float=use_float)
        return
    if parts.count("item") > 1:
        required_arrays = [".".join(parts[:-1])] if required else []
        for record in JsonReader(stream, [prefix], required=required_arrays):
            yield record.position, record.value
        return
    first, source = first_byte(stream)
    if not first:
        raise MalformedReport(EMPTY_REPORT)
    with depth_checked(source) as checked:
        yield from _iter_items(checked, first, prefix, required=required, use_float=use_float)


def _iter_items(
    source: BinaryIO, first: bytes, prefix: str, *, required: bool, use_float: bool = True
) -> Iterator[tuple[str, Any]]:
    """Do :func:`iter_json`'s work, in C, for a prefix below one array at most."""
    parts = _parts(prefix)
    start = source.tell() if source.seekable() else None
    is_array = bool(parts) and parts[-1] == "item"
    base = ".".join(parts[:-1] if is_array else parts)
    if required and is_array and not base and first != b"[":
        raise MalformedReport(f"expected an array, found {_kind_of(first)}", position="top level")
    count = 0
    try:
        for item in ijson.items(source, prefix, use_float=use_float, buf_size=ITEMS_BUFFER):
            yield (f"{base}[{count}]" if is_array else base or "top level"), item
            count += 1
    except (ijson.JSONError, ValueError) as error:
        where = f"{base}[{count}]" if is_array else base or "top level"
        raise MalformedReport(_json_error(error), position=where) from error
    except ArithmeticError as error:  # without floats, a number past Decimal's range
        where = f"{base}[{count}]" if is_array else base or "top level"
        raise MalformedReport("invalid JSON: a number cannot be read", position=where) from error
    if required and is_array and base and not count and start is not None:
        _require_array(source, start, base)


def not_a_report(key: str) -> MalformedReport:
    """Return the error for a document without the key that makes it a report of its format."""
    return MalformedReport(
        f"the report has no {key!r}; it may be another tool's report", position="top level"
    )


def read_values(stream: BinaryIO, prefixes: Iterable[str], *, start: int) -> dict[str, Any]:
    """Return the values at prefixes outside every array, read again from ``start``.

    For a document a reader above has read (and measured: see :func:`depth_checked`).
    Each is read by a pass of its own that stops where the value is: cheap for a
    value near the start, a read of the whole document for one that is missing. A
    missing (or damaged) value is left out; the stream is put back where it was.
    """
    found: dict[str, Any] = {}
    for prefix in sorted(prefixes):
        with rewound(stream, start) as again:
            try:
                value = next(ijson.items(again, prefix, use_float=True), _ABSENT)
            except (ijson.JSONError, ValueError):
                continue  # the main read meets the same damage and says where
        if value is not _ABSENT:
            found[prefix] = value
    return found


def _kind_of(first: bytes) -> str:
    """Name the type of the JSON value that starts with ``first``, as expect_* name them."""
    kinds = {b"{": "dict", b"[": "list", b'"': "str", b"t": "bool", b"f": "bool", b"n": "NoneType"}
    return kinds.get(first, "float")


def _require_array(source: BinaryIO, start: int, prefix: str, *, missing_ok: bool = False) -> None:
    """Refuse a document without an array (or null) at ``prefix``, read again from ``start``."""
    with rewound(source, start) as again:
        try:
            value = next(ijson.items(again, prefix, use_float=True), _ABSENT)
        except (ijson.JSONError, ValueError) as error:
            raise MalformedReport(_json_error(error), position=prefix) from error
    if value is _ABSENT:
        if missing_ok:
            return
        raise not_a_report(prefix)
    if value is not None and not isinstance(value, list):
        raise MalformedReport(f"expected an array, found {type(value).__name__}", position=_label(prefix, {}))


def iter_json_lines(stream: BinaryIO) -> Iterator[tuple[str, Any]]:
    """Yield ``(position, value)`` for each non-blank line of a JSON Lines report."""
    for number, line in enumerate(stream, start=1):
        record = line.removeprefix(BOM) if number == 1 else line
        if not record.strip():
            continue
        check_depth(record)
        try:
            yield f"line {number}", orjson.loads(record)
        except orjson.JSONDecodeError as error:
            raise MalformedReport(f"invalid JSON: {error.msg}", position=f"line {number}") from error


@dataclass(frozen=True)
class JsonRecord:
    """One value a :class:`JsonReader` was asked for, with where it stands."""

    prefix: str
    position: str
    indexes: tuple[int, ...]
    value: Any
    key: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)


class JsonReader:
    """Stream several parts of one JSON document in one pass, in document order.

    ``items`` are ijson prefixes whose values are yielded as records, one at a time
    (``"runs.item.results.item"``); a prefix ending in ``.*`` yields each entry of
    the object there, its key in ``record.key``. Prefixes must not nest.

    ``context`` values are attached to the records they enclose, under their path
    below the innermost array they share with the record: with items
    ``"item.vulnerabilities.item"``, context ``"item.projectName"`` is each record's
    ``context["projectName"]``. Context is read where it stands, before the
    records. ``late`` context may stand after them: when a record needs a late value
    not yet read, one extra pass over the stream (which must seek, else the value
    stays unknown) reads every late value of the document.

    ``expect`` names prefixes whose value, when present and not null, must be a JSON
    "object", "array" or "object or array". ``required`` names arrays the document
    must have (they may be empty, or null): one missing means the document is not a
    report of the format. After iteration, ``seen`` holds every prefix asked about
    (items, context, expect, required, the objects of ``.*``) that the document has.
    """

    def __init__(
        self,
        stream: BinaryIO,
        items: Iterable[str],
        *,
        context: Iterable[str] = (),
        late: Iterable[str] = (),
        expect: Mapping[str, Literal["object", "array", "object or array"]] | None = None,
        required: Iterable[str] = (),
    ) -> None:
        self.seen: set[str] = set()
        self._required = tuple(required)
        self._stream = stream
        self._items = frozenset(item for item in items if not item.endswith("*"))
        self._maps = {item.removesuffix("*").removesuffix("."): item for item in items if item.endswith("*")}
        self._late = frozenset(late)
        self._context = frozenset(context) | self._late
        self._expect = dict(expect or {})
        wanted = [*self._items, *self._maps, *self._context]
        self._arrays = frozenset(array for prefix in wanted for array in _arrays(prefix))
        self._item_arrays = {(f"{array}.item" if array else "item"): array for array in self._arrays}
        self._expect.update((prefix, "array") for prefix in self._required)
        self._watched = self._items | self._context | set(self._maps) | set(self._expect)
        self._relevant = {
            item: [_ContextUse.of(prefix, item, prefix in self._late) for prefix in self._context]
            for item in [*self._items, *self._maps.values()]
        }
        self._latest: dict[str, tuple[tuple[int, ...], Any]] = {}
        self._late_values: dict[tuple[str, tuple[int, ...]], Any] | None = None
        self._source = stream
        self._start: int | None = None
        self._where = "top level"

    def __iter__(self) -> Iterator[JsonRecord]:
        first, stream = first_byte(self._stream)
        if not first:
            raise MalformedReport(EMPTY_REPORT)
        with depth_checked(stream) as source:
            self._source = source
            self._start = source.tell() if source.seekable() else None
            try:
                if self._is_simple():
                    yield from self._iter_simple(source, first)
                    return
                if self._can_navigate():
                    yield from self._iter_navigated(source)
                else:
                    yield from self._iter_events(source)
            finally:
                if source is not stream:  # a copy, removed on leaving: nothing to read again
                    self._source, self._start = stream, None
        for prefix in self._required:
            if prefix not in self.seen:
                raise not_a_report(prefix)

    def _iter_events(self, source: BinaryIO) -> Iterator[JsonRecord]:
        """Read the document event by event, building what was asked for."""
        counters: dict[str, int] = {}
        builder: Any = None
        depth = 0
        target: tuple[str, str, str | None] = ("", "", None)  # (prefix asked, position, key)
        entry: tuple[str, str, str] | None = None  # (its prefix, its map, its key)
        try:
            for prefix, event, value in ijson.parse(source, use_float=True):
                if builder is not None:
                    builder.event(event, value)
                    depth += 1 if event in _OPEN else -1 if event in _CLOSE else 0
                    if depth == 0:
                        yield from self._emit(target, builder.value, counters)
                        builder = None
                    continue
                if event == "map_key":
                    if prefix in self._maps:
                        entry = (f"{prefix}.{value}" if prefix else str(value), prefix, str(value))
                    continue
                if event in _CLOSE:
                    continue
                array = self._item_arrays.get(prefix)
                if array is not None:
                    counters[array] = counters.get(array, -1) + 1
                if event == "start_array" and prefix in self._arrays:
                    counters[prefix] = -1
                if entry is not None and entry[0] == prefix:
                    asked, key = self._maps[entry[1]], entry[2]
                    position = f"{_label(entry[1], counters)}[{key}]"
                    entry = None
                elif prefix in self._watched:
                    self.seen.add(prefix)
                    if prefix in self._expect:
                        self._check(prefix, event, value, counters)
                    if prefix not in self._items and prefix not in self._context:
                        continue
                    asked, key = prefix, None
                    position = _label(prefix, counters)
                else:
                    continue
                if event in _OPEN:
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
                    depth = 1
                    target = (asked, position, key)
                    self._where = position
                else:
                    yield from self._emit((asked, position, key), value, counters)
        except (ijson.JSONError, ValueError) as error:
            raise MalformedReport(_json_error(error), position=self._where) from error

    def _can_navigate(self) -> bool:
        """Tell whether no value to build holds another prefix asked about (the navigator's case)."""
        built = [*self._items, *self._context, *self._maps.values()]
        watched = [*self._watched, *self._maps.values()]
        return not any(
            other.startswith(f"{prefix}.") or (not prefix and other)
            for prefix in built
            for other in watched
            if other != prefix
        )

    def _iter_navigated(self, source: BinaryIO) -> Iterator[JsonRecord]:
        """Read the document through a :class:`_Navigator`, in the order the event path would."""
        self._navigator = _Navigator(source)
        self._navigator_stream = source
        self._counters: dict[str, int] = {}
        self._ancestors = frozenset(
            ".".join(parts[:index])
            for prefix in [*self._watched, *self._maps.values()]
            for parts in [_parts(prefix.removesuffix(".*"))]
            for index in range(len(parts) + (1 if prefix.endswith("*") else 0))
        )
        navigator = self._navigator
        try:
            yield from self._navigate("")
            navigator.end()
        except MalformedReport as error:
            if error.position is None:
                raise MalformedReport(error.reason, position=self._where) from error
            raise

    def _navigate(self, prefix: str) -> Iterator[JsonRecord]:
        """Read the value at ``prefix``: build it, walk into it, or skip it."""
        navigator, counters = self._navigator, self._counters
        if prefix in self._watched:
            self.seen.add(prefix)
            if prefix in self._expect:
                self._check_kind(prefix, navigator.kind(), counters)
            if prefix in self._items or prefix in self._context:
                position = _label(prefix, counters)
                self._where = position
                yield from self._emit((prefix, position, None), navigator.value(keep=True), counters)
                return
        if prefix in self._maps and navigator.peek() == ord("{"):
            asked = self._maps[prefix]
            navigator.expect(ord("{"), "'{'")
            more = navigator.first_member(ord("}"))
            while more:
                key = navigator.key()
                position = f"{_label(prefix, counters)}[{key}]"
                self._where = position
                yield from self._emit((asked, position, key), navigator.value(keep=True), counters)
                more = navigator.separator(ord("}"))
            return
        if prefix not in self._ancestors:
            navigator.value(keep=False)
            return
        first = navigator.peek()
        if first == ord("{"):
            navigator.expect(first, "'{'")
            more = navigator.first_member(ord("}"))
            while more:
                key = navigator.key()
                yield from self._navigate(f"{prefix}.{key}" if prefix else key)
                more = navigator.separator(ord("}"))
        elif first == ord("[") and self._is_record_array(prefix) and (end := self._array_end()) is not None:
            yield from self._records_in_c(prefix, end)
        elif first == ord("["):
            navigator.expect(first, "'['")
            item = f"{prefix}.item" if prefix else "item"
            counted = prefix in self._arrays
            if counted:
                counters[prefix] = -1
            more = navigator.first_member(ord("]"))
            while more:
                if counted:
                    counters[prefix] += 1
                yield from self._navigate(item)
                more = navigator.separator(ord("]"))
        else:
            navigator.value(keep=False)

    def _is_record_array(self, prefix: str) -> bool:
        """Tell whether the array at ``prefix`` holds records and nothing else asked about."""
        item = f"{prefix}.item" if prefix else "item"
        return item in self._items and item not in self._expect and item not in self._context

    def _array_end(self) -> int | None:
        """Return where the array the navigator stands on ends; None if the document ends first.

        (The navigator then reads the array itself, and names the record it breaks off in.)
        """
        navigator = self._navigator
        end = navigator.value_end()
        if end is not None:
            return end
        start = navigator.offset()
        try:
            return _array_end(self._navigator_stream, start)
        except MalformedReport:
            return None
        finally:
            navigator.resume(start)

    def _records_in_c(self, prefix: str, end: int) -> Iterator[JsonRecord]:
        """Read an array of records with ijson's C reader, then go on after it.

        Its end is found first, by the depth gauge's bytes methods, so that ijson reads
        exactly the array; the records are then built in C as they are read. Each is a
        record as the navigator would have made it.
        """
        navigator, counters = self._navigator, self._counters
        item = f"{prefix}.item" if prefix else "item"
        start = navigator.offset()
        counters[prefix] = -1
        held = navigator.held(start, end) if end - start <= _SMALL_ARRAY else None
        if held is not None:
            try:
                values = orjson.loads(held)
            except orjson.JSONDecodeError:
                values = None  # ijson reads it again and names the record that breaks
            if isinstance(values, list):
                for value in values:
                    counters[prefix] += 1
                    self.seen.add(item)
                    position = _label(item, counters)
                    self._where = position
                    yield from self._emit((item, position, None), value, counters)
                navigator.resume(end)
                return
        self._navigator_stream.seek(start)
        try:
            for value in ijson.items(_Bounded(self._navigator_stream, end - start), "item", use_float=True):
                counters[prefix] += 1
                self.seen.add(item)
                position = _label(item, counters)
                self._where = position
                yield from self._emit((item, position, None), value, counters)
        except (ijson.JSONError, ValueError) as error:
            counters[prefix] += 1
            raise MalformedReport(_json_error(error), position=_label(item, counters)) from error
        navigator.resume(end)

    def _check_kind(self, prefix: str, kind: str, counters: dict[str, int]) -> None:
        wanted = self._expect[prefix]
        if kind != "NoneType" and kind not in _EXPECTED[wanted]:
            raise MalformedReport(
                f"expected an {wanted.replace(' or ', ' or an ')}, found {kind}",
                position=_label(prefix, counters),
            )

    def _is_simple(self) -> bool:
        """Tell whether the records are one array's items and the context top-level values."""
        if self._maps or len(self._items) != 1:
            return False
        (prefix,) = self._items
        base = ".".join(_parts(prefix)[:-1])
        if set(self._expect) - {base} or set(self._required) - {base}:
            return False
        return (
            _parts(prefix).count("item") == 1
            and prefix.endswith("item")
            and not any("item" in _parts(context) for context in self._context)
        )

    def _iter_simple(self, source: BinaryIO, first: bytes) -> Iterator[JsonRecord]:
        """Read the array in C (several times faster); each context value by a read of its own.

        A context value near the start costs little; one after the array costs a read
        of the document up to it.
        """
        (prefix,) = self._items
        base = ".".join(_parts(prefix)[:-1])
        if not base and base in self._expect and first != b"[":
            raise MalformedReport(f"expected an array, found {_kind_of(first)}", position="top level")
        context: dict[str, Any] | None = None
        count = 0
        try:
            for value in ijson.items(source, prefix, use_float=True):
                if context is None:
                    context = self._read_context(source)
                self.seen.add(prefix)
                yield JsonRecord(prefix, f"{base}[{count}]", (count,), value, None, context)
                count += 1
        except (ijson.JSONError, ValueError) as error:
            raise MalformedReport(_json_error(error), position=f"{base}[{count}]") from error
        if not count and base and base in self._expect and self._start is not None:
            # An absent array is no findings, unless the format requires it.
            _require_array(source, self._start, base, missing_ok=base not in self._required)

    def document_context(self) -> dict[str, Any]:
        """Return the context values outside every array, by a read of their own.

        For a document whose records are all checked against its header values: when
        it has no record at all, the header is still read (and checked) this way.
        """
        return self._read_context(self._source)

    def _read_context(self, source: BinaryIO) -> dict[str, Any]:
        if self._start is None:
            return {}
        top_level = [prefix for prefix in self._context if "item" not in _parts(prefix)]
        found = read_values(source, top_level, start=self._start)
        self.seen.update(found)
        return found

    def _check(self, prefix: str, event: str, value: Any, counters: dict[str, int]) -> None:
        kind = "dict" if event == "start_map" else "list" if event == "start_array" else None
        kind = kind or type(value).__name__
        wanted = self._expect[prefix]
        if kind != "NoneType" and kind not in _EXPECTED[wanted]:
            raise MalformedReport(
                f"expected an {wanted.replace(' or ', ' or an ')}, found {kind}",
                position=_label(prefix, counters),
            )

    def _emit(
        self, target: tuple[str, str, str | None], value: Any, counters: dict[str, int]
    ) -> Iterator[JsonRecord]:
        asked, position, key = target
        indexes = tuple(counters[array] for array in _arrays(asked.removesuffix(".*")))
        self._where = f"after {position}"
        if asked in self._context:
            self._latest[asked] = (indexes, value)
            return
        yield JsonRecord(asked, position, indexes, value, key, self._context_of(asked, indexes))

    def _context_of(self, item: str, indexes: tuple[int, ...]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for use in self._relevant[item]:
            if not use.applies:
                continue
            latest = self._latest.get(use.prefix)
            if latest is not None and latest[0] == indexes[: use.depth]:
                found[use.key] = latest[1]
            elif use.is_late:
                late = self._read_late()
                if (use.prefix, indexes[: use.depth]) in late:
                    found[use.key] = late[use.prefix, indexes[: use.depth]]
        return found

    def _read_late(self) -> dict[tuple[str, tuple[int, ...]], Any]:
        if self._late_values is None:
            self._late_values = {}
            if self._start is not None:
                with rewound(self._source, self._start) as again:
                    for record in JsonReader(again, self._late):
                        self._late_values[record.prefix, record.indexes] = record.value
        return self._late_values


@dataclass(frozen=True)
class _ContextUse:
    """How one context prefix applies to the records of one item prefix."""

    prefix: str
    key: str
    depth: int
    applies: bool
    is_late: bool

    @classmethod
    def of(cls, prefix: str, item: str, is_late: bool) -> _ContextUse:
        parts = _parts(prefix)
        last = max((index for index, part in enumerate(parts) if part == "item"), default=-1)
        boundary = ".".join(parts[: last + 1])
        applies = not boundary or item == boundary or item.startswith(f"{boundary}.")
        key = ".".join(parts[last + 1 :])
        return cls(prefix, key, parts[: last + 1].count("item"), applies, is_late)


def _parts(prefix: str) -> list[str]:
    return prefix.split(".") if prefix else []


@functools.lru_cache(maxsize=1024)
def _arrays(prefix: str) -> tuple[str, ...]:
    """Return the prefixes of the arrays along a path, outermost first."""
    parts = _parts(prefix)
    return tuple(".".join(parts[:index]) for index, part in enumerate(parts) if part == "item")


def _label(prefix: str, counters: Mapping[str, int]) -> str:
    """Return the position of an ijson prefix, its arrays indexed: ``runs[0].results[3]``."""
    label = "".join(
        text if array is None else f"[{counters.get(array, 0)}]" for text, array in _label_plan(prefix)
    )
    return label or "top level"


@functools.lru_cache(maxsize=1024)
def _label_plan(prefix: str) -> tuple[tuple[str, str | None], ...]:
    """Return a position's pieces: names as they are written, and the arrays to index."""
    parts = _parts(prefix)
    plan: list[tuple[str, str | None]] = []
    for index, part in enumerate(parts):
        if part == "item":
            plan.append(("", ".".join(parts[:index])))
        else:
            plan.append((f".{part}" if plan else part, None))
    return tuple(plan)


def _json_error(error: Exception) -> str:
    detail = error.args[0] if error.args else error
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", "replace")
    return f"invalid JSON: {str(detail).strip().splitlines()[0] if str(detail).strip() else ''}"


def expect_mapping(value: Any, position: str) -> Mapping[str, Any]:
    """Return ``value`` if it is a JSON object, else say where the report breaks its shape."""
    if isinstance(value, dict) or isinstance(value, Mapping):
        return value
    raise MalformedReport(f"expected an object, found {type(value).__name__}", position=position)


def expect_list(value: Any, position: str) -> list[Any]:
    """Return ``value`` if it is a JSON array (None counts as empty)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedReport(f"expected an array, found {type(value).__name__}", position=position)
    return value


def as_mapping(value: Any) -> Mapping[str, Any]:
    """Return ``value`` if it is a JSON object, else an empty one (for optional details)."""
    # ``dict`` first: what the JSON readers make, and far cheaper than the ABC check.
    return value if isinstance(value, dict) or isinstance(value, Mapping) else {}


# --- The navigator: JsonReader's records without an event per token ---------------------
#
# ijson hands Python one event per token, and building a record from its events costs
# some 1.5 µs a token: most of a parser's time for reports of nested objects. The
# navigator walks only the levels that lead to what was asked for; a record (or a
# context value) is found as a byte span by a pattern that takes everything up to the
# next bracket (strings included) in one C-level step, and is then built by orjson.

# Everything but brackets, strings whole: possessive, so linear and never backtracking.
_RUN = re.compile(rb'(?:[^{}\[\]"]++|"(?:[^"\\]++|\\.)*+")*+', re.DOTALL)
_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_SCALAR = re.compile(rb"[^\s,\]}:\[{\"]*")
_BLANKS = re.compile(rb"[ \t\r\n]*")
_OPENERS = {ord("{"): ord("}"), ord("["): ord("]")}
_OPENING = b"{["
_KINDS = {ord("{"): "dict", ord("["): "list", ord('"'): "str"}
# A value skipped whole is checked by orjson up to this size; past it, its brackets only.
_CHECKED_SKIP = 8 * 1024 * 1024
_SMALL_ARRAY = 256 * 1024  # an array of records this short, already read, is built by orjson at once
_READ_BYTES = 256 * 1024
_FIRST_CHUNK = 16 * 1024  # the first read of an array whose end is looked for
_FIRST_PIECE = 2048  # the first piece of a value in memory whose end is looked for
_KEEP_BELOW = 1024 * 1024  # bytes already read and done with, kept until there are this many


class _Navigator:
    """Read a JSON document's structure from a stream, a value at a time, in C-sized steps."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._buffer = bytearray()
        self._position = 0
        self._at_end = False
        self._base = stream.tell()  # where in the stream the buffer starts

    def value_end(self) -> int | None:
        """Return where in the stream the value the navigator stands on ends, if read already."""
        end = _end_in(self._buffer, self._position)
        return None if end is None else self._base + end

    def offset(self) -> int:
        """Return where in the stream the navigator stands."""
        return self._base + self._position

    def held(self, start: int, end: int) -> bytes | None:
        """Return the document's bytes from ``start`` to ``end`` if they are in the buffer."""
        if self._base <= start and end <= self._base + len(self._buffer):
            return bytes(self._buffer[start - self._base : end - self._base])
        return None

    def resume(self, offset: int) -> None:
        """Go on reading from ``offset`` of the stream (after another reader has moved in it)."""
        if self._base <= offset <= self._base + len(self._buffer):
            self._position = offset - self._base  # still in the buffer: read on after it
            self._stream.seek(self._base + len(self._buffer))
            return
        self._stream.seek(offset)
        self._buffer = bytearray()
        self._position, self._base, self._at_end = 0, offset, False

    def _fill(self) -> bool:
        """Read more of the document; False at its end."""
        if self._at_end:
            return False
        chunk = self._stream.read(_READ_BYTES)
        if not chunk:
            self._at_end = True
            return False
        self._buffer += chunk
        return True

    def _release(self) -> None:
        """Drop what has been read and is done with."""
        if self._position > _KEEP_BELOW:
            del self._buffer[: self._position]
            self._base += self._position
            self._position = 0

    def peek(self) -> int:
        """Return the next byte that is not blank (-1 at the end), standing on it."""
        while True:
            self._position = _BLANKS.match(self._buffer, self._position).end()  # type: ignore[union-attr]
            if self._position < len(self._buffer):
                return self._buffer[self._position]
            self._release()
            if not self._fill():
                return -1

    def expect(self, byte: int, what: str) -> None:
        if self.peek() != byte:
            raise MalformedReport(f"invalid JSON: expected {what}")
        self._position += 1

    def separator(self, closing: int) -> bool:
        """Step over a ``,`` (True: another member follows) or the closing bracket (False)."""
        byte = self.peek()
        self._position += 1
        if byte == ord(","):
            return True
        if byte == closing:
            return False
        raise MalformedReport(f"invalid JSON: expected ',' or '{chr(closing)}'")

    def first_member(self, closing: int) -> bool:
        """Step into an object or array just opened: False when it is empty."""
        if self.peek() == closing:
            self._position += 1
            return False
        return True

    def key(self) -> str:
        key = self.value(keep=True)
        if not isinstance(key, str):
            raise MalformedReport("invalid JSON: an object key is not a string")
        self.expect(ord(":"), "':' after an object key")
        return key

    def value(self, *, keep: bool) -> Any:
        """Read the next value; return it (``keep``) or skip it (None)."""
        first = self.peek()
        if first < 0:
            raise MalformedReport("invalid JSON: the document ends where a value should be")
        self._release()
        start = self._position
        if first in _OPENERS:
            end, released = self._container_end(start, keep)
        elif first == ord('"'):
            end, released = self._token_end(_JSON_STRING, start, "a string"), False
        else:
            end, released = self._token_end(_SCALAR, start, "a value"), False
        self._position = end
        if released or (not keep and end - start > _CHECKED_SKIP):
            return None  # skipped, its brackets paired: orjson checks what is kept
        try:
            value = orjson.loads(self._buffer[start:end])
        except orjson.JSONDecodeError as error:
            raise MalformedReport(f"invalid JSON: {error.msg}") from error
        return value if keep else None

    def kind(self) -> str:
        """Name the type of the next value as expect_* would ("dict", "list", "str"...)."""
        first = self.peek()
        if first in _KINDS:
            return _KINDS[first]
        start = self._position
        value = orjson.loads(self._buffer[start : self._token_end(_SCALAR, start, "a value")])
        return type(value).__name__

    def end(self) -> None:
        if self.peek() >= 0:
            raise MalformedReport("invalid JSON: more data after the document's end")

    def _token_end(self, pattern: re.Pattern[bytes], start: int, what: str) -> int:
        while True:
            found = pattern.match(self._buffer, start)
            if found is not None and found.end() < len(self._buffer):
                return found.end()
            if not self._fill():
                if found is not None and found.end() > start:
                    return found.end()
                raise MalformedReport(f"invalid JSON: the document ends inside {what}")

    def _container_end(self, start: int, keep: bool) -> tuple[int, bool]:
        """Return where the object or array at ``start`` ends, by counting its brackets.

        Which bracket closes which is orjson's to check, as it builds or checks the
        value. A value skipped (not ``keep``) that is longer than what has been read
        is skipped in the stream, read no further than its end is found; the flag tells
        it was, and the navigator then stands after it.
        """
        while True:
            end = _end_in(self._buffer, start)
            if end is not None:
                return end, False
            if not keep and self._stream.seekable():
                self.resume(_array_end(self._stream, self._base + start))
                return 0, True
            if not self._fill():
                raise MalformedReport("invalid JSON: the document ends inside an object or array")


class _Bounded(io.RawIOBase):
    """The next ``size`` bytes of a stream, as a stream of their own."""

    def __init__(self, stream: BinaryIO, size: int) -> None:
        super().__init__()
        self._stream, self._left = stream, size

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        wanted = self._left if size < 0 else min(size, self._left)
        data = self._stream.read(wanted) if wanted else b""
        self._left -= len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _array_end(stream: BinaryIO, start: int) -> int:
    """Return the offset just past the array (or object) that starts at ``start``.

    Chunk by chunk, the depth gauge's bytes methods count the brackets outside strings
    (a few milliseconds a megabyte); chunks start small, so a short value costs little.
    """
    stream.seek(start)
    finder = _EndFinder()
    offset, size = start, _FIRST_CHUNK
    while chunk := stream.read(size):
        found = finder.feed(chunk)
        if found is not None:
            return offset + found
        offset += len(chunk)
        size = min(size * 2, GAUGE_CHUNK)
    raise MalformedReport("invalid JSON: the document ends inside an object or array")


def _end_in(data: bytearray, start: int) -> int | None:
    """Return the offset just past the value that starts at ``start``; None if ``data`` ends first."""
    finder = _EndFinder()
    offset, size, stop = start, _FIRST_PIECE, len(data)
    while offset < stop:
        chunk = bytes(data[offset : min(offset + size, stop)])
        found = finder.feed(chunk)
        if found is not None:
            return offset + found
        offset += len(chunk)
        size = min(size * 2, GAUGE_CHUNK)
    return None


class _EndFinder(DepthGauge):
    """Find where the value a document's pieces start with closes, counting with bytes methods."""

    def feed(self, chunk: bytes) -> int | None:  # type: ignore[override]
        """Take the next piece; return the offset in it just past the closing bracket, if there."""
        in_string, escaped = self._in_string, self._escaped
        brackets = self._brackets(chunk)
        depth = self.depth
        for start in range(0, len(brackets), _BLOCK):
            block = brackets[start : start + _BLOCK]
            opened = block.count(b"[") + block.count(b"{")
            if depth - (len(block) - opened) > 0:
                depth += 2 * opened - len(block)
                continue
            for index, byte in enumerate(block):
                depth += _STEP[byte]
                if depth <= 0:
                    return _past_bracket(chunk, in_string, escaped, start + index + 1)
        self.depth = depth
        return None


def _past_bracket(chunk: bytes, in_string: bool, escaped: bool, count: int) -> int:
    """Return the offset just past the ``count``-th bracket outside strings of a chunk.

    Halving the chunk (the half that holds it is found by counting) until a short piece
    is left, which is walked bracket by bracket.
    """
    base = 0
    while len(chunk) > _FIRST_PIECE:
        half = len(chunk) // 2
        gauge = DepthGauge()
        gauge._in_string, gauge._escaped = in_string, escaped
        brackets = gauge._brackets(chunk[:half])
        if len(brackets) >= count:
            chunk = chunk[:half]
            continue
        count -= len(brackets)
        base += half
        in_string, escaped = gauge._in_string, gauge._escaped
        chunk = chunk[half:]
    position = 0
    if in_string:
        found = _STRING_REST.match(chunk, 1 if escaped else 0)
        position = (found.end() if found else 0) + 1  # past the string's closing quote
    while True:
        position = _RUN.match(chunk, position).end()  # type: ignore[union-attr]
        count -= 1
        position += 1
        if count == 0:
            return base + position


# --- The splitter: an array's records cut from the document, each built by orjson ------
#
# ijson builds a record event by event (some 100 MB/s for records of long strings: HTTP
# exchanges, certificates), after the depth gauge has read the whole document once. orjson
# builds one several times as fast from its bytes, and finds where a value ends: handed a
# window longer than the value, it stops at what follows ("unexpected content after
# document") and says where. So a record is parsed in a window, to find its end, then
# built from its own bytes: two passes in C, and no other read of the document. Mostly
# one: the records of a report start alike (``{"name":``), and a span that ends where the
# next record's start is seen, and that orjson builds whole, is the record.

_SPLIT_READ = 1024 * 1024  # what the splitter reads at once
_FIRST_WINDOW = 16 * 1024  # the least window a value's end is looked for in
_LEAD_LIMIT = 256  # the longest lead of a record (see _Splitter._array)
_CONTINUATION = bytes(range(0x80, 0xC0))  # the bytes of UTF-8 that only continue a character
_AFTER_VALUE = "unexpected content after document"
_CUT_SHORT = "unexpected end of data"
_DEPTH_LIMIT = "depth limit exceeded"
_ORJSON_DEPTH = 1024  # how deep orjson builds a value


class _Unsplit(Exception):  # noqa: N818 - a signal, not an error
    """The document is not an object with the array at a key (or breaks before a record): ijson reads it."""


def _split_records(
    stream: BinaryIO, key: str, *, required: bool, use_float: bool
) -> Iterator[tuple[str, Any]]:
    """Do :func:`iter_json`'s work for the array at a top-level key, by a :class:`_Splitter`.

    A document the splitter does not read to a record (another layout, no array at
    the key, damage before its first record) is read by ijson instead, from its start,
    so that it is refused, or read, as ijson reads it. Damage after a record has been
    yielded is refused here, naming the record it stands in (or after).
    """
    start = stream.tell()
    splitter = _Splitter(stream, exact_integers=not use_float)
    count = 0
    try:
        for value in splitter.records(key):
            yield f"{key}[{count}]", value
            count += 1
    except (_Unsplit, MalformedReport) as error:
        if count:
            if isinstance(error, MalformedReport) and error.position is None:
                raise MalformedReport(error.reason, position=f"{key}[{count}]") from error
            raise
    else:
        if count or splitter.found:
            return
    stream.seek(start)
    first, source = first_byte(stream)
    if not first:
        raise MalformedReport(EMPTY_REPORT)
    with depth_checked(source) as checked:
        yield from _iter_items(checked, first, f"{key}.item", required=required, use_float=use_float)


class _Splitter:
    """Read a JSON object's members from a stream, and the records of the array at one key."""

    def __init__(self, stream: BinaryIO, *, exact_integers: bool = False) -> None:
        self.found = False  # the array at the key (possibly empty) was read
        self._exact = exact_integers
        self._stream = stream
        self._buffer = b""
        self._view = memoryview(self._buffer)
        self._position = 0
        self._at_end = False
        self._window = _FIRST_WINDOW

    def records(self, key: str) -> Iterator[Any]:
        """Yield the records of the array at ``key``, reading (and checking) the whole document."""
        self._fill(0)
        if self._buffer.startswith(BOM):
            self._position = len(BOM)
        if self._peek() != ord("{"):
            raise _Unsplit
        self._position += 1
        more = self._peek() != ord("}")
        if not more:
            self._position += 1
        while more:
            if self._peek() != ord('"'):
                raise MalformedReport("invalid JSON: expected an object key")
            name = self._value(keep=True, depth=1)
            self._step_over(b":", "':' after an object key")
            if name == key and self._peek() == ord("["):
                yield from self._array()
                self.found = True
            else:
                self._value(keep=False, depth=1)
            more = self._step_over(b",}", "',' or '}'") == ord(",")
        if self._peek() >= 0:
            raise MalformedReport("invalid JSON: more data after the document's end")

    def _array(self) -> Iterator[Any]:
        self._position += 1
        if self._peek() == ord("]"):
            self._position += 1
            return
        lead = b""
        while True:
            yield self._record(lead)
            if self._step_over(b",]", "',' or ']'") == ord("]"):
                return
            if not lead:
                # What follows a record, up to the next one's first key (``,{"name":``): the
                # records of a report share their first key, and few values inside them do.
                if len(self._buffer) - self._position < _LEAD_LIMIT:
                    self._fill(_LEAD_LIMIT)
                colon = self._buffer.find(b":", self._position, self._position + _LEAD_LIMIT)
                lead = b"," + self._buffer[self._position : colon + 1] if colon >= 0 else b""

    def _record(self, lead: bytes) -> Any:
        """Read a record of the array: where the next record's lead stands first, if that is its end.

        A span of the document that orjson builds whole, from a record's start, is that
        record (no JSON value is the start of a longer one): one pass, not two.
        """
        if lead:
            start = self._position
            if len(self._buffer) - start < self._window:
                self._fill(self._window)
                start = self._position
            end = self._buffer.find(lead, start)
            if end > start:
                try:
                    value = self._build(start, end, 2)
                except ValueError:
                    pass  # the lead stands inside the record: its end is found otherwise
                else:
                    self._position = end
                    self._window = max(_FIRST_WINDOW, 2 * (end - start))
                    return value
        if not self._exact:
            return self._value(keep=True, depth=2)
        start, end = self._container_end()
        try:
            value = self._build(start, end, 2)
        except ValueError as error:
            raise MalformedReport(f"invalid JSON: {error}") from error
        self._position = end
        return value

    def _build(self, start: int, end: int, depth: int) -> Any:
        """Build the value the buffer holds from ``start`` to ``end``, ``depth`` levels down the document.

        ValueError if the bytes are not one JSON value; MalformedReport if it nests past
        MAX_DEPTH. A value with fewer brackets cannot; one with more (its strings may hold
        them: HTTP bodies, scripts) is built inside as many arrays as leave it MAX_DEPTH
        levels below orjson's own limit, which then checks it in C (a walk of its arrays
        and objects costs some ten times more). With exact integers, by the json module
        (orjson refuses an integer past a double's range, as a certificate's modulus is),
        which refuses NaN and Infinity here, and by the walk.
        """
        buffer = self._buffer
        nested = depth + buffer.count(b"[", start, end) + buffer.count(b"{", start, end) > MAX_DEPTH
        if self._exact:
            try:
                value = _EXACT.decode(buffer[start:end].decode())
            except RecursionError as error:
                raise MalformedReport(TOO_DEEP) from error
            if nested:
                _check_nesting(value, depth)
            return value
        if not nested:
            return orjson.loads(self._view[start:end])
        padding = _ORJSON_DEPTH - MAX_DEPTH + depth
        try:
            value = orjson.loads(b"".join((b"[" * padding, self._view[start:end], b"]" * padding)))
        except orjson.JSONDecodeError as error:
            if error.msg.startswith(_DEPTH_LIMIT):
                raise MalformedReport(TOO_DEEP) from error
            raise
        return functools.reduce(operator.getitem, itertools.repeat(0, padding), value)

    def _container_end(self) -> tuple[int, int]:
        """Return where the object or array at the position starts and ends, by counting its brackets."""
        window = self._window
        while True:
            if self._peek() not in _OPENERS:
                raise MalformedReport("invalid JSON: expected an object or array")
            start = self._position
            if len(self._buffer) - start < window:
                self._fill(window)
                start = self._position
            end = _end_in(self._buffer, start)  # type: ignore[arg-type]
            if end is not None:
                self._window = max(_FIRST_WINDOW, 2 * (end - start))
                return start, end
            if self._at_end:
                raise MalformedReport("invalid JSON: the document ends inside an object or array")
            window *= 2

    def _step_over(self, allowed: bytes, what: str) -> int:
        """Step over the next byte, one of ``allowed``, and return it."""
        byte = self._peek()
        if byte < 0 or byte not in allowed:
            raise MalformedReport(f"invalid JSON: expected {what}")
        self._position += 1
        return byte

    def _peek(self) -> int:
        """Return the next byte that is not blank (-1 at the end), standing on it."""
        while True:
            self._position = _BLANKS.match(self._buffer, self._position).end()  # type: ignore[union-attr]
            if self._position < len(self._buffer):
                return self._buffer[self._position]
            if not self._fill(0):
                return -1

    def _fill(self, size: int) -> bool:
        """Read at least ``size`` more bytes (as many as the document has); False at its end.

        What stands before the position is done with, and dropped.
        """
        if self._at_end:
            return False
        chunk = self._stream.read(max(size, _SPLIT_READ))
        if not chunk:
            self._at_end = True
            return False
        self._buffer = self._buffer[self._position :] + chunk
        self._view = memoryview(self._buffer)
        self._position = 0
        return True

    def _value(self, *, keep: bool, depth: int) -> Any:
        """Read the value at the position (``depth`` levels down the document); return it if ``keep``."""
        window = self._window
        while True:
            start = self._position
            stop = start + window
            if stop >= len(self._buffer) and self._fill(stop - len(self._buffer) + 1):
                continue
            stop = _character_start(self._buffer, min(stop, len(self._buffer)))
            try:
                value = orjson.loads(self._view[start:stop])
            except orjson.JSONDecodeError as error:
                if error.msg.startswith(_AFTER_VALUE):
                    end = start + _byte_offset(self._buffer, start, error.pos)
                    break
                self._check_depth(start, stop, depth)
                if error.msg.startswith(_CUT_SHORT) and stop < len(self._buffer):
                    window *= 2  # the window ends inside the value
                    continue
                raise MalformedReport(f"invalid JSON: {error.msg}") from error
            _check_nesting(value, depth)
            self._position = stop  # the value and the blanks after it fill the window
            return value if keep else None
        self._position = end
        self._window = max(_FIRST_WINDOW, 2 * (end - start))
        if not keep:
            self._check_depth(start, end, depth)
            return None
        return self._build(start, end, depth)

    def _check_depth(self, start: int, stop: int, depth: int) -> None:
        """Refuse bytes of the buffer, ``depth`` levels down the document, that nest past MAX_DEPTH."""
        buffer = self._buffer
        if depth + buffer.count(b"[", start, stop) + buffer.count(b"{", start, stop) > MAX_DEPTH:
            gauge = DepthGauge()
            gauge.depth = depth
            gauge.feed(buffer[start:stop])


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _decimal(text: str) -> Decimal:
    """Read a number with a fraction or exponent as ijson does without floats: a Decimal."""
    try:
        return Decimal(text)
    except ArithmeticError as error:  # an exponent past Decimal's range
        raise ValueError(f"the number {text[:40]} cannot be read") from error


_EXACT = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_decimal)


def _check_nesting(value: Any, depth: int) -> None:
    """Refuse a built value, ``depth`` levels down the document, that nests past MAX_DEPTH.

    A walk of its arrays and objects, for a value the json module built (no limit of its
    own below Python's recursion limit) or one that filled orjson's window.
    """
    stack = [(value, depth + 1)] if type(value) is dict or type(value) is list else []
    while stack:
        container, level = stack.pop()
        if level > MAX_DEPTH:
            raise MalformedReport(TOO_DEEP)
        for child in container.values() if type(container) is dict else container:
            if type(child) is dict or type(child) is list:
                stack.append((child, level + 1))


def _character_start(data: bytes, offset: int) -> int:
    """Return ``offset``, or the start of the UTF-8 character it falls inside (orjson takes whole ones)."""
    for _ in range(3):
        if offset >= len(data) or data[offset] & 0xC0 != 0x80:
            break
        offset -= 1
    return offset


def _byte_offset(data: bytes, start: int, characters: int) -> int:
    """Return how many bytes from ``start`` hold ``characters`` characters of UTF-8."""
    size, extra = 0, 0
    while size < characters + extra:  # each pass counts the continuation bytes of the bytes it adds
        piece = data[start + size : start + characters + extra]
        size = characters + extra
        extra += 0 if piece.isascii() else len(piece) - len(piece.translate(None, _CONTINUATION))
    return size
