"""The pre-pass marks calls of the file's helpers that can only return a clean value."""

from __future__ import annotations

from bastion.agent.engines.prepass import prepare


def _marked(source: str) -> list[str]:
    return [line.strip() for line in prepare(source).splitlines() if "__bastion_guard__(" in line]


def test_a_helper_that_escapes_its_argument_is_a_sanitiser_where_it_is_called() -> None:
    source = (
        "from flask import request\nfrom markupsafe import escape\n\n"
        "def heading(term: str, hits: int) -> str:\n"
        '    return f"<h1>{escape(term)}</h1><p>{hits}</p>"\n\n'
        "def page():\n"
        '    return heading(request.args["q"], 3)\n'
    )

    assert _marked(source) == ['return __bastion_guard__(heading(request.args["q"], 3))']
    assert len(prepare(source).splitlines()) == len(source.splitlines())


def test_allow_lists_constant_tables_and_clean_helpers_of_clean_helpers_count() -> None:
    source = (
        'PAGES = {"/home", "/orders"}\nSORTS = {"new": "created DESC"}\n\n'
        "def landing(url):\n"
        '    return url if url in PAGES else "/home"\n\n'
        "def order(key):\n"
        "    return SORTS[key]\n\n"
        "def twice(key):\n"
        "    return order(key)\n\n"
        "def view(request):\n"
        '    return landing(request.GET["next"]), twice(request.GET["sort"])\n'
    )

    assert _marked(source)[-2:] == [
        "return __bastion_guard__(order(__bastion_input__(key)))",
        'return __bastion_guard__(landing(request.GET["next"])), '
        '__bastion_guard__(twice(request.GET["sort"]))',
    ]


def test_a_helper_that_returns_its_argument_or_builds_text_from_it_is_not_a_sanitiser() -> None:
    source = (
        "def where(name):\n"
        '    return "name = \'" + name + "\'"\n\n'
        "def same(value):\n"
        "    if value:\n"
        "        return value\n"
        '    return ""\n\n'
        "def nothing(value):\n"
        "    print(value)\n\n"
        "def view(request):\n"
        '    return where(request.GET["n"]), same(request.GET["m"]), nothing(request.GET["o"])\n'
    )

    assert _marked(source) == []
