"""Dependency audit: the packages a tree's lock and manifest files pin, against the OSV advisory database.

The output is a SARIF 2.1.0 log for the import pipeline: one rule per advisory, one result per
advisory, package and file. A result's ``partialFingerprints`` names the ecosystem, the package,
the advisory and the file but not the version, so an upgrade that is still affected stays the same
finding and one that fixes it makes the finding disappear from the next full import. Several
affected versions of one package in one file (a go.sum lists many, an npm lock may nest copies)
are therefore one result that names them all: two results with one fingerprint would collapse into
one in the import anyway, losing all but the last.

Files that could not be read become ``toolExecutionNotifications``, not findings; dependencies
without a pinned version are not audited. The lookup is blocking ORM work: callers in an event
loop run :func:`audit` in a worker thread.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from bastion.core.advisories import selectors, versions
from bastion.core.advisories.models import Advisory
from bastion.scanner.engines.dependencies import DEFAULT_LIMITS, Limits, ManifestError, read_tree

TOOL_NAME = "bastion-dependency-audit"
FINGERPRINT_KEY = "bastionDependency/v1"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"

# The source's own rating (GitHub's LOW .. CRITICAL) as a security-severity score, when no CVSS scored.
_DATABASE_SEVERITY = {
    "CRITICAL": Decimal("9.5"),
    "HIGH": Decimal("8.0"),
    "MODERATE": Decimal("5.5"),
    "MEDIUM": Decimal("5.5"),
    "LOW": Decimal("2.0"),
}
_DEFAULT_SEVERITY = Decimal("5.5")  # medium: an advisory that rates nothing is still a finding


@dataclass(frozen=True)
class AuditReport:
    """A finished audit: the SARIF log and what a scan's progress reports about it."""

    sarif: bytes
    manifests: int
    packages: int
    results: int
    refused: tuple[ManifestError, ...]


@dataclass
class _Occurrence:
    """An advisory affecting one package in one file: each affected version, its line and fix."""

    advisory: Advisory
    ecosystem: str
    name: str
    path: str
    # version -> (first line declaring it, nearest fixed version)
    versions: dict[str, tuple[int | None, str | None]] = field(default_factory=dict)


def audit(root: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Audit every lock and manifest file of a tree; return a SARIF 2.1.0 log."""
    return audit_tree(root, limits).sarif


def audit_tree(root: Path, limits: Limits = DEFAULT_LIMITS) -> AuditReport:
    """Audit a tree and return the SARIF log with its counts.

    Raises ``ManifestError`` when the tree as a whole is refused (not a directory, too many files):
    an empty log would make a full import resolve every dependency finding of the asset.
    """
    tree = read_tree(root, limits)
    packages = [package for reading in tree.readings for package in reading.packages]
    distinct = {(str(package.ecosystem), package.name, package.version) for package in packages}
    matches = selectors.advisories_for_packages(sorted(distinct))
    occurrences: dict[tuple[str, str, str, str], _Occurrence] = {}
    for package in packages:
        for match in matches[(str(package.ecosystem), package.name, package.version)]:
            name = versions.normalize_name(match.ecosystem, package.name)
            key = (match.advisory.osv_id, match.ecosystem, name, package.path)
            occurrence = occurrences.setdefault(
                key, _Occurrence(match.advisory, match.ecosystem, package.name, package.path)
            )
            line, fixed = occurrence.versions.get(package.version, (package.line, match.fixed))
            # The same file may be read twice (a requirements file included by two others).
            occurrence.versions[package.version] = (_first_line(line, package.line), fixed)
    ordered = sorted(occurrences.values(), key=_result_order)
    by_advisory: dict[str, list[_Occurrence]] = {}
    for item in ordered:
        by_advisory.setdefault(item.advisory.osv_id, []).append(item)
    osv_ids = sorted(by_advisory)
    rule_index = {osv_id: index for index, osv_id in enumerate(osv_ids)}
    rules = [_rule(by_advisory[osv_id][0].advisory, by_advisory[osv_id]) for osv_id in osv_ids]
    results = [_result(item, rule_index[item.advisory.osv_id]) for item in ordered]
    run_properties = {
        "manifests": len(tree.readings),
        "packages": len(distinct),
        "unresolved": sum(len(reading.unresolved) for reading in tree.readings),
    }
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": TOOL_NAME, "informationUri": "https://osv.dev", "rules": rules}},
                "invocations": [
                    {
                        # The audit completed; files it could not read are reported, not fatal.
                        "executionSuccessful": True,
                        "toolExecutionNotifications": [_notification(error) for error in tree.errors],
                    }
                ],
                "results": results,
                "properties": run_properties,
            }
        ],
    }
    return AuditReport(
        sarif=orjson.dumps(log),
        manifests=len(tree.readings),
        packages=len(distinct),
        results=len(results),
        refused=tree.errors,
    )


def _first_line(known: int | None, other: int | None) -> int | None:
    lines = [line for line in (known, other) if line is not None]
    return min(lines) if lines else None


def _result_order(occurrence: _Occurrence) -> tuple[str, int, str, str]:
    line = min((line for line, _fixed in occurrence.versions.values() if line is not None), default=0)
    return (occurrence.path, line, occurrence.name, occurrence.advisory.osv_id)


def security_severity(advisory: Advisory) -> Decimal:
    """Return the advisory's score: its CVSS base score, else its source's rating, else medium."""
    if advisory.cvss_score is not None:
        return advisory.cvss_score
    return _DATABASE_SEVERITY.get(advisory.database_severity.strip().upper(), _DEFAULT_SEVERITY)


def _level(score: Decimal) -> str:
    if score >= 7:
        return "error"
    return "warning" if score >= 4 else "note"


def _rule(advisory: Advisory, occurrences: list[_Occurrence]) -> dict[str, Any]:
    """Describe an advisory as a SARIF rule; its help names the fixed version of each package found."""
    score = security_severity(advisory)
    details = advisory.details.strip()
    packages = sorted({(item.name, item.ecosystem) for item in occurrences})
    short = advisory.summary.strip() or next(
        (line.strip() for line in details.splitlines() if line.strip()),
        f"Vulnerability in {', '.join(name for name, _ecosystem in packages)}",
    )
    advice: dict[str, str] = {}
    for item in occurrences:
        for version, (_line, fixed) in item.versions.items():
            subject = f"{item.name} {version} ({item.ecosystem})"
            advice.setdefault(
                subject,
                f"{subject}: upgrade to {fixed} or later."
                if fixed
                else f"{subject}: no fixed version is known; remove or replace the package.",
            )
    link = f"https://osv.dev/vulnerability/{quote(advisory.osv_id)}"
    properties: dict[str, Any] = {
        "tags": ["security", "dependency", *_tags(advisory), *advisory.cwe_ids],
        "security-severity": f"{score:.1f}",
    }
    if advisory.severity_vector.upper().startswith("CVSS:"):
        properties["cvss"] = advisory.severity_vector  # the parser reads the vector and its score
    return {
        "id": advisory.osv_id,
        "shortDescription": {"text": short},
        **({"fullDescription": {"text": details}} if details else {}),
        "help": {"text": "\n".join([*sorted(advice.values()), f"Advisory: {link}"])},
        "helpUri": link,
        "defaultConfiguration": {"level": _level(score)},
        "properties": properties,
    }


def _tags(advisory: Advisory) -> list[str]:
    """Return the advisory's aliases (CVE, GHSA...), deduplicated, as rule tags."""
    found: list[str] = []
    for value in advisory.aliases:
        if isinstance(value, str) and value.strip() and value.strip() not in found:
            found.append(value.strip())
    return found


def _result(occurrence: _Occurrence, rule_index: int) -> dict[str, Any]:
    """Describe one advisory affecting one package in one file as a SARIF result."""
    advisory = occurrence.advisory
    ordered = sorted(
        occurrence.versions.items(), key=lambda item: _version_key(occurrence.ecosystem, item[0])
    )
    affected = _joined(version for version, _entry in ordered)
    fixes = list(dict.fromkeys(fixed for _version, (_line, fixed) in ordered if fixed))
    verb = "is" if len(ordered) == 1 else "are"
    message = (
        f"{occurrence.name} {affected} ({occurrence.ecosystem}) in {occurrence.path} {verb} affected by "
        f"{advisory.osv_id}; " + (f"fixed in {_joined(fixes)}" if fixes else "no fixed version is known")
    )
    lines = [line for _version, (line, _fixed) in ordered if line is not None]
    physical: dict[str, Any] = {"artifactLocation": {"uri": quote(occurrence.path), "uriBaseId": SOURCE_ROOT}}
    if lines:
        physical["region"] = {"startLine": min(lines)}
    return {
        "ruleId": advisory.osv_id,
        "ruleIndex": rule_index,
        "level": _level(security_severity(advisory)),
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": physical,
                "logicalLocations": [
                    {"fullyQualifiedName": f"{occurrence.ecosystem}/{occurrence.name}", "kind": "package"}
                ],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(occurrence)},
        "properties": {
            "ecosystem": occurrence.ecosystem,
            "package": occurrence.name,
            "versions": [version for version, _entry in ordered],
            "fixedVersions": fixes,
        },
    }


def fingerprint(occurrence: _Occurrence) -> str:
    """Return the result's stable key: ecosystem, normalised name, advisory and file; not the version."""
    name = versions.normalize_name(occurrence.ecosystem, occurrence.name)
    parts = (occurrence.ecosystem, name, occurrence.advisory.osv_id, occurrence.path)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _version_key(ecosystem: str, version: str) -> tuple[int, Any, str]:
    """Order versions as the ecosystem does; versions it cannot read go last, as text."""
    ordering = versions.ORDERINGS.get(ecosystem)
    if ordering is not None:
        try:
            return (0, versions.parse(ordering, version), version)
        except versions.UnknownVersion:
            pass
    return (1, None, version)


def _joined(items: Iterable[str]) -> str:
    listed = list(items)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def _notification(error: ManifestError) -> dict[str, Any]:
    """Report a file the audit could not read: a notification, so that it is not taken for a finding."""
    return {
        "level": "error",
        "descriptor": {"id": "manifest-unreadable"},
        "message": {"text": f"{error.path}: {error.problem}"},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": quote(error.path), "uriBaseId": SOURCE_ROOT}}}
        ],
    }
