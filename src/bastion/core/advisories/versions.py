"""Version ordering and OSV range matching per ecosystem, on AboutCode's ``univers``.

A version that an ecosystem's ordering cannot read matches only an explicit ``versions`` entry:
guessing its place in a range would turn noise into findings (or hide real ones).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from univers.versions import (
    GolangVersion,
    InvalidVersion,
    MavenVersion,
    NugetVersion,
    PypiVersion,
    RubygemsVersion,
    SemverVersion,
    Version,
)

PYPI = "PyPI"
NPM = "npm"
GO = "Go"
CARGO = "crates.io"
MAVEN = "Maven"
RUBYGEMS = "RubyGems"
NUGET = "NuGet"

ORDERINGS: dict[str, type[Version]] = {
    PYPI: PypiVersion,
    NPM: SemverVersion,
    GO: GolangVersion,
    CARGO: SemverVersion,
    MAVEN: MavenVersion,
    RUBYGEMS: RubygemsVersion,
    NUGET: NugetVersion,
}

# Names a caller (a lock-file reader, a purl) may use for an ecosystem, to OSV's spelling.
_ECOSYSTEM_NAMES = {
    "pypi": PYPI,
    "pip": PYPI,
    "python": PYPI,
    "npm": NPM,
    "go": GO,
    "golang": GO,
    "crates.io": CARGO,
    "cargo": CARGO,
    "maven": MAVEN,
    "rubygems": RUBYGEMS,
    "gem": RUBYGEMS,
    "nuget": NUGET,
}

RANGE_TYPES = ("ECOSYSTEM", "SEMVER")
_PYPI_SEPARATORS = re.compile(r"[-_.]+")


class UnknownVersion(ValueError):
    """A version string the ecosystem's ordering cannot read."""


def canonical_ecosystem(ecosystem: str) -> str:
    """Return OSV's spelling of an ecosystem (``cargo`` -> ``crates.io``); others unchanged."""
    return _ECOSYSTEM_NAMES.get(ecosystem.strip().lower(), ecosystem.strip())


def normalize_name(ecosystem: str, name: str) -> str:
    """Return the package name as the ecosystem compares names, so lookups meet the stored form."""
    name = name.strip()
    if ecosystem == PYPI:
        return _PYPI_SEPARATORS.sub("-", name).lower()  # PEP 503
    if ecosystem == CARGO:
        return name.lower().replace("_", "-")  # crates.io treats - and _ and case as one name
    if ecosystem in (NPM, NUGET):
        return name.lower()
    # Go module paths, Maven coordinates and gems are compared as written.
    return name


def parse(ordering: type[Version], text: str) -> Version:
    """Read ``text`` with an ordering (cached: the same bounds recur across thousands of packages)."""
    return _parse(ordering.__name__, text)


_BY_NAME: dict[str, type[Version]] = {ordering.__name__: ordering for ordering in (*ORDERINGS.values(),)}


@lru_cache(maxsize=131072)
def _parse(ordering_name: str, text: str) -> Version:
    ordering = _BY_NAME[ordering_name]
    try:
        return ordering(text.removeprefix("v") if ordering is not MavenVersion else text)
    except (InvalidVersion, ValueError, TypeError) as error:
        raise UnknownVersion(text) from error


def ordering_for(ecosystem: str, range_type: str) -> type[Version] | None:
    """Return the ordering a range of this type uses in this ecosystem (None: not comparable)."""
    if range_type == "SEMVER":
        return GolangVersion if ecosystem == GO else SemverVersion
    return ORDERINGS.get(ecosystem.split(":", 1)[0])


@dataclass(frozen=True)
class Verdict:
    """Whether a version is affected, and the fixed version to suggest (None when none is known)."""

    affected: bool
    fixed: str | None = None


NOT_AFFECTED = Verdict(False)


def _events_in_order(
    ordering: type[Version], events: Sequence[Mapping[str, str]]
) -> list[tuple[Version | None, str, str]]:
    """Return (parsed version, kind, text) sorted by version; ``introduced: 0`` comes first (None)."""
    parsed: list[tuple[Version | None, str, str]] = []
    for event in events:
        for kind, text in event.items():
            if kind == "introduced" and text == "0":
                parsed.append((None, kind, text))
            else:
                parsed.append((parse(ordering, text), kind, text))
    zero = [item for item in parsed if item[0] is None]
    known = [(bound, kind, text) for bound, kind, text in parsed if bound is not None]
    known.sort(key=lambda item: item[0])
    return [*zero, *known]


def match_range(ecosystem: str, osv_range: Mapping[str, Any], version: str) -> Verdict:
    """Evaluate one OSV range (ECOSYSTEM or SEMVER) for ``version`` as the OSV spec describes."""
    range_type = osv_range.get("type", "")
    if range_type not in RANGE_TYPES:
        return NOT_AFFECTED
    ordering = ordering_for(ecosystem, range_type)
    if ordering is None:
        return NOT_AFFECTED
    try:
        candidate = parse(ordering, version)
        events = _events_in_order(ordering, osv_range.get("events", []))
    except UnknownVersion:
        return NOT_AFFECTED
    limits = [bound for bound, kind, _text in events if kind == "limit"]
    if limits and all(candidate >= bound for bound in limits if bound is not None):
        return NOT_AFFECTED
    affected = False
    for bound, kind, _text in events:
        if kind == "introduced" and (bound is None or candidate >= bound):
            affected = True
        elif kind == "fixed" and bound is not None and candidate >= bound:
            affected = False
        elif kind == "last_affected" and bound is not None and candidate > bound:
            affected = False
    if not affected:
        return NOT_AFFECTED
    return Verdict(True, _next_fixed(events, candidate))


def _next_fixed(events: Iterable[tuple[Version | None, str, str]], candidate: Version) -> str | None:
    for bound, kind, text in events:
        if kind == "fixed" and bound is not None and bound > candidate:
            return text
    return None


def is_affected(
    ecosystem: str, ranges: Sequence[Mapping[str, Any]], versions: Sequence[str], version: str
) -> Verdict:
    """Match a version against an affected package's explicit versions, then its ranges."""
    fixed_candidates: list[Verdict] = []
    for osv_range in ranges:
        verdict = match_range(ecosystem, osv_range, version)
        if verdict.affected:
            fixed_candidates.append(verdict)
    if fixed_candidates:
        return nearest_fix(ecosystem, fixed_candidates)
    if version in versions or version.removeprefix("v") in versions:
        return Verdict(True, _fixed_after(ecosystem, ranges, version))
    return NOT_AFFECTED


def nearest_fix(ecosystem: str, verdicts: Sequence[Verdict]) -> Verdict:
    """Return the affected verdict whose fixed version is the lowest (one without a fix last)."""
    with_fix = [verdict for verdict in verdicts if verdict.fixed is not None]
    if not with_fix:
        return verdicts[0]
    ordering = ORDERINGS.get(ecosystem.split(":", 1)[0], SemverVersion)
    try:
        return min(with_fix, key=lambda verdict: parse(ordering, verdict.fixed or ""))
    except UnknownVersion:
        return with_fix[0]


def _fixed_after(ecosystem: str, ranges: Sequence[Mapping[str, Any]], version: str) -> str | None:
    """Return the lowest fixed version above ``version`` in any range (for an explicit-list match)."""
    best: tuple[Version, str] | None = None
    for osv_range in ranges:
        ordering = ordering_for(ecosystem, osv_range.get("type", ""))
        if ordering is None:
            continue
        try:
            candidate = parse(ordering, version)
            for bound, kind, text in _events_in_order(ordering, osv_range.get("events", [])):
                if kind == "fixed" and bound is not None and bound > candidate:
                    if best is None or bound < best[0]:
                        best = (bound, text)
        except UnknownVersion:
            continue
    return None if best is None else best[1]
