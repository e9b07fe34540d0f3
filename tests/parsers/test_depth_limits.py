"""Issue 9, item 2: every JSON and XML reader refuses a report nesting deeper than MAX_DEPTH.

The depth is refused before the readers' memory grows with it: ijson's prefixes grow
with the square of the depth (200,000 nested arrays took a worker past 9 GB).
"""

from __future__ import annotations

import csv
import io
import re
import tracemalloc
from pathlib import Path

import orjson
import pytest

from bastion.parsers import MalformedReport, parse_report, readers
from bastion.parsers._json import DepthGauge

SCANS = Path(__file__).parents[1] / "fixtures" / "scans"
TOO_DEEP = "the report nests deeper than 256 levels"
LIMIT = readers.MAX_DEPTH


def _arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _elements(depth: int) -> bytes:
    return b"<e>" * depth + b"</e>" * depth


def _depth_of(value: object) -> int:
    """Return how deeply a list nests lists, its first items followed down."""
    depth = 0
    while isinstance(value, list):
        depth += 1
        value = value[0] if value else None
    return depth


def _samples() -> list[tuple[str, Path]]:
    """One real report of each format and syntax (JSON, JSON Lines, XML), valid and not empty."""
    with (SCANS / "EXPECTED.tsv").open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    chosen: dict[tuple[str, str], Path] = {}
    for row in rows:
        path = SCANS / row["tool"] / row["file"]
        if row["notes"].startswith("ERROR") or not path.exists() or not path.stat().st_size:
            continue
        first = path.read_bytes().lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if first in (b"{", b"[", b"<"):
            chosen.setdefault((row["tool"], path.suffix), path)
    return [(tool, path) for (tool, _), path in sorted(chosen.items())]


def _nested_inside(report: bytes, depth: int) -> bytes:
    """Return the report with ``depth`` more levels nested just inside its top-level value."""
    if report.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        root = re.search(rb"<[A-Za-z_][^>]*>", report)
        assert root is not None
        return report[: root.end()] + _elements(depth) + report[root.end() :]
    opening = re.search(rb"[\[{]", report)
    assert opening is not None
    inserted = b'"bastion-deep": ' + _arrays(depth) if opening.group() == b"{" else _arrays(depth)
    return report[: opening.end()] + inserted + b", " + report[opening.end() :]


SAMPLES = _samples()


def test_item_2_ijson_reader_accepts_the_limit_and_refuses_one_level_more() -> None:
    # given: arrays nested just as deep as allowed, then one level more, inside each record
    at_limit = b'{"results": [' + _arrays(LIMIT - 2) + b"]}"
    past_limit = b'{"results": [' + _arrays(LIMIT - 1) + b"]}"
    # when / then: the C path (one array) and the event path (JsonReader with context)
    assert [_depth_of(value) for _, value in readers.iter_json(io.BytesIO(at_limit), "results.item")] == [
        LIMIT - 2
    ]
    with pytest.raises(MalformedReport) as refused:
        list(readers.iter_json(io.BytesIO(past_limit), "results.item"))
    assert str(refused.value) == TOO_DEEP
    reader = readers.JsonReader(io.BytesIO(past_limit), ["results.item"], context=["version"], late=["tool"])
    with pytest.raises(MalformedReport) as refused_by_events:
        list(reader)
    assert str(refused_by_events.value) == TOO_DEEP


def test_item_2_ijson_reader_refuses_deep_nesting_before_its_memory_grows() -> None:
    # given: 10,000 nested arrays, which took ijson 287 MB (200,000 took a worker past 9 GB)
    report = b'{"results": [' + _arrays(10_000) + b"]}"
    # when
    tracemalloc.start()
    try:
        with pytest.raises(MalformedReport) as refused:
            list(readers.iter_json(io.BytesIO(report), "results.item"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # then: prefixes of at most 256 levels were held, never 10,000
    assert str(refused.value) == TOO_DEEP
    assert peak < 2 * 1024 * 1024


class _OneWayStream(io.BytesIO):
    """A stream that cannot seek, like a pipe."""

    def seekable(self) -> bool:
        return False


def test_item_2_a_stream_that_cannot_seek_is_measured_as_it_is_copied() -> None:
    # given
    at_limit = b'{"results": [' + _arrays(LIMIT - 2) + b"]}"
    past_limit = b'{"results": [' + _arrays(LIMIT - 1) + b"]}"
    # when / then
    read = [_depth_of(value) for _, value in readers.iter_json(_OneWayStream(at_limit), "results.item")]
    assert read == [LIMIT - 2]
    with pytest.raises(MalformedReport) as refused:
        list(readers.iter_json(_OneWayStream(past_limit), "results.item"))
    assert str(refused.value) == TOO_DEEP


def test_item_2_brackets_inside_strings_do_not_count() -> None:
    # given: strings full of brackets, quotes and escapes, nested exactly as deep as allowed
    text = '[[{{\\"]]\\\\' + "[" * 1000
    report = ("[" * (LIMIT - 1) + f'{{"a{text}": "{text}"}}' + "]" * (LIMIT - 1)).encode()
    assert orjson.loads(report)  # valid JSON
    # when: read in chunks of every small size, cutting strings and escapes anywhere
    for size in (1, 2, 3, 5, 7, 64 * 1024):
        gauge = DepthGauge()
        for start in range(0, len(report), size):
            gauge.feed(report[start : start + size])
        # then
        assert gauge.depth == 0
    with pytest.raises(MalformedReport) as refused:
        DepthGauge().feed(b"[" + report + b"]")
    assert str(refused.value) == TOO_DEEP


def test_item_2_orjson_reader_refuses_past_the_limit_naming_it() -> None:
    # given: whole-document reads (formats whose reports are small) and JSON Lines
    at_limit = b'{"data": ' + _arrays(LIMIT - 1) + b"}"
    past_limit = b'{"data": ' + _arrays(LIMIT) + b"}"
    past_orjson_limit = b'{"data": ' + _arrays(5_000) + b"}"
    # when / then
    assert _depth_of(readers.load_json(io.BytesIO(at_limit))["data"]) == LIMIT - 1
    for report in (past_limit, past_orjson_limit):
        with pytest.raises(MalformedReport) as refused:
            readers.load_json(io.BytesIO(report))
        assert str(refused.value) == TOO_DEEP
    lines = b'{"ok": 1}\n' + past_limit + b"\n"
    with pytest.raises(MalformedReport) as refused_line:
        list(readers.iter_json_lines(io.BytesIO(lines)))
    assert str(refused_line.value) == TOO_DEEP
    read = [value for _, value in readers.iter_json_lines(io.BytesIO(b'{"ok": 1}\n' + at_limit))]
    assert (read[0], _depth_of(read[1]["data"])) == ({"ok": 1}, LIMIT - 1)


def test_item_2_xml_reader_accepts_the_limit_and_refuses_one_level_more() -> None:
    # given: the root and the elements below it, just as deep as allowed, then one more
    at_limit = b"<root><item>" + _elements(LIMIT - 2) + b"</item></root>"
    past_limit = b"<root><item>" + _elements(LIMIT - 1) + b"</item></root>"
    # when / then
    assert [element.tag for element in readers.iter_xml(io.BytesIO(at_limit), ["item"])] == ["item"]
    with pytest.raises(MalformedReport) as refused:
        list(readers.iter_xml(io.BytesIO(past_limit), ["item"]))
    assert str(refused.value) == TOO_DEEP


def test_item_2_xml_reader_refuses_deep_nesting_before_its_memory_grows() -> None:
    report = b"<root>" + _elements(200_000) + b"</root>"  # 1.8 MB
    tracemalloc.start()
    try:
        with pytest.raises(MalformedReport) as refused:
            list(readers.iter_xml(io.BytesIO(report), ["item"]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(refused.value) == TOO_DEEP
    assert peak < 4 * 1024 * 1024


@pytest.mark.parametrize(("tool", "path"), SAMPLES, ids=[f"{tool}/{path.name}" for tool, path in SAMPLES])
def test_item_2_every_json_and_xml_format_refuses_a_report_nesting_too_deep(tool: str, path: Path) -> None:
    # given: a real report of the format with one level too many just inside its top level
    report = _nested_inside(path.read_bytes(), LIMIT)
    # when
    with pytest.raises(MalformedReport) as refused:
        list(parse_report(io.BytesIO(report), format_name=tool)[1])
    # then
    assert str(refused.value) == TOO_DEEP
