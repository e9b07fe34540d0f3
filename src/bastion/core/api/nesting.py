"""The nesting depth of a JSON request body, counted as its bytes arrive.

Every API that reads JSON (the core's REST API, the scanner and the agent) refuses a
body nested deeper than ``MAX_JSON_DEPTH`` before decoding it: a decoder given a
deeply nested body recurses until it fails. No API body needs more than a few levels.
Reports are not API bodies: their readers have their own limit. No Django here, so
the FastAPI services can use it before Django is set up.
"""

from __future__ import annotations

import re

MAX_JSON_DEPTH = 64

# Outside a string only brackets and quotes matter; inside one, everything up to the closing
# quote is skipped in one match (escaped characters included), so a long string costs one step.
_STRUCTURE = re.compile(rb'[\[\]{}"]')
_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)


class JsonTooDeep(ValueError):
    """The body nests arrays and objects deeper than the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the JSON body nests deeper than {limit} levels")
        self.limit = limit


class NestingCounter:
    """Follow the depth of a JSON text fed in chunks; raise ``JsonTooDeep`` past the limit.

    It does not validate the JSON (the decoder does that afterwards); it only makes sure
    the decoder is never given more depth than ``limit``.
    """

    def __init__(self, limit: int = MAX_JSON_DEPTH) -> None:
        self.limit = limit
        self.depth = 0
        self.in_string = False
        self.escaped = False  # the previous chunk ended inside a string, on a backslash

    def feed(self, chunk: bytes) -> None:
        """Count the brackets of the next chunk of the body."""
        position, end = 0, len(chunk)
        while position < end:
            if self.in_string:
                if self.escaped:
                    position += 1
                    self.escaped = False
                    continue
                rest = _STRING_REST.match(chunk, position)
                assert rest is not None  # the pattern matches the empty string
                position = rest.end()
                if position == end:
                    return
                if chunk[position] == ord("\\"):  # a backslash at the end of the chunk
                    self.escaped = True
                else:  # the closing quote
                    self.in_string = False
                position += 1
                continue
            found = _STRUCTURE.search(chunk, position)
            if found is None:
                return
            character = chunk[found.start()]
            position = found.end()
            if character == ord('"'):
                self.in_string = True
            elif character in b"[{":
                self.depth += 1
                if self.depth > self.limit:
                    raise JsonTooDeep(self.limit)
            else:
                self.depth -= 1


def check_nesting(body: bytes, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise ``JsonTooDeep`` when a whole JSON body nests deeper than ``limit``."""
    NestingCounter(limit).feed(body)
