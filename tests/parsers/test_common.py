"""The helpers every parser shares: CWE ids, grouping, streaming readers and positions."""

from __future__ import annotations

import io

import pytest

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import MalformedReport, common


def _finding(host: str, *, cves: tuple[str, ...] = (), evidence: str = "") -> NormalizedFinding:
    return NormalizedFinding(
        title="Weak cipher",
        severity=Severity.MEDIUM,
        tool="test",
        fingerprint="f",
        advisory_ids=cves,
        evidence=evidence,
        location=FindingLocation(host=host),
        tags=("family:ssl",),
    )


def test_cwe_ids_need_their_prefix_in_free_text() -> None:
    # given: the other numbers of a message are not CWEs
    text = "CWE-79: Cross-site scripting in 3 places, see cwe_89 and CWE #310 (CVSS 6.1)"
    # when / then
    assert common.cwe_ids([text]) == (79, 89, 310)
    assert common.cwe_ids(["Found 22 issues on port 8080"]) == ()


def test_cwe_ids_take_bare_numbers_only_as_ints_or_digit_strings() -> None:
    assert common.cwe_ids([79, " 89 ", "CWE:16", True, None, 0, "79"]) == (79, 89, 16)


def test_groups_locate_the_first_record_and_list_the_others() -> None:
    # given
    groups = common.FindingGroups()
    groups.add("plugin-1", _finding("10.0.0.1", evidence="out 1"), "10.0.0.1 tcp/443")
    groups.add("plugin-1", _finding("10.0.0.2", cves=("CVE-2016-2183",)), "10.0.0.2 tcp/443")
    groups.add("plugin-1", _finding("10.0.0.2"), "10.0.0.2 tcp/443")  # the same place again
    groups.add("plugin-2", _finding("10.0.0.3"), "10.0.0.3")
    # when
    first, second = list(groups.findings())
    # then
    assert first.location.host == "10.0.0.1"
    assert first.evidence == "out 1\n\nOther instances (1):\n- 10.0.0.2 tcp/443"
    assert first.tags == ("family:ssl", "instances:2")
    assert first.advisory_ids == ("CVE-2016-2183",)
    assert (second.evidence, second.tags) == ("", ("family:ssl", "instances:1"))
    assert list(groups.findings()) == []


def test_groups_list_at_most_the_limit_and_count_the_rest() -> None:
    # given
    groups = common.FindingGroups()
    for number in range(common.INSTANCE_LIMIT + 5):
        groups.add("key", _finding(f"host-{number}"), f"host-{number}")
    # when
    (finding,) = list(groups.findings())
    # then
    assert finding.tags[-1] == f"instances:{common.INSTANCE_LIMIT + 5}"
    assert finding.evidence.endswith("\n- … and 5 more")
    assert finding.evidence.count("\n- host-") == common.INSTANCE_LIMIT - 1


def test_iter_json_names_positions_from_zero_and_the_item_a_syntax_error_is_in() -> None:
    # given
    report = b'{"results": [{"a": 1}, {"a": 2}, {"a": '
    # when
    read: list[str] = []
    with pytest.raises(MalformedReport) as caught:
        read.extend(position for position, _value in common.iter_json(io.BytesIO(report), "results.item"))
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
        common.JsonReader(io.BytesIO(report), ["item.vulnerabilities.item"], late=["item.projectName"])
    )
    # then
    assert [(record.position, record.context["projectName"]) for record in records] == [
        ("[0].vulnerabilities[0]", "a"),
        ("[0].vulnerabilities[1]", "a"),
        ("[1].vulnerabilities[0]", "b"),
    ]


def test_reader_refuses_a_value_of_the_wrong_shape_where_it_stands() -> None:
    report = b'{"advisories": "none", "entries": {"x": {"n": 1}}}'
    reader = common.JsonReader(io.BytesIO(report), ["entries.*"], expect={"advisories": "object"})
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
    texts = [element.text for element in common.iter_xml(io.BytesIO(harmless), ["x"], drop_doctype=True)]
    # then
    assert texts == ["1"]
    with pytest.raises(MalformedReport, match="DOCTYPE and entities are not allowed"):
        list(common.iter_xml(io.BytesIO(entity), ["x"], drop_doctype=True))
    with pytest.raises(MalformedReport, match="DOCTYPE and entities are not allowed"):
        list(common.iter_xml(io.BytesIO(harmless), ["x"]))


def test_a_csv_cut_inside_a_quote_is_refused_naming_the_line_the_row_starts_on() -> None:
    report = b'"IP","QID","Title"\n"10.0.0.5","6","DNS\n'
    columns = {"ip": ("ip",), "qid": ("qid",), "title": ("title",)}
    with pytest.raises(MalformedReport) as caught:
        list(common.iter_csv_records(io.BytesIO(report), columns, required={"qid": "QID"}))
    assert caught.value.reason.startswith("invalid CSV: ")
    assert caught.value.position == "line 2"
