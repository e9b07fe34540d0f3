"""Streaming XML through defusedxml, and reading the elements it yields.

Part of :mod:`bastion.parsers.readers`, which parsers import.
"""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import BinaryIO, Literal, cast
from xml.etree.ElementTree import Element, XMLPullParser

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from bastion.parsers._streams import (
    BLANK,
    BOM,
    EMPTY_REPORT,
    MAX_DEPTH,
    TOO_DEEP,
    first_byte,
    replayed,
)
from bastion.parsers.base import HEAD_BYTES
from bastion.parsers.exceptions import MalformedReport

# The most of a report read while looking for the end of its DOCTYPE.
PROLOG_LIMIT = 256 * 1024
_PROLOG_TOKENS = (b"<?", b"<!--", b"<!DOCTYPE")
# What an internal subset may hold for its DOCTYPE to be dropped: element and
# attribute-list declarations and comments; never an entity, notation or "%".
_HARMLESS_SUBSET = re.compile(
    rb"(?:\s|<!--(?:(?!-->).)*-->|<!(?:ELEMENT|ATTLIST)\s[^<>%\"']*(?:\"[^\"<%]*\"[^<>%\"']*)*>)*",
    re.DOTALL,
)
_DECLARED_ENCODING = re.compile(rb"""<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# Encodings in which the prolog's markup is ASCII: the C parser's path (see _events).
_ASCII_COMPATIBLE = frozenset(
    {b"utf-8", b"utf8", b"us-ascii", b"ascii", b"windows-1252", b"cp1252", b"latin-1", b"latin1"}
    | {f"iso-8859-{number}".encode() for number in range(1, 17)}
)
_FEED_BYTES = 16 * 1024  # a feed's events are built at once: small enough for the depth check to act early
_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def iter_xml(
    stream: BinaryIO,
    tags: Iterable[str],
    *,
    roots: Collection[str] = (),
    starts: Collection[str] = (),
    drop_doctype: bool = False,
    skip: Collection[str] = (),
    skip_unless: Mapping[str, Collection[str]] | None = None,
    skip_unless_attribute: Mapping[str, tuple[str, Collection[str]]] | None = None,
) -> Iterator[Element]:
    """Stream the elements named in ``tags`` (local names); each is freed after use.

    ``roots``: the local names the root element may have; another one means the
    document is another kind of XML, and is refused.

    ``starts``: local names of elements yielded as they open, for their attributes
    (a host whose name its items need; its children may not be read yet), not as
    they close: the records inside them are then freed one by one. The caller tells
    them from records by ``local_name(element.tag)``.

    Entities and external references are refused, and so is a DOCTYPE, unless
    ``drop_doctype``: then a DOCTYPE that declares nothing but elements and
    attribute lists (it may name an external DTD, which is never read) is blanked
    out, its lines kept so that errors name the right line. A DOCTYPE declaring an
    entity, a notation or a parameter entity is refused all the same. A document
    nesting deeper than MAX_DEPTH elements is refused.

    ``skip``: local names (with any prefix) of elements the caller never reads,
    cut out of the bytes before expat sees them (found by byte search, far faster
    than parsing them). ``skip_unless``: local names of elements cut out the same
    way unless they hold an element of one of the local names given for them, out
    of the skipped ones (``{"dependency": ("vulnerability",)}``: a dependency
    without a vulnerability yields nothing). Cutting only happens in a document
    that goes through the C parser (see :func:`_event_batches`), after the root's
    start tag, and to an element whose end is read before _CUT_LIMIT bytes from its
    start (a longer one is parsed). A cut element's bytes are not checked at all:
    whatever it holds, well-formed or not (an unbound prefix, a depth past
    MAX_DEPTH, even where it stands, after the root's end...), is not refused. Its
    newlines are kept, so that errors after it name the right line (not always the
    right column), and the texts on either side of it become one text.

    ``skip_unless_attribute``: unprefixed names of elements cut the same way unless
    an attribute of theirs has one of the values given
    (``{"test": ("status", ("vulnerable",))}``), found by one regular expression
    (see :class:`_AttributeCut`): cheaper than expat even for small elements, but
    only in the document's stretch before its first comment, CDATA section or PI
    after the root's start tag, and only for an element held in one read whose start
    tag has the attribute in double quotes, without an entity reference, and whose
    content has no comment, CDATA section, PI nor element of its name; any other
    one is parsed.
    """
    first, source = first_byte(stream)
    if not first:
        raise MalformedReport(EMPTY_REPORT)
    if drop_doctype:
        source = _without_doctype(source)
    wanted = frozenset(tags)
    opening = frozenset(starts)
    asked: dict[str, bool] = {}  # tag (with its namespace) -> whether it names a record
    open_elements: list[Element] = []
    records_open = 0  # records among the open elements
    try:
        cut_by_attribute = _AttributeCut(skip_unless_attribute) if skip_unless_attribute else None
        for events in _event_batches(source, skip, skip_unless or {}, cut_by_attribute):
            while events:  # drained, not iterated: a record read is freed before the next
                event, element = events.popleft()
                tag = element.tag
                is_record = asked.get(tag)
                if is_record is None:
                    is_record = asked[tag] = local_name(tag) in wanted
                if event == "start":
                    if roots and not open_elements and local_name(tag) not in roots:
                        raise MalformedReport(
                            f"the root element is <{local_name(tag)}>, not "
                            f"<{'> or <'.join(roots)}>; it may be another tool's report",
                            position="top level",
                        )
                    if len(open_elements) == MAX_DEPTH:
                        raise MalformedReport(TOO_DEEP)
                    open_elements.append(element)
                    records_open += is_record
                    if opening and local_name(tag) in opening:
                        yield element
                    continue
                open_elements.pop()
                if is_record:
                    records_open -= 1
                    yield element
                    element.clear()
                elif records_open:
                    continue  # part of a record still being read
                else:
                    element.clear()  # outside every record: no parser can reach it
                # Free the element itself, unless its parent is a record (which may look at it).
                if open_elements and not asked[open_elements[-1].tag]:
                    _detach(open_elements[-1], element)
    except DefusedXmlException as error:
        raise MalformedReport(
            f"XML refused: {type(error).__name__} (DOCTYPE and entities are not allowed)"
        ) from error
    except SyntaxError as error:  # expat's ParseError, which knows the line and column
        line, column = getattr(error, "position", (None, None))
        reason = str(error).split(": line ", 1)[0] if line is not None else str(error)
        raise MalformedReport(
            f"invalid XML: {reason}",
            position=f"line {line}, column {column}" if line is not None else None,
        ) from error
    except LookupError as error:  # the XML declaration names an encoding Python lacks
        if isinstance(error, KeyError | IndexError):
            raise
        raise MalformedReport(f"invalid XML: {error}", position="XML declaration") from error
    except ValueError as error:  # expat refuses some declared encodings this way
        raise MalformedReport(f"invalid XML: {error}", position="XML declaration") from error


def _detach(parent: Element, element: Element) -> None:
    """Remove ``element`` from its parent, looking from the end (later siblings may be parsed already)."""
    for index in range(len(parent) - 1, -1, -1):
        if parent[index] is element:
            del parent[index]
            return


def _event_batches(
    source: BinaryIO,
    skip: Collection[str],
    skip_unless: Mapping[str, Collection[str]],
    cut_by_attribute: _AttributeCut | None = None,
) -> Iterator[deque[tuple[str, Element]]]:
    """Yield the document's start and end events, in batches to drain, through the fastest safe parser.

    Entities can only be declared in a DOCTYPE, and a DOCTYPE only stands in the prolog:
    a document in an encoding that writes ``<!DOCTYPE`` as those bytes, whose prolog
    has none, can declare nothing, and any entity it names (but the five of XML) is an
    error of expat's. Such a document, nearly every report, goes through the C parser
    (ElementTree's own, some three times faster); any other one through defusedxml's
    parser, which refuses DTDs, entities and external references itself.

    Only the C parser's documents have elements cut (``skip``, ``skip_unless``,
    ``cut_by_attribute``): an
    ASCII-compatible encoding is what lets bytes be searched for tags, and no DOCTYPE
    means no entity can hide one.
    """
    head = source.read(HEAD_BYTES) or b""
    source = replayed(head, source)
    if not _plainly_without_doctype(head):
        batch: deque[tuple[str, Element]] = deque()
        for event in iterparse(
            source, events=("start", "end"), forbid_dtd=True, forbid_entities=True, forbid_external=True
        ):
            batch.append(event)
            yield batch
        return
    parser = XMLPullParser(events=("start", "end"))
    if skip or skip_unless:
        chunks = _Cutter(source, skip, skip_unless, _CUT_READ_BYTES).chunks()
    else:
        chunks = iter(lambda: source.read(_FEED_BYTES), b"")
    # read_events() hands the events over one by one through a generator, a good part of
    # the cost of a parse: the caller drains the queue it reads from instead.
    queue = cast(deque[tuple[str, Element] | SyntaxError], parser._events_queue)  # type: ignore[attr-defined]
    events = cast(deque[tuple[str, Element]], queue)
    for chunk in chunks:
        view = memoryview(cut_by_attribute.cut(chunk) if cut_by_attribute else chunk)
        for offset in range(0, len(view), _FEED_BYTES):
            parser.feed(view[offset : offset + _FEED_BYTES])
            error = queue[-1] if queue else None
            if isinstance(error, SyntaxError):  # feed() queues expat's error last
                queue.pop()
                yield events
                raise error
            yield events
    parser.close()
    yield events


class _AttributeCut:
    """Cut elements by an attribute's value (``skip_unless_attribute``) from the chunks fed to expat.

    The regular expression runs in C, with Python called only for an element it cuts
    (to keep its newlines). What it matches is a whole element, never one a comment,
    CDATA section or PI holds (a CDATA section's text would lose it, a comment its
    end): it only looks where none is open, after the root's start tag and before
    the first of them in the document's body; from there on nothing is cut.
    """

    def __init__(self, names: Mapping[str, tuple[str, Collection[str]]]) -> None:
        elements = [
            _ATTRIBUTE_CUT
            % {
                b"name": re.escape(name.encode()),
                b"attribute": re.escape(attribute.encode()),
                b"values": b"|".join(re.escape(value.encode()) for value in values),
            }
            for name, (attribute, values) in names.items()
        ]
        self.pattern = re.compile(b"|".join(elements))
        self.prolog = bytearray()  # the bytes read before the root's start tag is found
        self.state: Literal["prolog", "body", "done"] = "prolog"
        self.ends_open = False  # whether the last chunk ended with a "<" (its "!" or "?" may follow)

    def cut(self, chunk: bytes) -> bytes:
        """Return the chunk with the elements at stake in it cut, their newlines kept."""
        start = 0
        if self.state == "prolog":
            self.prolog += chunk
            root = _root_start(self.prolog, eof=False)
            if root is None and len(self.prolog) < PROLOG_LIMIT:
                return chunk
            self.state = "body" if root is not None and root >= 0 else "done"
            start = max(0, root + 1 - (len(self.prolog) - len(chunk))) if root is not None else 0
            self.prolog = bytearray()
        if self.state == "done":
            return chunk
        if self.ends_open and chunk[start : start + 1] in (b"!", b"?"):
            self.state = "done"
            return chunk
        self.ends_open = chunk.endswith(b"<")
        stop = min((at for at in (chunk.find(b"<!", start), chunk.find(b"<?", start)) if at >= 0), default=-1)
        if stop >= 0:
            self.state = "done"
        else:
            stop = len(chunk)
        kept = self.pattern.sub(_newlines, chunk[start:stop])
        return kept if start == 0 and stop == len(chunk) else chunk[:start] + kept + chunk[stop:]


def _newlines(match: re.Match[bytes]) -> bytes:
    return b"\n" * match.group().count(b"\n")


def _plainly_without_doctype(head: bytes) -> bool:
    """Tell whether a document's head shows an ASCII-compatible prolog without a DOCTYPE."""
    start = head.removeprefix(BOM).lstrip(BLANK)
    if not start.startswith(b"<") or b"\0" in head[:512]:
        return False  # UTF-16 or 32, or not XML: defusedxml's parser says what it is
    declaration = _DECLARED_ENCODING.match(start)
    if declaration and declaration.group(1).lower().replace(b"_", b"-") not in _ASCII_COMPATIBLE:
        return False
    return _doctype_span(head) is None  # None: the root element came first; "more": not known


def _without_doctype(stream: BinaryIO) -> BinaryIO:
    """Return the report with a harmless DOCTYPE blanked out (see :func:`iter_xml`)."""
    buffer = stream.read(HEAD_BYTES) or b""
    span = _doctype_span(buffer)
    while span == "more" and len(buffer) < PROLOG_LIMIT:
        chunk = stream.read(HEAD_BYTES)
        if not chunk:
            break
        buffer += chunk
        span = _doctype_span(buffer)
    if isinstance(span, tuple):
        start, subset_start, subset_end, end = span
        subset = buffer[subset_start:subset_end]
        if _HARMLESS_SUBSET.fullmatch(subset):
            doctype = buffer[start:end]
            buffer = buffer[:start] + b"\n" * doctype.count(b"\n") + buffer[end:]
    return replayed(buffer, stream)


def _doctype_span(data: bytes) -> tuple[int, int, int, int] | Literal["more"] | None:
    """Find the DOCTYPE in the prolog: its span and its internal subset's, or "more" to read."""
    position = 3 if data.startswith(BOM) else 0
    while True:
        while position < len(data) and data[position] in BLANK:
            position += 1
        rest = data[position : position + 9]
        if len(rest) < 9 and any(token.startswith(rest) for token in _PROLOG_TOKENS):
            return "more"
        if data.startswith(b"<!DOCTYPE", position):
            found = _doctype_end(data, position + 9)
            return "more" if found is None else (position, *found)
        closing = {b"<!--": b"-->", b"<?": b"?>"}
        opener = next((token for token in closing if data.startswith(token, position)), None)
        if opener is None:
            return None
        end = data.find(closing[opener], position + len(opener))
        if end < 0:
            return "more"
        position = end + len(closing[opener])


def _doctype_end(data: bytes, position: int) -> tuple[int, int, int] | None:
    """Return the internal subset's span and the offset past the DOCTYPE, or None if cut off."""
    quote: int | None = None
    subset_start = subset_end = -1
    while position < len(data):
        byte = data[position]
        if quote is not None:
            quote = None if byte == quote else quote
        elif subset_start >= 0 and subset_end < 0:
            if data.startswith(b"<!--", position):
                closing = data.find(b"-->", position + 4)
                if closing < 0:
                    return None
                position = closing + 3
                continue
            if byte in b"\"'":
                quote = byte
            elif byte == ord("]"):
                subset_end = position
        elif byte in b"\"'":
            quote = byte
        elif byte == ord("["):
            subset_start = position + 1
        elif byte == ord(">"):
            if subset_start < 0:
                subset_start = subset_end = position
            return subset_start, subset_end, position + 1
        position += 1
    return None


# An element whose attribute's value (in double quotes, without an entity reference) is not
# one of the values, whose content holds no comment, CDATA section, PI nor element of its name.
_ATTRIBUTE_CUT = (
    rb"""<%(name)s(?:[ \t\r\n]+[^\s=<>"'/]+[ \t\r\n]*=[ \t\r\n]*(?:"[^"<]*"|'[^'<]*'))*?"""
    rb'[ \t\r\n]+%(attribute)s[ \t\r\n]*=[ \t\r\n]*"(?!(?:%(values)s)")[^"<&]*"'
    rb"""(?:[ \t\r\n]+[^\s=<>"'/]+[ \t\r\n]*=[ \t\r\n]*(?:"[^"<]*"|'[^'<]*'))*[ \t\r\n]*>"""
    rb"""[^<]*+(?:<(?![!?]|/?%(name)s[ \t\r\n/>])[^<]*+)*?</%(name)s[ \t\r\n]*>"""
)

# Cutting unread elements out of the bytes (see iter_xml's ``skip``).
_CUT_LIMIT = 8 * 1024 * 1024  # an element not closed within this many bytes is left in
_CUT_READ_BYTES = 256 * 1024
_PREFIX_LIMIT = 64  # a longer namespace prefix hides an element from cutting
_HELD_BYTES = _PREFIX_LIMIT + 256  # kept back from expat while a tag may begin there
_WHITESPACE = frozenset(b" \t\r\n")
_NAME_ENDS = _WHITESPACE | frozenset(b"/>")  # what may follow a name in a start tag
_CLOSE_ENDS = _WHITESPACE | frozenset(b">")
_NAME_STARTS = frozenset(b"<:")  # what may stand before a local name in a start tag
_END_TAG_STARTS = frozenset(b"</")  # before a qualified name in a start or end tag
_SPECIAL_STARTS = frozenset(b"<")  # before the "!" or "?" of a comment, CDATA section or PI
_PREFIX = re.compile(rb"[^\s<>/:!?\"'=&;]+")
_TAG_REST = re.compile(rb"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")
_SPECIAL_ENDS = {b"<![CDATA[": b"]]>", b"<!--": b"-->", b"<?": b"?>"}
# What a look through an element comes to.
_MORE, _ENDED, _MARKED, _NESTED = range(4)


class _Needle:
    """The next place of a byte string in the buffer, each byte looked at once however often asked.

    A place is only taken where the byte before is one of ``before`` and the byte
    after one of ``after`` (or not read yet): the many places that cannot be a tag are
    passed over here, at little cost.
    """

    __slots__ = ("after", "at", "before", "needle", "searched", "size")

    def __init__(self, needle: bytes, before: frozenset[int], after: frozenset[int] = frozenset()) -> None:
        self.needle = needle
        self.size = len(needle)
        self.before = before
        self.after = after
        self.at = -1  # the last place found
        self.searched = 0  # no place before this one but ``at``

    def next_from(self, data: bytearray, start: int, end: int) -> int:
        """Return the first place from ``start`` (not negative) ending by ``end``, -1 if none is known."""
        at = self.at
        if at >= start:
            return at if at + self.size <= end else -1
        searched = self.searched
        needle, before, after = self.needle, self.before, self.after
        at = data.find(needle, start if start > searched else searched, end)
        while at >= 0 and (
            at == 0
            or data[at - 1] not in before
            or (after and at + self.size < len(data) and data[at + self.size] not in after)
        ):
            at = data.find(needle, at + 1, end)
        self.at = at
        if at >= 0:
            self.searched = at
        else:  # never back: a search may end before an earlier one did
            self.searched = max(searched, start, end - self.size + 1)
        return at

    def shift(self, offset: int) -> None:
        """Follow the buffer losing its first ``offset`` bytes."""
        self.at = self.at - offset if self.at >= offset else -1
        self.searched = max(0, self.searched - offset)


class _Element:
    """An element looked through for its end, its markers and the elements to cut in it, across reads."""

    __slots__ = ("cuts", "depth", "end", "markers", "named", "needles", "position", "start")

    def __init__(
        self,
        start: int,
        qualified: bytes,
        tag_end: int,
        markers: tuple[_Needle, ...],
        needles: tuple[_Needle, ...],
    ) -> None:
        self.start = start
        self.end = -1
        self.depth = 1
        self.position = tag_end  # the bytes before it are looked through
        # Its own name finds its end tag, and the start tags of elements of its name in it:
        # searched first, it bounds the search of the others (shared by all elements) to it.
        self.named = _Needle(qualified, _END_TAG_STARTS, _NAME_ENDS)
        self.markers = markers
        self.needles = needles
        self.cuts: list[tuple[int, int]] = []  # the spans of the elements cut in it if it is left in

    def shift(self, offset: int) -> None:
        """Follow the buffer losing its first ``offset`` bytes."""
        self.start -= offset
        self.position -= offset
        self.cuts = [(start - offset, end - offset) for start, end in self.cuts]
        self.named.shift(offset)


class _Cutter:
    """Stream a document's bytes with the elements named to it cut out (see :func:`iter_xml`).

    Each byte is searched for a few byte strings (the names at stake, "!" and "?" for
    comments, CDATA sections and processing instructions) by ``bytearray.find``, a
    bounded number of times: linear, and far faster than parsing.
    """

    def __init__(
        self,
        source: BinaryIO,
        skip: Collection[str],
        skip_unless: Mapping[str, Collection[str]],
        read_size: int,
    ) -> None:
        self.source = source
        self.read_size = read_size
        self.skipped = tuple(sorted({name.encode() for name in skip}))
        self.markers = {
            name.encode(): tuple(marker.encode() for marker in markers)
            for name, markers in skip_unless.items()
            if name.encode() not in self.skipped
        }
        # One needle for each byte string, shared by all: each byte is searched once for it.
        shared = {special: _Needle(special, _SPECIAL_STARTS) for special in (b"!", b"?")}
        for name in (
            *self.skipped,
            *self.markers,
            *(m for markers in self.markers.values() for m in markers),
        ):
            shared.setdefault(name, _Needle(name, _NAME_STARTS, _NAME_ENDS))
        self.shared = tuple(shared.values())
        self.needles = tuple(shared[name] for name in (b"!", b"?", *self.skipped, *self.markers))
        self.specials = (shared[b"!"], shared[b"?"])
        self.marker_needles = {
            name: tuple(shared[marker] for marker in markers) for name, markers in self.markers.items()
        }
        self.unless_needles = {
            name: (*(shared[skipped] for skipped in self.skipped), *self.specials, *self.marker_needles[name])
            for name in self.markers
        }
        self.data = bytearray()
        self.eof = False
        self.rooted = False  # whether the root's start tag is found
        self.position = 0  # the bytes before it are looked through, outside any element being cut
        self.emitted = 0  # the bytes before it went to expat already, or are cut
        self.closing: bytes | None = None  # the end of the comment, CDATA section or PI being passed
        self.element: _Element | None = None  # the element being looked through
        self.inner: _Element | None = None  # an element to cut found in it, being looked through
        self.cut_from = 0  # no element is cut before this: the root's start, or what was given up
        self.pieces: list[bytes] = []

    def chunks(self) -> Iterator[bytes]:
        """Yield the document's bytes, cut."""
        while not self.eof:
            chunk = self.source.read(self.read_size)
            self.data += chunk
            self.eof = not chunk
            if not self.rooted:
                root = _root_start(self.data, self.eof)
                if root is None:
                    continue
                self.rooted = True
                self.cut_from = root + 1 if root >= 0 else 1 << 62
            held = self._pass()
            if held > self.emitted:
                self.pieces.append(bytes(self.data[self.emitted : held]))
                self.emitted = held
            if self.pieces:
                yield b"".join(self.pieces)
                self.pieces.clear()
            self._trim()

    def _trim(self) -> None:
        """Drop the bytes given to expat, once they are many."""
        offset = self.emitted
        if offset < self.read_size and offset < len(self.data) // 2:
            return
        del self.data[:offset]
        self.emitted = 0
        self.position = max(0, self.position - offset)  # it may lag behind what expat has
        self.cut_from -= offset
        for needle in self.shared:
            needle.shift(offset)
        for element in (self.element, self.inner):
            if element is not None:
                element.shift(offset)

    def _pass(self) -> int:
        """Cut what can be cut in the buffer; return up to where it can go to expat."""
        data = self.data
        while True:
            if self.element is not None:
                if not self._look_through_outer(self.element):
                    return self.element.start
                continue
            if self.closing is not None:
                end = data.find(self.closing, self.position)
                if end < 0:
                    self.position = max(self.position, len(data) - len(self.closing) + 1)
                    return len(data) if self.eof else self.position
                self.position = end + len(self.closing)
                self.closing = None
            found, place = b"", -1
            for needle in self.needles:
                at = needle.next_from(
                    data, self.position, len(data) if place < 0 else place + len(needle.needle)
                )
                if at >= 0 and (place < 0 or at < place or len(needle.needle) > len(found)):
                    found, place = needle.needle, at  # the longest name first: a shorter one there is no tag
            if place < 0:
                return len(data) if self.eof else max(self.emitted, len(data) - _HELD_BYTES)
            if len(data) - place < len(found) + 16 and not self.eof:
                self.position = place
                return max(self.emitted, place - _HELD_BYTES)
            self.position = place + 1
            if found in (b"!", b"?"):
                if data[place - 1] == ord("<"):
                    self.closing = _special_end(data, place - 1)
                continue
            start = _tag_start(data, place, len(found))
            if start < max(self.emitted, self.cut_from):
                continue
            tag = _TAG_REST.match(data, place + len(found))
            if tag is None:  # cut off by the read (or broken): read on, then look again
                if not self.eof and len(data) - start < _CUT_LIMIT:
                    self.position = start
                    return start
                continue
            if data[tag.end() - 2] == ord("/"):  # <name .../>: no child, no marker
                self._cut(start, tag.end())
                continue
            qualified = bytes(data[start + 1 : place + len(found)])
            if found in self.skipped:
                self.element = _Element(start, qualified, tag.end(), (), self.specials)
            else:
                needles = self.unless_needles[found]
                self.element = _Element(start, qualified, tag.end(), self.marker_needles[found], needles)

    def _look_through_outer(self, element: _Element) -> bool:
        """Cut the element, or leave it in, if the buffer shows which; False to read on."""
        while True:
            inner = self.inner
            if inner is not None:
                if self._look_through(inner) == _MORE:
                    return self._given_up(element)
                element.cuts.append((inner.start, inner.end))
                element.position = inner.end
                self.inner = None
            outcome = self._look_through(element)
            if outcome == _MORE:
                return self._given_up(element)
            if outcome == _ENDED:
                self._cut(element.start, element.end)
                self.element = None
                return True
            if outcome == _MARKED:
                self._leave_in(element)
                return True

    def _look_through(self, element: _Element) -> int:
        """Look through the element in the buffer: to its end, a marker or an element to cut in it."""
        data = self.data
        named = element.named
        while True:
            place = named.next_from(data, element.position, len(data))
            found = named if place >= 0 else None
            for needle in element.needles:
                at = needle.next_from(
                    data, element.position, len(data) if place < 0 else place + len(needle.needle)
                )
                if at >= 0 and (found is None or at < place or len(needle.needle) > len(found.needle)):
                    found, place = needle, at  # the longest name first: a shorter one there is no tag
            if found is None:
                return _MORE
            after = place + len(found.needle)
            if len(data) - after < 16 and not self.eof:
                return _MORE
            element.position = place + 1
            if found is named:
                if data[place - 1] == ord("<") and after < len(data) and data[after] in _NAME_ENDS:
                    tag = _TAG_REST.match(data, after)
                    if tag is None:
                        return _MORE
                    element.position = tag.end()
                    element.depth += data[tag.end() - 2] != ord("/")
                elif data[place - 2 : place] == b"</" and after < len(data) and data[after] in _CLOSE_ENDS:
                    element.depth -= 1
                    if element.depth == 0:
                        element.end = data.find(b">", after) + 1
                        return _ENDED if element.end else _MORE
            elif found.needle in (b"!", b"?"):
                if data[place - 1] == ord("<"):
                    closing = _special_end(data, place - 1)
                    if closing is not None:
                        end = data.find(closing, place + 1)
                        if end < 0:
                            return _MORE
                        element.position = end + len(closing)
            elif _tag_start(data, place, len(found.needle)) < 0:
                continue
            elif found in element.markers:
                element.position = place
                return _MARKED
            else:
                start = _tag_start(data, place, len(found.needle))
                tag = _TAG_REST.match(data, after)
                if tag is None:
                    element.position = start
                    return _MORE
                if data[tag.end() - 2] == ord("/"):
                    element.cuts.append((start, tag.end()))
                    element.position = tag.end()
                    continue
                element.position = start
                self.inner = _Element(start, bytes(data[start + 1 : after]), tag.end(), (), self.specials)
                return _NESTED

    def _cut(self, start: int, end: int) -> None:
        """Give expat the bytes before the element, and the element's newlines instead of it."""
        self.pieces.append(bytes(self.data[self.emitted : start]))
        self.pieces.append(b"\n" * self.data.count(b"\n", start, end))
        self.emitted = self.position = end

    def _leave_in(self, element: _Element) -> None:
        """Leave the element in but for the elements cut in it; go on where its look stopped."""
        for start, end in element.cuts:
            self._cut(start, end)
        self.position = element.position
        self.element = self.inner = None

    def _given_up(self, element: _Element) -> bool:
        """Read on for the element's end, unless the report ends or it is too long: then leave it in."""
        if not self.eof and len(self.data) - element.start < _CUT_LIMIT:
            return False
        self.cut_from = len(self.data)  # what was looked through is not looked at again
        self._leave_in(element)
        for needle in self.shared:  # they may have been searched past where the look goes on
            needle.at, needle.searched = -1, 0
        return True


def _special_end(data: bytearray, start: int) -> bytes | None:
    """Return the end of the comment, CDATA section or PI starting there, None if none does."""
    return next((end for special, end in _SPECIAL_ENDS.items() if data.startswith(special, start)), None)


def _tag_start(data: bytearray, place: int, size: int) -> int:
    """Return where the start tag whose local name is at ``place`` begins, -1 if it is no start tag."""
    if place == 0 or place + size >= len(data) or data[place + size] not in _NAME_ENDS:
        return -1
    before = data[place - 1]
    if before == ord("<"):
        return place - 1
    if before != ord(":"):
        return -1
    opening = data.rfind(b"<", max(0, place - 2 - _PREFIX_LIMIT), place - 1)
    if opening < 0 or not _PREFIX.fullmatch(data, opening + 1, place - 1):
        return -1
    return opening


def _root_start(data: bytearray, eof: bool) -> int | None:
    """Return where the root element starts: -1 if it is not after a plain prolog, None to read on."""
    position = 3 if data.startswith(BOM) else 0
    while position < len(data) and position < PROLOG_LIMIT:
        if data[position] in _WHITESPACE:
            position += 1
            continue
        if len(data) - position < 4 and not eof:
            return None
        closing = next(
            (end for special, end in _SPECIAL_ENDS.items() if data.startswith(special, position)), None
        )
        if closing is None:
            plain = data.startswith(b"<", position) and not data.startswith(b"<!", position)
            return position if plain else -1
        end = data.find(closing, position + 2)
        if end < 0:
            break
        position = end + len(closing)
    return None if not eof and len(data) < PROLOG_LIMIT else -1


def root_attributes(head: str, tag: str) -> dict[str, str]:
    """Return the attributes of the first ``<tag ...>`` start tag in a report's head.

    The root element ends last, so a streaming read sees its attributes too late;
    the report's head has them.
    """
    match = re.search(rf"<{re.escape(tag)}(\s[^>]*)?>", head)
    if match is None or not match.group(1):
        return {}
    return {
        name: html.unescape(double if double is not None else single)
        for name, double, single in _ATTRIBUTE.findall(match.group(1))
    }


def local_name(tag: str) -> str:
    """Return a tag without its ``{namespace}``."""
    try:
        return _LOCAL_NAMES[tag]
    except KeyError:
        name = tag.rsplit("}", 1)[-1]
        if len(_LOCAL_NAMES) < _LOCAL_NAMES_KEPT:
            _LOCAL_NAMES[tag] = name
        return name


# Reports use a few dozen tags, asked about millions of times.
_LOCAL_NAMES: dict[str, str] = {}
_LOCAL_NAMES_KEPT = 10_000


def child(element: Element | None, name: str) -> Element | None:
    """Return the first child with this local name."""
    if element is None:
        return None
    return next((found for found in element if local_name(found.tag) == name), None)


def children(element: Element | None, name: str) -> list[Element]:
    """Return the children with this local name."""
    return [] if element is None else [found for found in element if local_name(found.tag) == name]


def descendants(element: Element | None, name: str) -> Iterator[Element]:
    """Return the element's descendants (and itself) with this local name."""
    if element is None:
        return iter(())
    return (found for found in element.iter() if local_name(found.tag) == name)


def children_by_name(element: Element) -> dict[str, Element]:
    """Return an element's first child of each local name, by name, in one pass over them.

    For a record whose fields are children: one pass instead of a search per field.
    """
    return {local_name(found.tag): found for found in reversed(element)}  # the first one wins


def named_text(children: dict[str, Element], name: str) -> str:
    """Return the stripped text of a child of :func:`children_by_name`, "" if there is none."""
    found = children.get(name)
    return (found.text or "").strip() if found is not None else ""


def child_text(element: Element | None, name: str, default: str = "") -> str:
    """Return the stripped text of the first child with this local name."""
    found = child(element, name)
    return (found.text or "").strip() if found is not None else default
