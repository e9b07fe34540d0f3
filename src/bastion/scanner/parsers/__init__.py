"""Report parsers, one module per format, found by the registry at import time.

Use :func:`get_parser`, :func:`detect_format` and :func:`parse_report`; each
format module exposes ``PARSER``, an instance of :class:`ReportParser`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from functools import cache
from typing import BinaryIO

from pydantic import ValidationError

from bastion.contracts.finding import NormalizedFinding
from bastion.scanner.parsers.base import HEAD_BYTES, ReportParser
from bastion.scanner.parsers.exceptions import MalformedReport, ParserError, UnknownFormat

__all__ = [
    "HEAD_BYTES",
    "MalformedReport",
    "ParserError",
    "ReportParser",
    "UnknownFormat",
    "all_parsers",
    "detect_format",
    "get_parser",
    "parse_report",
]

_NOT_FORMATS = frozenset({"base", "common", "exceptions"})


@cache
def all_parsers() -> dict[str, ReportParser]:
    """Return every parser by name, sorted by name."""
    found: dict[str, ReportParser] = {}
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name in _NOT_FORMATS or module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        parser = getattr(module, "PARSER", None)
        if isinstance(parser, ReportParser):
            found[parser.name] = parser
    return dict(sorted(found.items()))


def get_parser(name: str) -> ReportParser:
    """Return the parser of a named format."""
    try:
        return all_parsers()[name]
    except KeyError:
        known = ", ".join(all_parsers())
        raise UnknownFormat(f"unknown format {name!r}; known formats: {known}") from None


def detect_format(head: bytes) -> ReportParser:
    """Return the parser most sure that ``head`` starts a report of its format."""
    scored = [(parser.detect(head), parser.name, parser) for parser in all_parsers().values()]
    best = max(scored, key=lambda entry: (entry[0], entry[1]), default=None)
    if best is None or best[0] <= 0:
        raise UnknownFormat("the report's format was not recognised; name it with --format")
    return best[2]


def parse_report(
    stream: BinaryIO, *, format_name: str | None = None
) -> tuple[ReportParser, Iterator[NormalizedFinding]]:
    """Choose the parser (forced or detected from content) and return it with its findings.

    The stream must be seekable: its head is read for detection, then parsing starts over.
    """
    if format_name is not None:
        parser = get_parser(format_name)
    else:
        head = stream.read(HEAD_BYTES)
        stream.seek(0)
        if not head.strip():
            raise MalformedReport("the report is empty")
        parser = detect_format(head)
    return parser, _checked(parser, stream)


def _checked(parser: ReportParser, stream: BinaryIO) -> Iterator[NormalizedFinding]:
    number = 0
    try:
        for number, finding in enumerate(parser.parse(stream), start=1):  # noqa: B007
            yield finding
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise MalformedReport(
            f"{field}: {first['msg']}", position=f"finding {number + 1}"
        ) from error
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        # A parser met a shape its format does not allow: reject the report, naming where.
        raise MalformedReport(
            f"not a valid {parser.label} report: {type(error).__name__}: {error}",
            position=f"finding {number + 1}",
        ) from error
