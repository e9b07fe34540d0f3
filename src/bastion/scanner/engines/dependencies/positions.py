"""Line numbers for parsers that give none (tomllib, json): found again in the text, by the file's layout."""

from __future__ import annotations

import re
from collections import deque

_TOML_PACKAGE_HEADER = re.compile(r"^\s*\[\[package\]\]\s*$")
_TOML_STRING_FIELD = re.compile(r'^\s*(name|version)\s*=\s*"([^"]*)"')
_JSON_OBJECT_KEY = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"\s*:\s*\{')


def toml_package_lines(text: str) -> dict[tuple[str, str], int]:
    """Map each ``[[package]]`` table's (name, version) to the line of its header."""
    found: dict[tuple[str, str], int] = {}
    header: int | None = None
    fields: dict[str, str] = {}

    def flush() -> None:
        if header is not None and "name" in fields:
            found.setdefault((fields["name"], fields.get("version", "")), header)

    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("["):
            flush()
            header = number if _TOML_PACKAGE_HEADER.match(line) else None
            fields = {}
            continue
        match = _TOML_STRING_FIELD.match(line)
        if header is not None and match and match.group(1) not in fields:
            fields[match.group(1)] = match.group(2)
    flush()
    return found


class JsonKeyLines:
    """Hand out, key by key and in document order, the lines where an object-valued key opens.

    A reader that walks the parsed document depth-first in document order asks for the keys in the
    order they appear in the text, so each request takes the next line for that key.
    """

    def __init__(self, text: str) -> None:
        self._lines: dict[str, deque[int]] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            match = _JSON_OBJECT_KEY.match(line)
            if match:
                self._lines.setdefault(match.group(1), deque()).append(number)

    def take(self, key: str) -> int | None:
        """Return the next line where ``key`` opens an object, or None if the text has no more."""
        queue = self._lines.get(key)
        return queue.popleft() if queue else None


def first_lines(text: str, pattern: re.Pattern[str]) -> dict[str, int]:
    """Map the first group of each line matching the pattern to the first line where it appears."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = pattern.match(line)
        if match:
            found.setdefault(match.group(1), number)
    return found
