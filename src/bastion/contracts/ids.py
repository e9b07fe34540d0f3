"""Row ids as every database Bastion uses stores them: 64-bit signed, from 1."""

from __future__ import annotations

#: The largest id a row can have: a larger number names nothing, and must never reach a query.
MAX_ROW_ID = 2**63 - 1


def row_id(text: str) -> int | None:
    """Return the id a text holds (ASCII digits only, within the row-id range), or None."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ROW_ID)):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ROW_ID else None
