"""Reading CSV exports row by row, their columns found by the names tools give them.

Part of :mod:`bastion.parsers.readers`, which parsers import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator, Iterator, Mapping, Sequence
from contextlib import closing, suppress
from typing import BinaryIO

from bastion.parsers._streams import EMPTY_REPORT
from bastion.parsers.exceptions import MalformedReport


def iter_csv(stream: BinaryIO, *, delimiter: str = ",") -> Generator[tuple[int, list[str]]]:
    """Yield ``(line number, cells)`` of each row that is not blank (UTF-8, BOM allowed)."""
    decoded = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(decoded, delimiter=delimiter, strict=True)  # a quote left open is damage, not text
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield reader.line_num, row
    except csv.Error as error:
        raise MalformedReport(f"invalid CSV: {error}", position=f"line {reader.line_num}") from error
    except UnicodeDecodeError as error:  # decoded a block ahead: the line is the next to read
        raise MalformedReport(
            f"the CSV is not UTF-8: {error.reason}", position=f"line {reader.line_num + 1}"
        ) from error
    finally:
        # Give the stream back to its owner; one closed meanwhile needs no giving back.
        with suppress(ValueError):
            decoded.detach()


def iter_csv_records(
    stream: BinaryIO,
    columns: Mapping[str, Sequence[str]],
    *,
    required: Mapping[str, str],
    header_rows: int = 1,
    delimiter: str = ",",
) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield ``(position, values)`` for each row, its values under the keys of ``columns``.

    ``columns`` gives each key's header names, lower-case, as the tool's exports
    spell them; a column the header lacks reads as "". The header is the first
    row, among the first ``header_rows`` (a preamble before it is skipped), naming
    every ``required`` key (with its label for the error message). ``delimiter``: as
    :func:`iter_csv`'s.
    """
    with closing(iter_csv(stream, delimiter=delimiter)) as rows:
        yield from _csv_records(rows, columns, required, header_rows)


def _csv_records(
    rows: Iterator[tuple[int, list[str]]],
    columns: Mapping[str, Sequence[str]],
    required: Mapping[str, str],
    header_rows: int,
) -> Iterator[tuple[str, dict[str, str]]]:
    header: list[str] | None = None
    has_rows = False
    for line, row in rows:
        has_rows = True
        names = [cell.strip().lower() for cell in row]
        if all(any(name in names for name in columns[key]) for key in required):
            header = names
            break
        if line >= header_rows:
            break
    if not has_rows:
        raise MalformedReport(EMPTY_REPORT)
    if header is None:
        labels = " and ".join(required.values())
        plural = "s" if len(required) > 1 else ""
        raise MalformedReport(
            f"no CSV header row naming the {labels} column{plural}",
            position="line 1" if header_rows == 1 else None,
        )
    where = {
        key: next((header.index(name) for name in names if name in header), None)
        for key, names in columns.items()
    }
    for line, row in rows:
        if len(row) != len(header):
            raise MalformedReport(
                f"row has {len(row)} fields where the header has {len(header)}",
                position=f"line {line}",
            )
        yield (
            f"line {line}",
            {key: row[index].strip() if index is not None else "" for key, index in where.items()},
        )


def csv_header(text: str) -> set[str]:
    """Return the lower-cased cells of the first line of ``text`` (for detection)."""
    try:
        cells = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")]), [])
    except csv.Error:
        return set()
    return {cell.strip().lower() for cell in cells}
