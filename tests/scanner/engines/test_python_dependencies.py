"""PyPI readers: requirements files (with includes), poetry.lock, uv.lock and Pipfile.lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.scanner.engines.dependencies import Limits, ManifestError, read_manifest
from tests.scanner.engines.reading import package_rows, read_fixture, unresolved_rows


def test_requirements_pins_includes_hashes_and_markers() -> None:
    # when
    reading = read_fixture("python-requirements", "requirements.txt")

    # then: the include is read where it appears (its own path and lines), the cycle back is ignored
    assert reading.format == "requirements"
    assert package_rows(reading) == [
        ("PyPI", "certifi", "2023.11.17", "requirements/base.txt", 1),
        ("PyPI", "jinja2", "3.1.2", "requirements/base.txt", 2),
        ("PyPI", "django", "4.2.7", "requirements.txt", 5),
        ("PyPI", "zope-interface", "6.1", "requirements.txt", 9),
        ("PyPI", "pyyaml", "6.0.1", "requirements.txt", 10),
        ("PyPI", "celery", "5.3.6", "requirements.txt", 12),
    ]
    assert unresolved_rows(reading) == [
        ("requests", "requests>=2.31", "unpinned", 11),
        ("urllib3", "urllib3==2.*", "unpinned", 13),
        (
            "private-tool",
            "-e git+https://github.com/example/private-tool.git#egg=private-tool",
            "not a registry requirement",
            14,
        ),
    ]


def test_requirements_include_outside_the_tree_is_refused(tmp_path: Path) -> None:
    # given
    (tmp_path / "secret.txt").write_text("django==4.2.7\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "requirements.txt").write_text("flask==3.0.0\n-r ../secret.txt\n")

    # when
    with pytest.raises(ManifestError) as refusal:
        read_manifest(tree / "requirements.txt", root=tree)

    # then
    assert refusal.value.path == "requirements.txt"
    assert refusal.value.problem == "line 2: includes '../secret.txt', which is outside the tree"


def test_requirements_include_of_a_missing_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "requirements-dev.txt").write_text("--requirement=missing.txt\n")

    with pytest.raises(
        ManifestError, match=r"requirements-dev.txt: line 1: includes 'missing.txt', which does not"
    ):
        read_manifest(tmp_path / "requirements-dev.txt")


def test_requirements_includes_nested_too_deep_are_refused(tmp_path: Path) -> None:
    # given: a chain of four files, each including the next
    for number in range(4):
        (tmp_path / f"requirements-{number}.txt").write_text(f"-r requirements-{number + 1}.txt\n")
    (tmp_path / "requirements-4.txt").write_text("six==1.16.0\n")

    with pytest.raises(ManifestError, match="includes nest deeper than 2"):
        read_manifest(tmp_path / "requirements-0.txt", limits=Limits(max_include_depth=2))


def test_requirements_continuation_and_comment_only_lines(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("# only a comment\n\nsix==\\\n1.16.0\n  # indented comment\n")

    reading = read_manifest(tmp_path / "requirements.txt")

    assert package_rows(reading) == [("PyPI", "six", "1.16.0", "requirements.txt", 3)]
    assert reading.unresolved == ()


def test_poetry_lock_skips_local_sources_and_normalises_names() -> None:
    reading = read_fixture("poetry", "poetry.lock")

    assert package_rows(reading) == [
        ("PyPI", "certifi", "2023.11.17", "poetry.lock", 3),
        ("PyPI", "markdown", "3.5.1", "poetry.lock", 13),
        ("PyPI", "typing-extensions", "4.8.0", "poetry.lock", 37),
    ]


def test_uv_lock_reads_registry_packages_only() -> None:
    reading = read_fixture("uv", "uv.lock")

    assert package_rows(reading) == [
        ("PyPI", "anyio", "4.2.0", "uv.lock", 4),
        ("PyPI", "idna", "3.6", "uv.lock", 22),
        ("PyPI", "sniffio", "1.3.0", "uv.lock", 27),
    ]


def test_pipfile_lock_reads_both_sections_once() -> None:
    reading = read_fixture("pipenv", "Pipfile.lock")

    # then: Werkzeug in develop is werkzeug of default (PEP 503), declared once
    assert package_rows(reading) == [
        ("PyPI", "flask", "3.0.0", "Pipfile.lock", 19),
        ("PyPI", "werkzeug", "3.0.1", "Pipfile.lock", 32),
        ("PyPI", "pytest", "7.4.3", "Pipfile.lock", 38),
    ]
    assert unresolved_rows(reading) == [("my-fork", "", "not from a package index", 27)]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("poetry.lock", '[[package]]\nname = "x"\nversion = \n', "not valid TOML"),
        ("poetry.lock", '[[package]]\nname = "x"\n', "a [[package]] table has no name or version"),
        ("poetry.lock", 'package = "flat"\n', "package is not a list"),
        ("uv.lock", '[[package]]\nversion = "1.0"\n', "a [[package]] table has no name"),
        ("uv.lock", '[[package]]\nname = "x"\nsource = "pypi"\n', "the source of x is not a mapping"),
        ("Pipfile.lock", '{"default": {"flask": "==3.0.0"}}', "default.flask is not a mapping"),
        ("Pipfile.lock", "[1, 2]", "not a JSON object"),
        ("Pipfile.lock", '{"default": ', "not valid JSON"),
        ("requirements.txt", b"six==1.16.0\n\xff\xfe\n", "not UTF-8 text (byte 12)"),
    ],
)
def test_malformed_python_files_are_refused(
    tmp_path: Path, name: str, content: str | bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())

    with pytest.raises(ManifestError) as refusal:
        read_manifest(path)

    assert refusal.value.path == name
    assert refusal.value.problem.startswith(problem)
