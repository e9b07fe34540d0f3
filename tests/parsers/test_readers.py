"""The streaming readers: JSON, XML and CSV records and the positions they name."""

from __future__ import annotations

import io
import tracemalloc
import weakref
from xml.etree.ElementTree import Element

import orjson
import pytest

from bastion.parsers import MalformedReport, readers


def test_iter_json_names_positions_from_zero_and_the_item_a_syntax_error_is_in() -> None:
    # given
    report = b'{"results": [{"a": 1}, {"a": 2}, {"a": '
    # when
    read: list[str] = []
    with pytest.raises(MalformedReport) as caught:
        read.extend(position for position, _value in readers.iter_json(io.BytesIO(report), "results.item"))
    # then
    assert read == ["results[0]", "results[1]"]
    assert caught.value.position == "results[2]"
    assert caught.value.reason.startswith("invalid JSON: ")


def test_reader_reads_nested_arrays_map_entries_and_late_context_in_one_pass() -> None:
    # given: the project's name comes after its vulnerabilities
    report = (
        b'[{"vulnerabilities": [{"id": 1}, {"id": 2}], "projectName": "a"},'
        b' {"projectName": "b", "vulnerabilities": [{"id": 3}]}]'
    )
    # when
    records = list(
        readers.JsonReader(io.BytesIO(report), ["item.vulnerabilities.item"], late=["item.projectName"])
    )
    # then
    assert [(record.position, record.context["projectName"]) for record in records] == [
        ("[0].vulnerabilities[0]", "a"),
        ("[0].vulnerabilities[1]", "a"),
        ("[1].vulnerabilities[0]", "b"),
    ]


def test_reader_refuses_a_value_of_the_wrong_shape_where_it_stands() -> None:
    report = b'{"advisories": "none", "entries": {"x": {"n": 1}}}'
    reader = readers.JsonReader(io.BytesIO(report), ["entries.*"], expect={"advisories": "object"})
    with pytest.raises(MalformedReport) as caught:
        list(reader)
    assert (caught.value.reason, caught.value.position) == (
        "expected an object, found str",
        "advisories",
    )


def test_a_doctype_declaring_only_elements_is_dropped_one_declaring_entities_refused() -> None:
    # given
    harmless = b'<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "r.dtd" [<!ELEMENT r (x*)>]>\n<r><x>1</x></r>'
    entity = harmless.replace(b"<!ELEMENT r (x*)>", b'<!ENTITY e "boom">')
    # when
    texts = [element.text for element in readers.iter_xml(io.BytesIO(harmless), ["x"], drop_doctype=True)]
    # then
    assert texts == ["1"]
    with pytest.raises(MalformedReport, match="DOCTYPE and entities are not allowed"):
        list(readers.iter_xml(io.BytesIO(entity), ["x"], drop_doctype=True))
    with pytest.raises(MalformedReport, match="DOCTYPE and entities are not allowed"):
        list(readers.iter_xml(io.BytesIO(harmless), ["x"]))


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b"<r><x>&b;</x></r>"
)
EXTERNAL = b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r><x>&e;</x></r>'


@pytest.mark.parametrize(
    "report",
    [
        pytest.param(BILLION_LAUGHS, id="entities in the prolog"),
        pytest.param(EXTERNAL, id="an external entity"),
        pytest.param(b"<!--" + b"c" * 70_000 + b"-->" + EXTERNAL, id="a DOCTYPE past a long comment"),
        pytest.param(b"\xef\xbb\xbf  \n" + EXTERNAL, id="after a BOM and blank lines"),
        pytest.param(EXTERNAL.decode().encode("utf-16"), id="in UTF-16"),
        pytest.param(
            b'<?xml version="1.0" encoding="UTF-7"?>' + EXTERNAL.replace(b"<!", b"+ADw-!"),
            id="in UTF-7, its markup not ASCII",
        ),
    ],
)
def test_xml_entities_are_refused_whichever_parser_reads_the_document(report: bytes) -> None:
    # when / then: refused, never expanded nor fetched
    with pytest.raises(MalformedReport) as refused:
        list(readers.iter_xml(io.BytesIO(report), ["x"]))
    assert "passwd" not in str(refused.value)


def test_an_entity_never_declared_is_refused_by_the_fast_parser() -> None:
    # given: no DOCTYPE (the C parser's path), a reference to an entity nobody declared
    report = b'<?xml version="1.0" encoding="utf-8"?>\n<r><x>a &amp; b</x><x>&e;</x></r>'
    # when
    read: list[str | None] = []
    with pytest.raises(MalformedReport) as refused:
        read.extend(element.text for element in readers.iter_xml(io.BytesIO(report), ["x"]))
    # then: XML's own entities are read; the other one is an error naming its line
    assert read == ["a & b"]
    assert refused.value.reason.startswith("invalid XML: undefined entity")
    assert refused.value.position == "line 2, column 22"


def test_a_csv_cut_inside_a_quote_is_refused_naming_the_line_the_row_starts_on() -> None:
    report = b'"IP","QID","Title"\n"10.0.0.5","6","DNS\n'
    columns = {"ip": ("ip",), "qid": ("qid",), "title": ("title",)}
    with pytest.raises(MalformedReport) as caught:
        list(readers.iter_csv_records(io.BytesIO(report), columns, required={"qid": "QID"}))
    assert caught.value.reason.startswith("invalid CSV: ")
    assert caught.value.position == "line 2"


def _tricky(number: int) -> str:
    """Text full of what a bracket counter must not count: brackets, quotes, backslashes."""
    return '{"a": [1, 2]} \\"quoted\\" ]]}}' + "\\" * (number % 4) + "x" * (number * 37 % 3000)


def test_reader_streams_nested_records_across_every_chunk_boundary_as_whole_documents_read() -> None:
    # given: groups of records whose arrays span 16 KiB to megabytes, strings with brackets,
    # escaped quotes and runs of backslashes, a large value to skip before them and after
    groups = [
        {
            "name": f"group {index}",
            "items": [{"id": f"{index}-{number}", "text": _tricky(number)} for number in range(index * 40)],
            "ignored": {"deep": [[_tricky(index)] * 3] * 3},
        }
        for index in range(12)
    ]
    skipped = [[_tricky(number), {"k": _tricky(number + 1)}] for number in range(400)]
    document = {"meta": {"skipped": skipped}, "groups": groups, "after": {"skipped": skipped}}
    report = orjson.dumps(document)
    assert len(report) > 3 * 1024 * 1024
    # when
    records = list(
        readers.JsonReader(io.BytesIO(report), ["groups.item.items.item"], context=["groups.item.name"])
    )
    # then: every record, in order, as the whole document has it, with its group's name
    assert [(record.position, record.value, record.context["name"]) for record in records] == [
        (f"groups[{index}].items[{number}]", item, group["name"])
        for index, group in enumerate(groups)
        for number, item in enumerate(group["items"])
    ]


def test_reader_names_the_record_a_report_breaks_off_in_past_many_chunks() -> None:
    # given: a long array of records whose last one is cut off
    records = [{"id": number, "text": _tricky(number)} for number in range(2_000)]
    report = orjson.dumps({"results": [{"rows": records}]})[:-20]
    # when
    read: list[str] = []
    with pytest.raises(MalformedReport) as refused:
        read.extend(
            record.position for record in readers.JsonReader(io.BytesIO(report), ["results.item.rows.item"])
        )
    # then: everything before it was read, and the error names the record
    assert len(read) == 1_999
    assert refused.value.position == "results[0].rows[1999]"


def _report_with_records(count: int) -> bytes:
    """An OpenVAS-like report: each record beside a bulky element that is no record."""
    record = b"<result id='%d'><name>r</name><host>10.0.0.1</host></result>"
    bulky = b"<ports>" + b"<port>443/tcp<detail>open</detail></port>" * 20 + b"</ports>"
    body = b"".join(record % number + bulky for number in range(count))
    return b"<?xml version='1.0'?><report><results>" + body + b"</results></report>"


def test_xml_records_are_freed_once_read_even_when_later_siblings_are_parsed_already() -> None:
    # given: records far more numerous than one batch of parser events
    report = _report_with_records(3000)
    read: list[weakref.ref[Element]] = []
    held = -1
    # when: halfway through the report, how many of the records read are still held
    for element in readers.iter_xml(io.BytesIO(report), ["result"]):
        read.append(weakref.ref(element))
        if len(read) == 2000:
            held = sum(reference() is not None for reference in read[:-1])
    # then: none, though the document is still being read
    assert held == 0


def test_xml_memory_stays_level_with_elements_outside_every_record() -> None:
    # given
    def peak(count: int) -> int:
        report = _report_with_records(count)
        tracemalloc.start()
        try:
            for _element in readers.iter_xml(io.BytesIO(report), ["result"]):
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    # when
    small, large = peak(500), peak(5000)
    # then: ten times the records, not ten times the memory
    assert large < 2 * small


@pytest.mark.parametrize(
    "string",
    [r'"\u005b\u007b"', r'"\\"', r'"\\\"[{"', r'"\n[\t{\b\f\r\/"', r'"\u00bf\"]"', r'"a\\\\\"}"'],
)
def test_the_depth_gauge_tells_brackets_in_strings_with_escapes_from_real_ones(string: str) -> None:
    # given: the string beside every bracket of a document nested exactly as deep as allowed
    def nested(depth: int) -> bytes:
        return ("[" + string + ",") * depth + "1" + "]" * depth

    # when / then: the limit holds, one more level is refused, and the documents are valid JSON
    readers.check_depth(nested(readers.MAX_DEPTH).encode())
    orjson.loads(nested(readers.MAX_DEPTH).encode())
    with pytest.raises(MalformedReport, match="deeper"):
        readers.check_depth(nested(readers.MAX_DEPTH + 1).encode())


def test_xml_elements_asked_for_at_their_start_come_before_their_records() -> None:
    # given
    report = (
        b"<scan><host name='a'><props><p>1</p></props><item id='1'/><item id='2'/></host>"
        b"<host name='b'><item id='3'/></host></scan>"
    )
    # when
    seen = [
        (readers.local_name(element.tag), dict(element.attrib))
        for element in readers.iter_xml(io.BytesIO(report), ["item"], starts=["host"])
    ]
    # then: each host as it opens, then its items as they close
    assert seen == [
        ("host", {"name": "a"}),
        ("item", {"id": "1"}),
        ("item", {"id": "2"}),
        ("host", {"name": "b"}),
        ("item", {"id": "3"}),
    ]
