"""npm readers: package-lock.json v1-v3, yarn.lock classic and berry, pnpm-lock.yaml v5, v6 and v9."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.scanner.engines.dependencies import ManifestError, read_manifest
from tests.scanner.engines.reading import package_rows, read_fixture


def test_package_lock_v3_nested_node_modules_aliases_and_workspaces() -> None:
    reading = read_fixture("npm-v3", "package-lock.json")

    # then: the root, the workspace and its link are not packages; the nested debug is the same package
    assert reading.format == "package-lock v3"
    assert package_rows(reading) == [
        ("npm", "@babel/code-frame", "7.22.13", "package-lock.json", 19),
        ("npm", "debug", "2.6.9", "package-lock.json", 30),
        ("npm", "express", "4.18.2", "package-lock.json", 35),
        ("npm", "ms", "2.0.0", "package-lock.json", 47),
        ("npm", "lodash", "4.17.20", "package-lock.json", 51),
        ("npm", "string-width", "4.2.3", "package-lock.json", 56),
        ("npm", "lodash", "4.17.21", "package-lock.json", 72),
    ]


def test_package_lock_v2_prefers_packages_over_the_v1_section() -> None:
    reading = read_fixture("npm-v2", "package-lock.json")

    assert package_rows(reading) == [("npm", "minimist", "1.2.5", "package-lock.json", 14)]


def test_package_lock_v1_nested_dependencies_aliases_and_git() -> None:
    reading = read_fixture("npm-v1", "package-lock.json")

    assert package_rows(reading) == [
        ("npm", "accepts", "1.3.7", "package-lock.json", 7),
        ("npm", "mime-types", "2.1.24", "package-lock.json", 15),
        ("npm", "mime-types", "2.1.35", "package-lock.json", 25),
        ("npm", "lodash", "4.17.15", "package-lock.json", 30),
    ]


def test_yarn_classic_entries_aliases_and_git() -> None:
    reading = read_fixture("yarn-classic", "yarn.lock")

    assert reading.format == "yarn.lock v1"
    assert package_rows(reading) == [
        ("npm", "@babel/code-frame", "7.12.13", "yarn.lock", 5),
        ("npm", "lodash", "4.17.19", "yarn.lock", 12),
        ("npm", "string-width", "4.2.3", "yarn.lock", 17),
    ]


def test_yarn_berry_resolutions_skip_patches_and_workspaces() -> None:
    reading = read_fixture("yarn-berry", "yarn.lock")

    assert reading.format == "yarn.lock berry"
    assert package_rows(reading) == [
        ("npm", "@types/node", "20.10.4", "yarn.lock", 8),
        ("npm", "axios", "1.10.0", "yarn.lock", 17),
        ("npm", "resolve", "1.22.8", "yarn.lock", 29),
    ]


def test_pnpm_v5_slash_keys_with_peer_suffixes() -> None:
    reading = read_fixture("pnpm-v5", "pnpm-lock.yaml")

    assert reading.format == "pnpm-lock v5"
    assert package_rows(reading) == [
        ("npm", "@babel/core", "7.12.3", "pnpm-lock.yaml", 13),
        ("npm", "loose-envify", "1.4.0", "pnpm-lock.yaml", 18),
        ("npm", "react-dom", "17.0.2", "pnpm-lock.yaml", 23),
    ]


def test_pnpm_v6_at_keys_with_parenthesised_peers() -> None:
    reading = read_fixture("pnpm-v6", "pnpm-lock.yaml")

    assert reading.format == "pnpm-lock v6"
    assert package_rows(reading) == [
        ("npm", "@babel/core", "7.23.5", "pnpm-lock.yaml", 17),
        ("npm", "react-dom", "18.2.0", "pnpm-lock.yaml", 22),
        ("npm", "react", "18.2.0", "pnpm-lock.yaml", 28),
    ]


def test_pnpm_v9_packages_not_snapshots_nor_tarballs() -> None:
    reading = read_fixture("pnpm-v9", "pnpm-lock.yaml")

    assert reading.format == "pnpm-lock v9"
    assert package_rows(reading) == [
        ("npm", "@next/env", "14.0.3", "pnpm-lock.yaml", 20),
        ("npm", "next", "14.0.3", "pnpm-lock.yaml", 23),
        ("npm", "react-dom", "18.2.0", "pnpm-lock.yaml", 31),
        ("npm", "react", "18.2.0", "pnpm-lock.yaml", 36),
    ]


def test_yaml_versions_stay_text(tmp_path: Path) -> None:
    # given: an unquoted key whose version YAML would otherwise read as the number 1.1
    (tmp_path / "pnpm-lock.yaml").write_text(
        "lockfileVersion: 6.0\npackages:\n  /tiny@1.10:\n    dev: false\n"
    )

    reading = read_manifest(tmp_path / "pnpm-lock.yaml")

    assert package_rows(reading) == [("npm", "tiny", "1.10", "pnpm-lock.yaml", 3)]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("package-lock.json", '{"lockfileVersion": 4, "packages": {}}', "lockfileVersion 4 is not 1, 2 or 3"),
        ("package-lock.json", '{"name": "x"}', "lockfileVersion None is not 1, 2 or 3"),
        ("package-lock.json", '{"lockfileVersion": 3, "packages": []}', "packages is not a mapping"),
        (
            "package-lock.json",
            '{"lockfileVersion": 3, "packages": {"node_modules/a": 1}}',
            "packages['node_modules/a'] is not a mapping",
        ),
        ("package-lock.json", '{"lockfileVersion": 3,', "not valid JSON"),
        (
            "yarn.lock",
            "# yarn lockfile v1\n\nnot an entry\n",
            "line 3: expected an entry such as 'name@range:'",
        ),
        (
            "yarn.lock",
            "__metadata:\n  version: 8\n\nfoo@npm:1.0.0:\n  version: 1.0.0\n",
            "entry 'foo@npm:1.0.0' has no",
        ),
        ("yarn.lock", '__metadata:\n  version: 8\n\n"a@npm:1": [unclosed\n', "not valid YAML"),
        (
            "pnpm-lock.yaml",
            "lockfileVersion: '4.0'\npackages: {}\n",
            "lockfileVersion '4.0' is not one Bastion reads",
        ),
        ("pnpm-lock.yaml", "lockfileVersion: nine\n", "lockfileVersion 'nine' is not a number"),
        ("pnpm-lock.yaml", "- a list\n", "not a YAML mapping"),
        ("pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages: [a]\n", "packages is not a mapping"),
    ],
)
def test_malformed_npm_files_are_refused(tmp_path: Path, name: str, content: str, problem: str) -> None:
    (tmp_path / name).write_text(content)

    with pytest.raises(ManifestError) as refusal:
        read_manifest(tmp_path / name)

    assert refusal.value.path == name
    assert refusal.value.problem.startswith(problem)
