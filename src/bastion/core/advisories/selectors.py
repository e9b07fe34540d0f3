"""Which advisories affect a package version: one query per ecosystem for a whole lock file, and
one for the advisories that matched."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bastion.core.advisories import versions
from bastion.core.advisories.models import Advisory, AffectedPackage

# Names per query: under SQLite's bound-parameter limit, and a plan PostgreSQL keeps cheap.
_NAMES_PER_QUERY = 900


@dataclass(frozen=True)
class AdvisoryMatch:
    """An advisory affecting a package version, and the fixed version to suggest (if known)."""

    advisory: Advisory
    ecosystem: str
    name: str
    version: str
    fixed: str | None


PackageKey = tuple[str, str, str]


def advisories_for(ecosystem: str, name: str, version: str) -> list[AdvisoryMatch]:
    """Return the advisories affecting one package version, by OSV id."""
    return advisories_for_packages([(ecosystem, name, version)])[(ecosystem, name, version)]


def advisories_for_packages(packages: Iterable[PackageKey]) -> dict[PackageKey, list[AdvisoryMatch]]:
    """Return, for each (ecosystem, name, version) given, the advisories affecting it.

    Keys are the tuples as given; ecosystem spellings (``cargo``, ``pypi``) and names are
    normalised for the lookup; each list is in OSV id order. Withdrawn advisories are left out.
    """
    wanted: dict[str, dict[str, list[tuple[PackageKey, str]]]] = defaultdict(lambda: defaultdict(list))
    results: dict[PackageKey, list[AdvisoryMatch]] = {}
    for key in packages:
        ecosystem, name, version = key
        canonical = versions.canonical_ecosystem(ecosystem)
        wanted[canonical][versions.normalize_name(canonical, name)].append((key, version))
        results[key] = []
    # Which advisories, per package: ranges are read as plain values, not model instances.
    verdicts: dict[tuple[PackageKey, int], list[versions.Verdict]] = defaultdict(list)
    for ecosystem, by_name in wanted.items():
        names = sorted(by_name)
        for start in range(0, len(names), _NAMES_PER_QUERY):
            rows = AffectedPackage.objects.filter(
                ecosystem=ecosystem,
                name__in=names[start : start + _NAMES_PER_QUERY],
                advisory__withdrawn__isnull=True,
            ).values_list("advisory_id", "name", "ranges", "versions")
            for advisory_id, name, ranges, listed in rows:
                for key, version in by_name[name]:
                    verdict = versions.is_affected(ecosystem, ranges, listed, version)
                    if verdict.affected:
                        verdicts[(key, advisory_id)].append(verdict)
    # Then the advisories that matched, once each.
    advisory_ids = sorted({advisory_id for _key, advisory_id in verdicts})
    advisories: dict[int, Advisory] = {}
    for start in range(0, len(advisory_ids), _NAMES_PER_QUERY):
        advisories.update(Advisory.objects.in_bulk(advisory_ids[start : start + _NAMES_PER_QUERY]))
    # An advisory may list a package several times (one entry per branch): one match per advisory.
    for (key, advisory_id), found in sorted(verdicts.items(), key=lambda item: advisories[item[0][1]].osv_id):
        ecosystem = versions.canonical_ecosystem(key[0])
        best = versions.nearest_fix(ecosystem, found)
        results[key].append(AdvisoryMatch(advisories[advisory_id], ecosystem, key[1], key[2], best.fixed))
    return results
