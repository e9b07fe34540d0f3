"""OSV-Scanner JSON (``osv-scanner --format json``).

``results`` holds one entry per scanned source (a lock file, an SBOM, a
container image...), each with ``packages``: a package (``name``, ``version``,
``ecosystem``), the OSV records of its ``vulnerabilities`` and the ``groups``
that tie aliases together (with ``max_severity`` in recent versions). Each OSV
record of each package is one finding, aliases included, as the report lists
them. The results are streamed one source at a time.

Severity, first that the record gives: the advisory database's own word
(``database_specific.severity``: GHSA's LOW/MODERATE/HIGH/CRITICAL), the CVSS v3
then v4 base score of ``severity``, the group's ``max_severity`` score. A record
with none of them (e.g. MAL-... malicious package records) is rated low.

Fingerprint: the source path, the ecosystem, package name and version, and the
OSV id. The version stays in because a lock file can hold several versions of
one package, each its own finding.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport


class OsvScannerParser(ReportParser):
    """OSV-Scanner's JSON report."""

    name = "osv_scanner"
    label = "OSV-Scanner JSON"
    defectdojo_scan_types = ("OSV Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{") or '"results"' not in text:
            return 0
        # A source (path + type) then packages whose package names an OSV ecosystem.
        markers = ('"source"', '"packages"', '"package"', '"ecosystem"')
        if all(marker in text for marker in markers):
            return 90 if '"schema_version"' in text or '"groups"' in text else 75
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        for where, item in readers.iter_json(stream, "results.item", required=True):
            result = readers.expect_mapping(item, where)
            if "packages" not in result:
                raise MalformedReport("a result has no packages", position=where)
            source = result.get("source") or {}
            source_path = str(readers.expect_mapping(source, f"{where}.source").get("path") or "")
            source_type = str(source.get("type") or "")
            packages = readers.expect_list(result.get("packages"), f"{where}.packages")
            for number, entry in enumerate(packages):
                yield from self._package_findings(
                    readers.expect_mapping(entry, f"{where}.packages[{number}]"),
                    f"{where}.packages[{number}]",
                    source_path,
                    source_type,
                )

    def _package_findings(
        self, entry: Mapping[str, Any], where: str, source_path: str, source_type: str
    ) -> Iterator[NormalizedFinding]:
        package = readers.expect_mapping(entry["package"], f"{where}.package")
        name = str(package["name"])
        version = str(package.get("version") or package.get("commit") or "") or None
        ecosystem = str(package.get("ecosystem") or "")
        groups = readers.expect_list(entry.get("groups"), f"{where}.groups")
        dependency_groups = readers.expect_list(entry.get("dependency_groups"), "dependency_groups")
        vulnerabilities = readers.expect_list(entry.get("vulnerabilities"), f"{where}.vulnerabilities")
        for number, item in enumerate(vulnerabilities):
            position = f"{where}.vulnerabilities[{number}]"
            record = readers.expect_mapping(item, position)
            vuln_id = str(record["id"])
            aliases = [
                str(alias) for alias in readers.expect_list(record.get("aliases"), f"{position}.aliases")
            ]
            affected = [
                readers.expect_mapping(part, f"{position}.affected[{n}]")
                for n, part in enumerate(readers.expect_list(record.get("affected"), f"{position}.affected"))
            ]
            v3_vector, v3_score, v4_vector, v4_score = _cvss(record.get("severity"), position)
            severity = _severity(record, v3_score, v4_score, _max_severity(groups, vuln_id))
            fixed = _fixed_versions(affected, name, ecosystem)
            summary = str(record.get("summary") or "")
            label = f"{name}@{version}" if version else name
            references = [
                str(reference.get("url"))
                for reference in readers.expect_list(record.get("references"), f"{position}.references")
                if isinstance(reference, dict) and reference.get("url")
            ]
            tags = [f"ecosystem:{ecosystem}"] if ecosystem else []
            tags += [f"source:{source_type}"] if source_type else []
            tags += [f"group:{group}" for group in dependency_groups if isinstance(group, str)]
            yield NormalizedFinding(
                title=text.title(f"{vuln_id} in {label}" + (f": {summary}" if summary else "")),
                severity=severity,
                tool="osv_scanner",
                rule_id=vuln_id,
                advisory_ids=values.advisory_ids([vuln_id, *aliases]),
                cwe_ids=values.cwe_ids(_cwes(record, affected)),
                cvss_v3_vector=v3_vector,
                cvss_v3_score=v3_score,
                cvss_v4_vector=v4_vector,
                cvss_v4_score=v4_score,
                description=text.clip(
                    "\n\n".join(part for part in (summary, str(record.get("details") or "").strip()) if part)
                ),
                location=FindingLocation(
                    file_path=source_path or None,
                    package=name,
                    package_version=version,
                    fixed_version=", ".join(fixed) or None,
                ),
                remediation=f"Upgrade {name} to {' or '.join(fixed)}." if fixed else "",
                references=tuple(dict.fromkeys(references)),
                tags=tuple(tags),
                fingerprint=grouping.fingerprint(
                    "osv_scanner", source_path, ecosystem, name, version, vuln_id
                ),
            )


def _cvss(severities: object, position: str) -> tuple[str | None, float | None, str | None, float | None]:
    """Return the CVSS v3 and v4 vectors and scores of an OSV ``severity`` array."""
    v3: tuple[str | None, float | None] = (None, None)
    v4: tuple[str | None, float | None] = (None, None)
    for entry in readers.expect_list(severities, f"{position}.severity"):
        if not isinstance(entry, dict):
            continue
        kind, score = str(entry.get("type") or ""), str(entry.get("score") or "")
        if kind == "CVSS_V3" and v3[0] is None:
            v3 = values.cvss3(score)
        elif kind == "CVSS_V4" and v4[0] is None:
            v4 = values.cvss4(score)
    return v3[0], v3[1], v4[0], v4[1]


def _max_severity(groups: list[Any], vuln_id: str) -> float | None:
    """Return the ``max_severity`` score of the group holding ``vuln_id`` (osv-scanner 1.7+)."""
    for group in groups:
        if isinstance(group, dict) and vuln_id in (group.get("ids") or []):
            return values.score(group.get("max_severity"))
    return None


def _severity(
    record: Mapping[str, Any],
    v3_score: float | None,
    v4_score: float | None,
    group_score: float | None,
) -> Severity:
    specific = record.get("database_specific")
    word = specific.get("severity") if isinstance(specific, dict) else None
    if isinstance(word, str) and values.SEVERITY_WORDS.get(word.strip().lower()):
        return values.severity_from_word(word)
    for score in (v3_score, v4_score, group_score):
        if score is not None:
            return values.severity_from_score(score)
    return Severity.LOW


def _fixed_versions(affected: list[Mapping[str, Any]], name: str, ecosystem: str) -> list[str]:
    """Return the ``fixed`` events of the affected entries that name this package."""
    fixed: list[str] = []
    for part in affected:
        package = part.get("package")
        if isinstance(package, dict):
            same_name = str(package.get("name") or "").lower() == name.lower()
            same_ecosystem = not ecosystem or str(package.get("ecosystem") or "") == ecosystem
            if not (same_name and same_ecosystem):
                continue
        for version_range in part.get("ranges") or []:
            if not isinstance(version_range, dict):
                continue
            for event in version_range.get("events") or []:
                if isinstance(event, dict) and event.get("fixed"):
                    value = str(event["fixed"])
                    if value not in fixed:
                        fixed.append(value)
    return fixed


def _cwes(record: Mapping[str, Any], affected: list[Mapping[str, Any]]) -> list[object]:
    """Return the CWE ids of a record: GHSA's ``cwe_ids`` and per-affected ``cwes``."""
    found: list[object] = []
    specific = record.get("database_specific")
    if isinstance(specific, dict) and isinstance(specific.get("cwe_ids"), list):
        found.extend(specific["cwe_ids"])
    for part in affected:
        part_specific = part.get("database_specific")
        if isinstance(part_specific, dict) and isinstance(part_specific.get("cwes"), list):
            found.extend(cwe.get("cweId") for cwe in part_specific["cwes"] if isinstance(cwe, dict))
    return found


PARSER = OsvScannerParser()
