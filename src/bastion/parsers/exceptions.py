"""Parser errors.

ParserError
├── UnknownFormat     no parser recognises the content, or the forced format does not exist
└── MalformedReport   the content is not a valid report of its format; says where
"""

from __future__ import annotations


class ParserError(Exception):
    """Base of every parser error; its message is shown to the user as it is."""


class UnknownFormat(ParserError):  # noqa: N818 - reads as what happened
    """No parser recognises the report."""


class MalformedReport(ParserError):  # noqa: N818
    """The report breaks its format; ``position`` names the record or byte where."""

    def __init__(self, message: str, *, position: str | None = None) -> None:
        self.reason = message
        self.position = position
        super().__init__(f"{message} (at {position})" if position else message)
