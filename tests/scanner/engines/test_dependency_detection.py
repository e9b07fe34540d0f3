"""Detection by name and content, the tree walk, and the limits every reader shares."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bastion.scanner.engines.dependencies import (
    FoundManifest,
    Limits,
    ManifestError,
    detect_format,
    find_manifests,
    read_manifest,
    read_tree,
)
from tests.scanner.engines.reading import FIXTURES, package_rows

# Each fixture and the format its name announces.
FIXTURE_FILES = [
    ("python-requirements", "requirements.txt", "requirements"),
    ("poetry", "poetry.lock", "poetry.lock"),
    ("uv", "uv.lock", "uv.lock"),
    ("pipenv", "Pipfile.lock", "Pipfile.lock"),
    ("npm-v1", "package-lock.json", "package-lock.json"),
    ("npm-v2", "package-lock.json", "package-lock.json"),
    ("npm-v3", "package-lock.json", "package-lock.json"),
    ("yarn-classic", "yarn.lock", "yarn.lock"),
    ("yarn-berry", "yarn.lock", "yarn.lock"),
    ("pnpm-v5", "pnpm-lock.yaml", "pnpm-lock.yaml"),
    ("pnpm-v6", "pnpm-lock.yaml", "pnpm-lock.yaml"),
    ("pnpm-v9", "pnpm-lock.yaml", "pnpm-lock.yaml"),
    ("go", "go.sum", "go.sum"),
    ("maven", "pom.xml", "pom.xml"),
    ("ruby", "Gemfile.lock", "Gemfile.lock"),
    ("rust", "Cargo.lock", "Cargo.lock"),
]


@pytest.mark.parametrize(("directory", "name", "expected"), FIXTURE_FILES)
def test_format_is_detected_by_name(directory: str, name: str, expected: str) -> None:
    assert detect_format(FIXTURES / directory / name) == expected


@pytest.mark.parametrize(
    ("directory", "name", "expected"), [row for row in FIXTURE_FILES if row[2] != "requirements"]
)
def test_format_is_detected_by_content_under_another_name(
    tmp_path: Path, directory: str, name: str, expected: str
) -> None:
    # given: the same content under a name that says nothing
    renamed = tmp_path / "upload.bin"
    renamed.write_bytes((FIXTURES / directory / name).read_bytes())

    # when
    reading = read_manifest(renamed)

    # then: the content chose the reader, and it reads what the named file gives
    assert detect_format(renamed) == expected
    original = read_manifest(FIXTURES / directory / name)
    assert [row[:3] for row in package_rows(reading)] == [row[:3] for row in package_rows(original)]


def test_unknown_content_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Notes\n")

    with pytest.raises(ManifestError) as refusal:
        read_manifest(tmp_path / "notes.md")

    assert (refusal.value.path, refusal.value.problem) == (
        "notes.md",
        "not a lock or manifest format Bastion reads",
    )


@pytest.mark.parametrize(("directory", "name", "expected"), FIXTURE_FILES)
def test_every_reader_refuses_a_file_past_the_size_limit(directory: str, name: str, expected: str) -> None:
    with pytest.raises(ManifestError) as refusal:
        read_manifest(
            FIXTURES / directory / name, root=FIXTURES / directory, limits=Limits(max_file_bytes=64)
        )

    assert refusal.value.problem == "larger than 64 bytes"


@pytest.mark.parametrize(("directory", "name", "expected"), FIXTURE_FILES)
def test_every_reader_refuses_a_file_past_the_entry_limit(directory: str, name: str, expected: str) -> None:
    with pytest.raises(ManifestError) as refusal:
        read_manifest(FIXTURES / directory / name, root=FIXTURES / directory, limits=Limits(max_entries=1))

    assert refusal.value.problem == "more entries than the limit (1)"


def test_a_manifest_linked_out_of_the_tree_is_refused(tmp_path: Path) -> None:
    # given: a lock file in the tree that is a link to a file outside it
    (tmp_path / "outside.lock").write_text((FIXTURES / "go" / "go.sum").read_text())
    tree = tmp_path / "tree"
    tree.mkdir()
    os.symlink(tmp_path / "outside.lock", tree / "go.sum")

    with pytest.raises(ManifestError) as refusal:
        read_manifest(tree / "go.sum", root=tree)

    assert (refusal.value.path, refusal.value.problem) == ("go.sum", "is outside the tree (a link?)")


def test_a_requirements_include_linked_out_of_the_tree_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("django==4.2.7\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    os.symlink(tmp_path / "secret.txt", tree / "base.txt")
    (tree / "requirements.txt").write_text("-r base.txt\n")

    with pytest.raises(ManifestError) as refusal:
        read_manifest(tree / "requirements.txt", root=tree)

    assert refusal.value.problem == "line 1: includes 'base.txt', which is outside the tree"


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    # given: billion laughs, as a pnpm lock file
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    (tmp_path / "pnpm-lock.yaml").write_text("lockfileVersion: '9.0'\n" + "\n".join(levels) + "\n")

    with pytest.raises(ManifestError) as refusal:
        read_manifest(tmp_path / "pnpm-lock.yaml")

    assert refusal.value.problem == "uses YAML aliases, which lock files never need"


def test_yaml_nesting_past_the_depth_limit_is_refused(tmp_path: Path) -> None:
    (tmp_path / "yarn.lock").write_text("__metadata:\n  version: 8\nx: " + "[" * 40 + "]" * 40 + "\n")

    with pytest.raises(ManifestError) as refusal:
        read_manifest(tmp_path / "yarn.lock", limits=Limits(max_yaml_depth=32))

    assert refusal.value.problem == "nests deeper than 32 levels"


def test_yaml_tags_for_python_objects_are_refused(tmp_path: Path) -> None:
    (tmp_path / "pnpm-lock.yaml").write_text("lockfileVersion: !!python/object/apply:os.getcwd []\n")

    with pytest.raises(ManifestError, match="not valid YAML"):
        read_manifest(tmp_path / "pnpm-lock.yaml")


def make_tree(root: Path) -> None:
    """Write a small monorepo with vendored and ignored copies that the walk must not report."""
    for relative, content in {
        "requirements.txt": "flask==3.0.0\n",
        "requirements/dev.txt": "pytest==7.4.3\n",
        "web/package-lock.json": (FIXTURES / "npm-v2" / "package-lock.json").read_text(),
        "web/node_modules/left-pad/package-lock.json": "{}",
        "services/api/go.sum": (FIXTURES / "go" / "go.sum").read_text(),
        "services/api/vendor/modules/go.sum": "broken",
        ".git/yarn.lock": "broken",
        "broken/Cargo.lock": "[[package]\n",
        "README.md": "# demo\n",
    }.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


def test_find_manifests_skips_vendored_directories_and_links(tmp_path: Path) -> None:
    # given
    tree = tmp_path / "tree"
    make_tree(tree)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "poetry.lock").write_text("")
    os.symlink(outside, tree / "linked-directory")
    os.symlink(outside / "poetry.lock", tree / "poetry.lock")

    # when
    found = find_manifests(tree)

    # then
    assert found == [
        FoundManifest("requirements.txt", "requirements"),
        FoundManifest("broken/Cargo.lock", "Cargo.lock"),
        FoundManifest("requirements/dev.txt", "requirements"),
        FoundManifest("services/api/go.sum", "go.sum"),
        FoundManifest("web/package-lock.json", "package-lock.json"),
    ]


def test_find_manifests_refuses_a_tree_past_the_file_limit(tmp_path: Path) -> None:
    make_tree(tmp_path)

    with pytest.raises(ManifestError) as refusal:
        find_manifests(tmp_path, Limits(max_tree_files=3))

    assert refusal.value.problem == "the tree has more than 3 files"


def test_read_tree_reads_every_manifest_and_keeps_each_refusal(tmp_path: Path) -> None:
    make_tree(tmp_path)

    result = read_tree(tmp_path)

    assert [(reading.path, len(reading.packages)) for reading in result.readings] == [
        ("requirements.txt", 1),
        ("requirements/dev.txt", 1),
        ("services/api/go.sum", 5),
        ("web/package-lock.json", 1),
    ]
    assert [(error.path, error.problem.split(" (")[0]) for error in result.errors] == [
        ("broken/Cargo.lock", "not valid TOML")
    ]
