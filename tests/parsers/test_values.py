"""Values read from a tool's fields: CWE ids."""

from __future__ import annotations

from bastion.parsers import values


def test_cwe_ids_need_their_prefix_in_free_text() -> None:
    # given: the other numbers of a message are not CWEs
    text = "CWE-79: Cross-site scripting in 3 places, see cwe_89 and CWE #310 (CVSS 6.1)"
    # when / then
    assert values.cwe_ids([text]) == (79, 89, 310)
    assert values.cwe_ids(["Found 22 issues on port 8080"]) == ()


def test_cwe_ids_take_bare_numbers_only_as_ints_or_digit_strings() -> None:
    assert values.cwe_ids([79, " 89 ", "CWE:16", True, None, 0, "79"]) == (79, 89, 16)


def test_advisory_ids_are_found_in_any_case_at_word_starts_in_order() -> None:
    # given
    texts = [
        "jQuery XSS (cve-2020-11022), see GHSA-GXR4-XJJ5-5PX2 and CVE-2019-11358.",
        None,
        "not xcve-2021-1234 nor _CVE-2021-9999 nor CVE-2021-12345x; again CVE-2020-11022",
        "ghsa-2345-6789-cfgh",
    ]
    # when / then
    assert values.advisory_ids(texts) == (
        "CVE-2020-11022",
        "GHSA-gxr4-xjj5-5px2",
        "CVE-2019-11358",
        "GHSA-2345-6789-cfgh",
    )
    assert values.advisory_ids(["no advisory here", ""]) == ()
