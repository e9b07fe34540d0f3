"""Text a finding shows: clipped and free of control characters, titles, HTML made plain, URLs.

Every string a parser puts in a finding's text fields goes through :func:`clip` (or
:func:`title`), so that no control character reaches the database and no field
passes its limit.
"""

from __future__ import annotations

import html
import re

from bastion.contracts.finding import MAX_TEXT, MAX_TITLE
from bastion.parsers.exceptions import MalformedReport

__all__ = ["ABSURD_FIELD_CHARACTERS", "clip", "html_text", "redacted", "title", "urls"]

CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
# The same characters as a pattern (to remove them) and as bytes (to find them: in UTF-8 each is
# one byte that no other character's encoding holds, and deleting bytes is several times faster
# than a pattern search; most texts have none).
_CONTROL = re.compile("[" + "".join(f"\\x{c:02x}" for c in CONTROL_CHARACTERS) + "]")
_CONTROL_BYTES = bytes(CONTROL_CHARACTERS)
#: Longer than this, one field is not a finding's text but a broken or hostile report.
ABSURD_FIELD_CHARACTERS = 1_000_000


def clip(text: object, limit: int = MAX_TEXT) -> str:
    """Return ``text`` as a string of at most ``limit`` characters, without control characters.

    NUL and other control characters never reach the database (PostgreSQL refuses NUL).
    """
    if text is None:
        return ""
    value = str(text)
    if len(value) > ABSURD_FIELD_CHARACTERS:
        raise MalformedReport(
            f"a field of {len(value):,} characters is longer than the limit of {ABSURD_FIELD_CHARACTERS:,}"
        )
    encoded = value.encode("utf-8", "surrogatepass")
    if len(encoded.translate(None, _CONTROL_BYTES)) != len(encoded):
        value = _CONTROL.sub("", value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def title(text: object, fallback: str = "Untitled finding") -> str:
    """Return a one-line title of at most MAX_TITLE characters."""
    value = " ".join(str(text or "").split()) or fallback
    return clip(value, MAX_TITLE)


def redacted(secret: str) -> str:
    """Return at most a secret's first four characters (fewer for short ones) and an ellipsis."""
    return f"{secret[: min(4, len(secret) // 2)]}…" if secret else ""


_LINE_BREAK = re.compile(r"<\s*(?:br|/?p|/?div|/li|/tr|/h\d|/ul|/ol)\b[^<>]{0,200}>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<\s*li\b[^<>]{0,200}>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]{0,2000}>")
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_URL_START = re.compile(r"(?=https?://)", re.IGNORECASE)


def html_text(value: str) -> str:
    """Return the text of an HTML fragment, one line per paragraph or list item."""
    folded = " ".join(value.split())  # in HTML a line break in the source is a space
    if "<" not in folded:  # plain text (most of it): one line, entities aside
        return folded if "&" not in folded else " ".join(html.unescape(folded).split())
    folded = _LIST_ITEM.sub("\n- ", _LINE_BREAK.sub("\n", folded))
    plain = html.unescape(_TAG.sub("", folded))
    lines = (" ".join(line.split()) for line in plain.splitlines())
    return "\n".join(line for line in lines if line)


def urls(value: str) -> list[str]:
    """Return the URLs in ``value`` (text or HTML), splitting ones written back to back."""
    found: list[str] = []
    for match in _URL.findall(html.unescape(value)):
        for url in _URL_START.split(match):
            url = url.rstrip(".,;")
            if url.endswith(")") and url.count(")") > url.count("("):
                url = url[:-1]
            if url and url not in found:
                found.append(url)
    return found
