"""Cutting unread elements out of an XML report's bytes before expat sees them (iter_xml's skip)."""

from __future__ import annotations

import io
import random
from collections.abc import Collection, Mapping
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree

from bastion.parsers import MalformedReport, _xml, dependency_check, get_parser, nexpose
from bastion.parsers.readers import iter_xml, local_name

SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "dependency_check"
NEXPOSE_SAMPLES = Path(__file__).parents[1] / "fixtures" / "scans" / "nexpose"


def _cut(
    document: bytes,
    skip: Collection[str] = (),
    skip_unless: Mapping[str, Collection[str]] | None = None,
    read_size: int = 1 << 20,
) -> bytes:
    cutter = _xml._Cutter(io.BytesIO(document), skip, skip_unless or {}, read_size)
    return b"".join(cutter.chunks())


def _every_read_size(
    document: bytes, skip: Collection[str] = (), skip_unless: Mapping[str, Collection[str]] | None = None
) -> bytes:
    """Cut with every read size from one byte up; each must give the same bytes."""
    whole = _cut(document, skip, skip_unless, len(document) + 1)
    for read_size in range(1, len(document) + 1):
        assert _cut(document, skip, skip_unless, read_size) == whole, read_size
    return whole


def _tags(document: bytes, tags: Collection[str], **options: object) -> list[str]:
    return [local_name(element.tag) for element in iter_xml(io.BytesIO(document), tags, **options)]  # type: ignore[arg-type]


def test_a_skipped_element_is_cut_and_its_newlines_kept() -> None:
    document = b"<r>\n  <e a='1'>\n    <f>x</f>\n  </e>\n  <k/>\n</r>"
    assert _every_read_size(document, ("e",)) == b"<r>\n  \n\n\n  <k/>\n</r>"


def test_fake_tags_in_cdata_comments_and_instructions_are_not_taken() -> None:
    inside = b"<r><e><![CDATA[</e>]]><!-- </e> --><?pi </e>?><f/></e><k/></r>"
    assert _every_read_size(inside, ("e",)) == b"<r><k/></r>"
    outside = b"<r><![CDATA[<e>]]><!-- <e> --><?pi <e>?><k/></r>"
    assert _every_read_size(outside, ("e",)) == outside


def test_nested_elements_of_the_same_name_are_counted() -> None:
    document = b"<r><e><e/><e>x<e></e></e>y</e><k/><e></e></r>"
    assert _every_read_size(document, ("e",)) == b"<r><k/></r>"


def test_self_closing_elements_and_quoted_brackets() -> None:
    document = b"<r><e/><e a=\"x/>\" b='>'/><e\n/><k/><e a='/'>t</e></r>"
    assert _every_read_size(document, ("e",)) == b"<r>\n<k/></r>"


def test_prefixed_names_are_cut_and_longer_names_and_attributes_are_not() -> None:
    document = (
        b'<r xmlns:n="urn:n" e="1" n:e="2"><n:e>x</n:e><ex/><n:ex/><e.x/><e-/>'
        b"<long:e>y</long:e><k e='e'>e</k></r>"
    )
    expected = b'<r xmlns:n="urn:n" e="1" n:e="2"><ex/><n:ex/><e.x/><e-/><k e=\'e\'>e</k></r>'
    assert _every_read_size(document, ("e",)) == expected


def test_a_prefixed_element_ends_at_its_own_qualified_name() -> None:
    document = b"<r><a:e><b:e></b:e><e/></a:e><k/></r>"
    assert _every_read_size(document, ("e",)) == b"<r><k/></r>"


def test_the_root_is_never_cut() -> None:
    document = b'<?xml version="1.0"?>\n<!-- <e> -->\n<e><e/>x</e>'
    assert _every_read_size(document, ("e",)) == b'<?xml version="1.0"?>\n<!-- <e> -->\n<e>x</e>'


def test_an_element_without_its_marker_is_cut() -> None:
    document = (
        b"<r><d><i/></d><d><v/></d><d><n:v/></d><d><vx/></d><d v='1'><i v='2'/></d>"
        b"<d><!-- <v/> --><![CDATA[<v/>]]>v</d><d/><d><w></w></d></r>"
    )
    assert _every_read_size(document, skip_unless={"d": ("v", "w")}) == (
        b"<r><d><v/></d><d><n:v/></d><d><w></w></d></r>"
    )


def test_skipped_elements_are_cut_inside_a_kept_element() -> None:
    document = b"<r><d><e><v/></e><f/><e/><v/><e>z</e></d><d><e><v/></e></d></r>"
    assert _every_read_size(document, ("e",), {"d": ("v",)}) == b"<r><d><f/><v/></d></r>"


def test_names_sharing_a_start_are_told_apart() -> None:
    document = b"<r><d><dv/></d><d><dvx/></d><dv><d/></dv></r>"
    assert _every_read_size(document, ("dvx",), {"d": ("dv",)}) == b"<r><d><dv/></d><dv></dv></r>"


def test_an_element_left_open_is_passed_to_expat() -> None:
    document = b"<r><k/><e><f>"
    assert _every_read_size(document, ("e",)) == document
    with pytest.raises(MalformedReport) as raised:
        _tags(document, ("k",), skip=("e",))
    assert raised.value.position == "line 1, column 13"


def test_an_element_longer_than_the_limit_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_xml, "_CUT_LIMIT", 64)
    monkeypatch.setattr(_xml, "_CUT_READ_BYTES", 16)
    document = b"<r><e>short</e><e>" + b"x" * 100 + b"</e><k/><e/></r>"
    assert _cut(document, ("e",), read_size=16) == b"<r><e>" + b"x" * 100 + b"</e><k/></r>"
    assert _tags(document, ("e", "k"), skip=("e",)) == ["e", "k"]


def test_iter_xml_cuts_at_any_read_size(monkeypatch: pytest.MonkeyPatch) -> None:
    document = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<r xmlns:n="urn:n">\n'
        b"<n:d><e><v/></e><x/></n:d>\n<d><x/><e>\n</e><v/></d>\n<e><x/></e><x/></r>"
    )
    for read_size in range(1, len(document) + 1):
        monkeypatch.setattr(_xml, "_CUT_READ_BYTES", read_size)
        assert _tags(document, ("d", "x", "v"), skip=("e",), skip_unless={"d": ("v",)}) == [
            "x",
            "v",
            "d",
            "x",
        ]


def test_a_document_in_another_encoding_is_not_cut() -> None:
    document = '<?xml version="1.0" encoding="UTF-16"?><r><e/><k/></r>'
    assert _tags(document.encode("utf-16"), ("e", "k"), skip=("e",)) == ["e", "k"]
    plain = document.replace("UTF-16", "UTF-8").encode()
    assert _tags(plain, ("e", "k"), skip=("e",)) == ["k"]


def test_errors_after_a_cut_name_the_right_line() -> None:
    document = b"<r>\n<e>\n\n<f>\n</f>\n</e>\n<k>\n</r>"
    with pytest.raises(MalformedReport) as raised:
        _tags(document, ("k",), skip=("e",))
    with pytest.raises(MalformedReport) as uncut:
        _tags(document, ("k",))
    assert raised.value.position == uncut.value.position == "line 8, column 2"


@pytest.mark.parametrize("sample", sorted(path.name for path in SAMPLES.iterdir()))
def test_dependency_check_findings_are_the_same_with_and_without_cutting(
    sample: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parser = get_parser("dependency_check")
    data = (SAMPLES / sample).read_bytes()
    cut = [finding.model_dump_json() for finding in parser.parse(io.BytesIO(data))]
    monkeypatch.setattr(dependency_check, "_UNREAD", ())
    monkeypatch.setattr(dependency_check, "_READ_ONLY_WITH", {})
    whole = [finding.model_dump_json() for finding in parser.parse(io.BytesIO(data))]
    assert cut == whole
    assert cut


def test_the_largest_dependency_check_sample_loses_its_evidence() -> None:
    data = (SAMPLES / "PR6439.xml").read_bytes()
    cut = _cut(data, dependency_check._UNREAD, dependency_check._READ_ONLY_WITH)
    assert b"<evidence" in data
    assert b"<evidence" not in cut
    assert cut.count(b"\n") == data.count(b"\n")
    assert cut.count(b"<vulnerability ") == data.count(b"<vulnerability ")
    assert len(cut) < len(data) // 4


_NAMES = ("d", "e", "v", "x", "n:d", "n:e", "n:v", "dv", "ev")
_TEXTS = ("a", "&lt;d&gt;", "<![CDATA[<d><e></d></e>]]>", "<!-- <e> </d> -->", "<?pi <d> </e> ?>", "\n", "v ")
_ATTRIBUTES = ("", ' a="/>"', " d='1'", ' v="e"', ' n:e="x"')


def _random_element(rng: random.Random, depth: int, outer: frozenset[str]) -> str:
    name = rng.choice([name for name in _NAMES if name.split(":")[-1] not in outer])
    attributes = rng.choice(_ATTRIBUTES)
    if depth > 4 or rng.random() < 0.25:
        return f"<{name}{attributes}/>"
    inner = outer | ({name.split(":")[-1]} & {"d", "e"})  # no d in a d, no e in an e
    parts = [
        rng.choice(_TEXTS) if rng.random() < 0.4 else _random_element(rng, depth + 1, inner)
        for _ in range(rng.randint(0, 4))
    ]
    return f"<{name}{attributes}>{''.join(parts)}</{name}>"


def _expected(document: bytes, tags: Collection[str]) -> list[str]:
    """Return the records a parse of the document with e, and d without v, taken out would yield."""

    def holds_v(element: Element) -> bool:
        return any(
            local_name(child.tag) == "v" or (local_name(child.tag) != "e" and holds_v(child))
            for child in element
        )

    def walk(element: Element, found: list[str], is_root: bool) -> None:
        name = local_name(element.tag)
        if not is_root and (name == "e" or (name == "d" and not holds_v(element))):
            return
        for child in element:
            walk(child, found, False)
        if name in tags:
            found.append(name)

    found: list[str] = []
    walk(ElementTree.fromstring(document), found, True)
    return found


@pytest.mark.parametrize("seed", range(60))
def test_random_documents_lose_exactly_the_elements_asked(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)  # noqa: S311 - seeded test data, repeatable; no secret
    body = "".join(
        rng.choice(_TEXTS) if rng.random() < 0.3 else _random_element(rng, 0, frozenset())
        for _ in range(rng.randint(1, 6))
    )
    document = f'<?xml version="1.0"?>\n<r xmlns:n="urn:n">{body}</r>'.encode()
    tags = ("d", "v", "x", "e", "dv")
    expected = _expected(document, tags)
    for read_size in (1, 2, 3, 5, 8, 13, 64, 1 << 20):
        monkeypatch.setattr(_xml, "_CUT_READ_BYTES", read_size)
        assert _tags(document, tags, skip=("e",), skip_unless={"d": ("v",)}) == expected, read_size


def test_the_records_before_an_xml_error_are_yielded_before_it_is_raised() -> None:
    # given: an error in the middle of a feed, after two records
    document = b"<r>\n<k/>\n<k>x</k>\n<e></f>\n<k/></r>"
    read: list[str] = []
    # when
    with pytest.raises(MalformedReport) as raised:
        read.extend(local_name(element.tag) for element in iter_xml(io.BytesIO(document), ("k",)))
    # then
    assert read == ["k", "k"]
    assert raised.value.position == "line 4, column 5"
    assert "mismatched tag" in str(raised.value)


def _attribute_cut(document: bytes, chunk_size: int) -> bytes:
    cut = _xml._AttributeCut({"t": ("s", ("yes", "y"))})
    return b"".join(cut.cut(document[at : at + chunk_size]) for at in range(0, len(document), chunk_size))


def test_an_element_without_the_attribute_value_is_cut_and_its_newlines_kept() -> None:
    document = (
        b'<?xml version="1.0"?>\n<r>\n<t s="no">\n<p>x</p>\n</t>\n<t a="1" s="yes">k</t>'
        b'<t s="yess">c</t><t s="y" >k</t><t\ns = "n"\nb=\'2\'>c</t ><ts s="n">k</ts><t>k</t></r>'
    )
    assert _attribute_cut(document, len(document)) == (
        b'<?xml version="1.0"?>\n<r>\n\n\n\n<t a="1" s="yes">k</t><t s="y" >k</t>\n\n'
        b'<ts s="n">k</ts><t>k</t></r>'
    )


def test_an_element_only_expat_can_read_whole_is_left_in() -> None:
    kept = (
        b"<t s='n'>single quotes</t>",
        b'<t s="n&amp;">an entity</t>',
        b'<t s="n"/>',
        b'<n:t s="n">prefixed</n:t>',
        b'<t xs="n">another attribute</t>',
        b'<t s="n">open',
    )
    for element in kept:
        document = b'<r xmlns:n="urn:n">' + element + b"</r>"
        assert _attribute_cut(document, len(document)) == document, element


def test_an_element_of_the_name_in_the_content_is_cut_on_its_own() -> None:
    document = b'<r><t s="n"><t s="n">nested</t></t></r>'
    assert _attribute_cut(document, len(document)) == b'<r><t s="n"></t></r>'


def test_nothing_is_cut_in_the_prolog_the_root_or_after_a_comment_cdata_or_pi() -> None:
    document = (
        b'<!-- <t s="n">x</t> --><?pi <t s="n">x</t> ?>\n<t s="n"><t s="n">1</t><!-- c --><t s="n">2</t></t>'
    )
    assert _attribute_cut(document, len(document)) == (
        b'<!-- <t s="n">x</t> --><?pi <t s="n">x</t> ?>\n<t s="n"><!-- c --><t s="n">2</t></t>'
    )
    split = b'<r><t s="n">1</t><![CDATA[<t s="n">2</t>]]><t s="n">3</t></r>'
    for chunk_size in range(1, len(split) + 1):
        cut = _attribute_cut(split, chunk_size)
        assert b'<t s="n">2</t>]]>' in cut, chunk_size
        assert b'<t s="n">3</t>' in cut, chunk_size


@pytest.mark.parametrize("seed", range(20))
def test_iter_xml_loses_only_elements_without_the_value_at_any_read_size(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)  # noqa: S311 - seeded test data, repeatable; no secret
    parts = ('<t s="yes"><k/>a</t>', '<t s="no"><u/>\nb</t>', '<t s="no">x</t>', "<k/>", "\n", "<!-- x -->")
    document = ("<r>" + "".join(rng.choice(parts) for _ in range(rng.randint(1, 12))) + "</r>").encode()
    expected = [tag for tag in _tags(document, ("k", "u", "t")) if tag == "k" or tag == "t"]
    for feed_bytes in (1, 2, 3, 7, 16, 1 << 14):
        monkeypatch.setattr(_xml, "_FEED_BYTES", feed_bytes)
        read = _tags(document, ("k", "u", "t"), skip_unless_attribute={"t": ("s", ("yes",))})
        # a "no" element (holding the u's) may be cut, or left in when a read splits it
        assert [tag for tag in read if tag == "k"] == [tag for tag in expected if tag == "k"], feed_bytes
        assert read.count("t") <= expected.count("t")
        assert read.count("t") - read.count("u") >= document.count(b'"yes"')


@pytest.mark.parametrize("sample", sorted(path.name for path in NEXPOSE_SAMPLES.iterdir()))
def test_nexpose_findings_are_the_same_with_and_without_cutting(
    sample: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parser = get_parser("nexpose")
    data = (NEXPOSE_SAMPLES / sample).read_bytes()
    cut = [finding.model_dump_json() for finding in parser.parse(io.BytesIO(data))]
    monkeypatch.setattr(nexpose, "_READ_TESTS", {})
    whole = [finding.model_dump_json() for finding in parser.parse(io.BytesIO(data))]
    assert cut == whole
    assert cut


def test_the_largest_nexpose_sample_loses_its_tests_that_found_nothing() -> None:
    data = (NEXPOSE_SAMPLES / "many_vulns.xml").read_bytes()
    cut = _xml._AttributeCut(nexpose._READ_TESTS).cut(data)
    assert cut.count(b"\n") == data.count(b"\n")
    assert b'status="not-vulnerable"' in data
    assert b'status="not-vulnerable"' not in cut
    assert cut.count(b'status="vulnerable-') == data.count(b'status="vulnerable-')
