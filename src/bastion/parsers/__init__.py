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
from bastion.parsers.base import HEAD_BYTES, ReportParser
from bastion.parsers.exceptions import MalformedReport, ParserError, UnknownFormat
from bastion.parsers.readers import EMPTY_REPORT, first_byte, peek

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

_NOT_FORMATS = frozenset({"base", "exceptions", "grouping", "readers", "text", "values"})


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
        raise UnknownFormat(
            "the report's format was not recognised; name it with the `format` field (API) or --format (CLI)"
        )
    return best[2]


def parse_report(
    stream: BinaryIO, *, format_name: str | None = None
) -> tuple[ReportParser, Iterator[NormalizedFinding]]:
    """Choose the parser (forced or detected from content) and return it with its findings.

    The report is read from where the stream stands; its head is read for detection,
    then parsing starts over (a stream that cannot seek is replayed from memory).
    An empty report has no format to detect and is refused; with its format named it
    goes to that parser, which knows whether its format allows empty content (a JSON
    Lines report with no lines has no findings; an empty JSON or XML document is not
    a report).
    """
    if format_name is not None:
        parser = get_parser(format_name)
    else:
        first, stream = first_byte(stream)
        if not first:
            raise MalformedReport(EMPTY_REPORT)
        head, stream = peek(stream)
        parser = detect_format(head)
    return parser, _checked(parser, stream)


def _checked(parser: ReportParser, stream: BinaryIO) -> Iterator[NormalizedFinding]:
    """Yield the parser's findings; a shape its format does not allow becomes MalformedReport."""
    count = 0
    try:
        for finding in parser.parse(stream):
            yield finding
            count += 1
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise MalformedReport(f"{field}: {first['msg']}", position=f"finding[{count}]") from error
    except (LookupError, TypeError, ValueError, AttributeError) as error:
        # The report broke an assumption the parser did not check: name the finding it was on.
        raise MalformedReport(
            f"not a valid {parser.label} report: {type(error).__name__}: {error}",
            position=f"finding[{count}]",
        ) from error
