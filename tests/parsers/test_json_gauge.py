"""The JSON depth gauge and the value-end finder agree with a byte-by-byte reading, chunks cut anywhere."""

from __future__ import annotations

import json
import random
from itertools import accumulate

import pytest

from bastion.parsers import MalformedReport, readers
from bastion.parsers._json import DepthGauge, _end_in

LIMIT = readers.MAX_DEPTH
# What strings are made of: every escape, brackets and quotes, and the letters escapes use.
PIECES = ["[", "]", "{", "}", '"', "\\", "\\\\", '\\"', "n", "u", "/", "a", " ", "\n", "é", "\\u005b"]


def _reference(document: bytes) -> list[int]:
    """Return the depth after each byte, reading the document one byte at a time."""
    depths: list[int] = []
    depth, in_string, escaped = 0, False, False
    for byte in document:
        if in_string:
            if escaped:
                escaped = False
            elif byte == ord("\\"):
                escaped = True
            elif byte == ord('"'):
                in_string = False
        elif byte == ord('"'):
            in_string = True
        elif byte in b"[{":
            depth += 1
        elif byte in b"]}":
            depth -= 1
        depths.append(depth)
    return depths


def _generator(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - seeded test data, repeatable; no secret


def _string(generator: random.Random) -> str:
    return "".join(generator.choice(PIECES) for _ in range(generator.randrange(0, 12)))


def _value(generator: random.Random, depth: int) -> object:
    kind = generator.randrange(4) if depth < 6 else 0
    if kind == 0:
        return _string(generator)
    if kind == 1:
        return generator.choice([1, None, True, 2.5])
    if kind == 2:
        return [_value(generator, depth + 1) for _ in range(generator.randrange(0, 4))]
    return {_string(generator): _value(generator, depth + 1) for _ in range(generator.randrange(0, 4))}


def _document(seed: int) -> bytes:
    generator = _generator(seed)
    return json.dumps([_value(generator, 1) for _ in range(3)], ensure_ascii=seed % 2 == 0).encode()


def _cuts(document: bytes, generator: random.Random) -> list[bytes]:
    """Cut a document into chunks of random sizes, some of a single byte."""
    chunks, start = [], 0
    while start < len(document):
        size = generator.choice([1, 1, 2, 3, generator.randrange(1, 40)])
        chunks.append(document[start : start + size])
        start += size
    return chunks


ESCAPED = [
    b'["\\\\", "\\"", {"a\\\\\\"[": ["\\\\\\\\"]}, "]\\\\"]',
    b'[{"k": "\\"\\\\\\"{\\\\"}, ["\\\\\\\\\\\\", "\\u005b\\/"], "\\\\\\"]"]',
    b'{"a": ["\\"]\\\\", {"b": "\\\\[\\\\\\\\"}], "c": "\\\\\\\\\\"}"}',
]


@pytest.mark.parametrize("document", ESCAPED)
def test_every_single_cut_of_documents_with_escaped_quotes_and_backslashes_keeps_the_depth(
    document: bytes,
) -> None:
    # given: a valid document whose strings hold escaped quotes, backslashes and brackets
    json.loads(document)
    depths = _reference(document)
    for cut in range(len(document) + 1):
        # when: it comes in two chunks, cut at this byte
        gauge = DepthGauge()
        gauge.feed(document[:cut])
        after_first = gauge.depth
        gauge.feed(document[cut:])
        # then
        assert after_first == (depths[cut - 1] if cut else 0)
        assert gauge.depth == 0


@pytest.mark.parametrize("seed", range(300))
def test_random_documents_cut_at_random_read_as_a_byte_by_byte_reading_does(seed: int) -> None:
    # given
    document = _document(seed)
    depths = _reference(document)
    generator = _generator(seed)
    # when
    gauge, offset = DepthGauge(), 0
    for chunk in _cuts(document, generator):
        gauge.feed(chunk)
        offset += len(chunk)
        # then: after every chunk, the depth there
        assert gauge.depth == depths[offset - 1]
    assert gauge.depth == 0


@pytest.mark.parametrize("seed", range(100))
def test_the_value_end_is_found_where_a_byte_by_byte_reading_finds_it(seed: int) -> None:
    # given: a value, then more of the document
    document = _document(seed)
    depths = _reference(document)
    tail = b', ["]"], "[\\"]"]'
    # when
    found = _end_in(bytearray(document + tail), 0)
    # then
    assert found == depths.index(0) + 1 == len(document)


@pytest.mark.parametrize("seed", range(100))
def test_a_document_is_refused_at_the_chunk_that_nests_past_the_limit_and_not_before(seed: int) -> None:
    # given: a random document nested inside itself, at most the limit (even seeds) or one level more
    generator = _generator(seed)
    inner = _document(seed)
    depth = LIMIT - 1 - max(_reference(inner)) + seed % 2
    document = b"[" + inner + b", " + b"[" * depth + inner + b"]" * depth + b"]"
    depths = _reference(document)
    too_deep = next((offset for offset, value in enumerate(depths) if value > LIMIT), None)
    assert (too_deep is None) == (seed % 2 == 0)
    chunks = _cuts(document, generator) if seed % 3 else [document]
    ends = [*accumulate(map(len, chunks))]
    # when / then: no chunk before the one holding the first bracket past the limit is refused
    gauge = DepthGauge()
    last = len(chunks) if too_deep is None else next(i for i, end in enumerate(ends) if end > too_deep)
    for chunk in chunks[:last]:
        gauge.feed(chunk)
    if too_deep is None:
        assert gauge.depth == 0
    else:
        with pytest.raises(MalformedReport) as refused:
            gauge.feed(chunks[last])
        assert str(refused.value) == "the report nests deeper than 256 levels"


def test_a_chunk_ending_on_an_escaping_backslash_escapes_the_next_chunks_first_byte() -> None:
    # given: a string ending in an escaped quote, cut between the backslash and the quote
    gauge = DepthGauge()
    # when
    gauge.feed(b'[["a\\')
    gauge.feed(b"")
    gauge.feed(b'"[", ')
    # then: the quote after the cut is escaped, the next one closes the string
    assert gauge.depth == 2
    gauge.feed(b"[]]]")
    assert gauge.depth == 0
