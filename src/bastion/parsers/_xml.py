"""Streaming XML through defusedxml, and reading the elements it yields.

Part of :mod:`bastion.parsers.readers`, which parsers import.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterable, Iterator
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
        for events in _event_batches(source):
            for event, element in events:
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


def _event_batches(source: BinaryIO) -> Iterator[Iterable[tuple[str, Element]]]:
    """Yield the document's start and end events, in batches, through the fastest parser that is safe.

    Entities can only be declared in a DOCTYPE, and a DOCTYPE only stands in the prolog:
    a document in an encoding that writes ``<!DOCTYPE`` as those bytes, whose prolog
    has none, can declare nothing, and any entity it names (but the five of XML) is an
    error of expat's. Such a document, nearly every report, goes through the C parser
    (ElementTree's own, some three times faster); any other one through defusedxml's
    parser, which refuses DTDs, entities and external references itself.
    """
    head = source.read(HEAD_BYTES) or b""
    source = replayed(head, source)
    if not _plainly_without_doctype(head):
        yield iterparse(
            source, events=("start", "end"), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
        return
    parser = XMLPullParser(events=("start", "end"))
    while chunk := source.read(_FEED_BYTES):
        parser.feed(chunk)
        yield cast(Iterator[tuple[str, Element]], parser.read_events())
    parser.close()
    yield cast(Iterator[tuple[str, Element]], parser.read_events())


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
