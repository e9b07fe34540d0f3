"""Version ordering and OSV range matching per ecosystem, on the ranges of real advisories."""

from __future__ import annotations

import pytest

from bastion.core.advisories import versions

# (ecosystem, ranges as published, version, affected, fixed to suggest)
LODASH = [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.12"}]}]
DJANGO_32 = [{"type": "ECOSYSTEM", "events": [{"introduced": "3.2"}, {"fixed": "3.2.14"}]}]
X_TEXT = [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.3.7"}]}]
SMALLVEC = [
    {
        "type": "SEMVER",
        "events": [{"introduced": "0.6.3"}, {"fixed": "0.6.14"}, {"introduced": "1.0.0"}, {"fixed": "1.6.1"}],
    }
]
LOG4J_BRANCH = [{"type": "ECOSYSTEM", "events": [{"introduced": "2.13.0"}, {"fixed": "2.15.0"}]}]
LOG4J_EARLY = [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.3.1"}]}]
ACTIVERECORD_61 = [{"type": "ECOSYSTEM", "events": [{"introduced": "6.1.0"}, {"fixed": "6.1.6.1"}]}]


@pytest.mark.parametrize(
    ("ecosystem", "ranges", "version", "affected", "fixed"),
    [
        # npm: introduced 0 means every version before the fix.
        ("npm", LODASH, "0.1.0", True, "4.17.12"),
        ("npm", LODASH, "4.17.11", True, "4.17.12"),
        ("npm", LODASH, "4.17.12", False, None),
        ("npm", LODASH, "4.17.21", False, None),
        ("npm", LODASH, "4.17.12-pre", True, "4.17.12"),  # a pre-release sorts before its release
        # PyPI: below, at and after each bound; PEP 440 ordering (rc before release, 3.2.10 > 3.2.9).
        ("PyPI", DJANGO_32, "3.1.14", False, None),
        ("PyPI", DJANGO_32, "3.2", True, "3.2.14"),
        ("PyPI", DJANGO_32, "3.2.9", True, "3.2.14"),
        ("PyPI", DJANGO_32, "3.2.13", True, "3.2.14"),
        ("PyPI", DJANGO_32, "3.2.14", False, None),
        ("PyPI", DJANGO_32, "3.2.14rc1", True, "3.2.14"),
        ("PyPI", DJANGO_32, "3.2.20", False, None),
        # Go: SEMVER with the module's v prefix and pseudo-versions.
        ("Go", X_TEXT, "v0.3.6", True, "0.3.7"),
        ("Go", X_TEXT, "v0.0.0-20210220033129-8f690f22cf1c", True, "0.3.7"),
        ("Go", X_TEXT, "v0.3.7", False, None),
        ("Go", X_TEXT, "v0.3.8", False, None),
        # crates.io: two introduced/fixed pairs in one range.
        ("crates.io", SMALLVEC, "0.6.2", False, None),
        ("crates.io", SMALLVEC, "0.6.3", True, "0.6.14"),
        ("crates.io", SMALLVEC, "0.6.13", True, "0.6.14"),
        ("crates.io", SMALLVEC, "0.6.14", False, None),
        ("crates.io", SMALLVEC, "0.7.0", False, None),
        ("crates.io", SMALLVEC, "1.0.0", True, "1.6.1"),
        ("crates.io", SMALLVEC, "1.6.0", True, "1.6.1"),
        ("crates.io", SMALLVEC, "1.6.1", False, None),
        # Maven: ComparableVersion ordering (2.0-beta9 < 2.0 < 2.3.1 < 2.12.2 < 2.15.0).
        ("Maven", LOG4J_EARLY, "2.0-beta9", True, "2.3.1"),
        ("Maven", LOG4J_EARLY, "2.3", True, "2.3.1"),
        ("Maven", LOG4J_EARLY, "2.3.1", False, None),
        ("Maven", LOG4J_BRANCH, "2.12.4", False, None),
        ("Maven", LOG4J_BRANCH, "2.13.0", True, "2.15.0"),
        ("Maven", LOG4J_BRANCH, "2.14.1", True, "2.15.0"),
        ("Maven", LOG4J_BRANCH, "2.15.0", False, None),
        ("Maven", LOG4J_BRANCH, "2.17.1", False, None),
        # RubyGems: four-part versions.
        ("RubyGems", ACTIVERECORD_61, "6.0.5", False, None),
        ("RubyGems", ACTIVERECORD_61, "6.1.0", True, "6.1.6.1"),
        ("RubyGems", ACTIVERECORD_61, "6.1.6", True, "6.1.6.1"),
        ("RubyGems", ACTIVERECORD_61, "6.1.6.1", False, None),
        ("RubyGems", ACTIVERECORD_61, "6.1.7", False, None),
    ],
)
def test_range_bounds(
    ecosystem: str, ranges: list[dict], version: str, affected: bool, fixed: str | None
) -> None:
    verdict = versions.is_affected(ecosystem, ranges, [], version)
    assert (verdict.affected, verdict.fixed) == (affected, fixed)


def test_last_affected_includes_its_bound() -> None:
    ranges = [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0"}, {"last_affected": "1.4"}]}]
    assert versions.is_affected("PyPI", ranges, [], "1.4") == versions.Verdict(True, None)
    assert not versions.is_affected("PyPI", ranges, [], "1.4.1").affected
    assert not versions.is_affected("PyPI", ranges, [], "0.9").affected


def test_limit_bounds_the_range() -> None:
    ranges = [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"limit": "2.0.0"}]}]
    assert versions.is_affected("npm", ranges, [], "1.9.9").affected
    assert not versions.is_affected("npm", ranges, [], "2.0.0").affected


def test_explicit_versions_and_the_fix_after_them() -> None:
    ranges = [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]
    assert versions.is_affected("Hex", [], ["1.2.3"], "1.2.3") == versions.Verdict(True, None)
    assert not versions.is_affected("Hex", [], ["1.2.3"], "1.2.4").affected
    # An unreadable version matches only an explicit entry.
    assert versions.is_affected("PyPI", ranges, ["weird build"], "weird build").affected
    assert not versions.is_affected("PyPI", ranges, [], "weird build").affected


def test_git_ranges_are_ignored() -> None:
    ranges = [{"type": "GIT", "events": [{"introduced": "0"}, {"fixed": "abc123"}]}]
    assert not versions.is_affected("PyPI", ranges, [], "1.0").affected


@pytest.mark.parametrize(
    ("ecosystem", "name", "normalised"),
    [
        ("PyPI", "Django", "django"),
        ("PyPI", "zope.interface", "zope-interface"),
        ("PyPI", "Typing__Extensions", "typing-extensions"),
        ("crates.io", "Serde_JSON", "serde-json"),
        ("npm", "JSONStream", "jsonstream"),
        ("Go", "github.com/BurntSushi/toml", "github.com/BurntSushi/toml"),
        ("Maven", "org.apache.logging.log4j:log4j-core", "org.apache.logging.log4j:log4j-core"),
    ],
)
def test_names_are_normalised_per_ecosystem(ecosystem: str, name: str, normalised: str) -> None:
    assert versions.normalize_name(ecosystem, name) == normalised


def test_ecosystem_spellings() -> None:
    assert versions.canonical_ecosystem("cargo") == "crates.io"
    assert versions.canonical_ecosystem("pypi") == "PyPI"
    assert versions.canonical_ecosystem("golang") == "Go"
    assert versions.canonical_ecosystem("Debian:12") == "Debian:12"
