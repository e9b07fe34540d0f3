"""The JSON splitter: an array's records at a top-level key, cut from the document and built by orjson.

Each record must come out as ijson's reader makes it, whatever the layout (blanks,
keys before and after the array, a first key that recurs inside records, records
longer than a read or a window, multi-byte characters); damage is refused naming the
record; memory stays level however many records the report holds.
"""

from __future__ import annotations

import io
import json
import tracemalloc
from decimal import Decimal
from typing import Any

import pytest

from bastion.parsers import readers
from bastion.parsers.exceptions import MalformedReport


def _both(document: bytes, prefix: str = "issues.item") -> list[tuple[str, Any]]:
    """Return what the splitter reads, once checked to be what ijson reads."""
    split = list(readers.iter_json(io.BytesIO(document), prefix, required=True, split=True))
    assert split == list(readers.iter_json(io.BytesIO(document), prefix, required=True))
    return split


def _record(number: int, **extra: Any) -> dict[str, Any]:
    return {"name": f"issue {number}", "vector": {"url": f"https://example.test/{number}"}, **extra}


def test_records_come_out_as_ijson_reads_them_whatever_the_layout() -> None:
    # given: keys around the array, nested values whose first key is the records' own, and blanks
    records = [
        _record(0, variations=[{"name": "nested"}, {"name": "again"}], score=7.5),
        _record(1, text="caf\u00e9 \u2603 \U0001f600", empty={}, none=None),
        _record(2, deep=[[[{"name": [1, 2, {"name": "x"}]}]]]),
    ]
    head = {"version": "1.5", "options": {"checks": ["xss", "sqli"], "issues": 3}}
    for indent in (None, 2):
        document = json.dumps({**head, "issues": records, "sitemap": {"a": 1}}, indent=indent).encode()
        # when / then
        assert [value for _position, value in _both(document)] == records
        assert [position for position, _value in _both(document)] == ["issues[0]", "issues[1]", "issues[2]"]


def test_records_longer_than_a_read_and_split_inside_characters_come_out_whole() -> None:
    # given: records of a few bytes to 3 MB (a million characters), of multi-byte characters, in varying order
    sizes = [10, 1_000_000, 5, 70_000, 200_000, 1, 40_000]
    records = [_record(number, body="\u00e9\u2603" * size) for number, size in enumerate(sizes)]
    document = json.dumps({"seed": "x", "issues": records}, ensure_ascii=False).encode()
    # when / then
    assert [value for _position, value in _both(document)] == records


def test_an_empty_or_null_array_is_no_records_and_a_missing_one_no_report() -> None:
    assert _both(b'{"seed": "x", "issues": []}') == []
    assert _both(b' {"seed": "x", "issues": null}') == []
    with pytest.raises(MalformedReport, match="the report has no 'issues'"):
        list(readers.iter_json(io.BytesIO(b'{"seed": "x"}'), "issues.item", required=True, split=True))


@pytest.mark.parametrize(
    ("document", "position"),
    [
        (b'{"issues": [{"name": "a"}, {"name": "b", "x": [1, 2}]}', "issues[1]"),
        (b'{"issues": [{"name": "a"}, {"name": "\xff"}]}', "issues[1]"),
        # after the second record, as ijson's reader names it
        (b'{"issues": [{"name": "a"}, {"name": "b"}', "issues[2]"),
        (b'{"issues": [{"name": "a"}, {"name": "b"}]} trailing', "issues[2]"),
        (b'{"issues": [{"name": "a"}, {"name": "b"} {"name": "c"}]}', "issues[2]"),
    ],
)
def test_damage_after_a_record_is_refused_naming_where(document: bytes, position: str) -> None:
    with pytest.raises(MalformedReport) as error:
        list(readers.iter_json(io.BytesIO(document), "issues.item", required=True, split=True))
    assert "invalid JSON" in error.value.reason
    assert error.value.position == position


@pytest.mark.parametrize("use_float", [True, False])
@pytest.mark.parametrize("levels", [300, 2000])
@pytest.mark.parametrize("after", [b"", b', {"name": "c"}'])
def test_a_record_nesting_too_deep_is_refused(use_float: bool, levels: int, after: bytes) -> None:
    # given: a record too deep, the last one or followed by another (its end found either way)
    deep = b"[" * levels + b"]" * levels
    document = b'{"issues": [{"name": "a"}, {"name": "b", "x": ' + deep + b"}" + after + b"]}"
    # when / then
    with pytest.raises(MalformedReport) as error:
        list(readers.iter_json(io.BytesIO(document), "issues.item", split=True, use_float=use_float))
    assert error.value.reason == f"the report nests deeper than {readers.MAX_DEPTH} levels"


@pytest.mark.parametrize("use_float", [True, False])
def test_brackets_inside_strings_are_no_nesting(use_float: bool) -> None:
    # given: records whose strings hold far more brackets than MAX_DEPTH, and one as deep as it may be
    records = [
        _record(number, body="[{" * 400, deep=json.loads("[" * 250 + "]" * 250)) for number in range(3)
    ]
    document = json.dumps({"issues": records}).encode()
    # when
    found = readers.iter_json(io.BytesIO(document), "issues.item", split=True, use_float=use_float)
    # then
    assert [value for _position, value in found] == records


def test_exact_integers_keep_numbers_past_a_double() -> None:
    # given: an integer orjson cannot read (a certificate's modulus), as SSLyze writes it
    modulus = int("9" * 600)
    document = b'{"server_scan_results": [{"n": %d}, {"n": 1}]}' % modulus
    # when
    records = readers.iter_json(
        io.BytesIO(document), "server_scan_results.item", required=True, split=True, use_float=False
    )
    # then
    assert [value for _position, value in records] == [{"n": modulus}, {"n": 1}]


def test_exact_integers_read_fractions_as_decimal_as_ijson_does() -> None:
    document = b'{"server_scan_results": [{"n": 1.5}, {"n": -1e400}]}'
    found = [
        list(
            readers.iter_json(io.BytesIO(document), "server_scan_results.item", split=split, use_float=False)
        )
        for split in (True, False)
    ]
    assert (
        found[0]
        == found[1]
        == [
            ("server_scan_results[0]", {"n": Decimal("1.5")}),
            ("server_scan_results[1]", {"n": Decimal("-1e400")}),
        ]
    )
    assert {type(value["n"]) for records in found for _position, value in records} == {Decimal}


@pytest.mark.parametrize("number", [b"1.5e9999999999999999999", b"NaN", b"Infinity"])
def test_exact_integers_refuse_numbers_json_has_not(number: bytes) -> None:
    document = b'{"server_scan_results": [{"n": 1}, {"n": ' + number + b"}]}"
    with pytest.raises(MalformedReport) as error:
        list(readers.iter_json(io.BytesIO(document), "server_scan_results.item", split=True, use_float=False))
    assert error.value.position == "server_scan_results[1]"


def test_memory_stays_level_however_many_records() -> None:
    def peak(count: int) -> int:
        record = json.dumps(_record(0, body="x" * 5000)).encode()
        document = b'{"seed": "x", "issues": [' + b",".join([record] * count) + b"]}"
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        for _item in readers.iter_json(io.BytesIO(document), "issues.item", required=True, split=True):
            pass
        top = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        return top

    assert peak(3000) < 1.25 * peak(1500)
