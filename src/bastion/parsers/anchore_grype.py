"""Anchore Grype JSON (``grype <target> -o json``).

One finding per entry of ``matches``: a vulnerability matched against one
package (``artifact``). The ``descriptor`` naming grype's version is written after
the matches, so it is not read: the report is streamed.

Severity: grype's words; ``Negligible`` and ``Unknown`` become info. A match with no
severity takes its related vulnerability's, or else its CVSS score's.

Fingerprint: the vulnerability id, the package's name and type, and the paths where
the package was found — not its version, which changes while the same
vulnerability stays open on the same package.

Two matches of one CVE at different paths (the same library bundled in two jars,
or installed twice in an image) are two findings: each copy must be fixed on its
own, and the fingerprint tells them apart by path, as DefectDojo's own key does.
Two matches at the same paths (grype matching one package by two matchers, or
by its CPE and its ecosystem) share a fingerprint and are one finding for the
commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "anchore_grype"
DESCRIPTOR_PATTERN = re.compile(r'"descriptor"\s*:\s*\{\s*"name"\s*:\s*"grype"')


class AnchoreGrypeParser(ReportParser):
    """Grype's JSON report."""

    name = "anchore_grype"
    label = "Anchore Grype JSON"
    defectdojo_scan_types = ("Anchore Grype",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{") or '"matches"' not in text:
            return 0
        if '"matchDetails"' in text or DESCRIPTOR_PATTERN.search(text):
            return 95
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        for position, item in readers.iter_json(stream, "matches.item", required=True):
            yield _match(readers.expect_mapping(item, position), position)


def _match(match: Mapping[str, Any], position: str) -> NormalizedFinding:
    vulnerability = readers.expect_mapping(match.get("vulnerability"), f"{position}.vulnerability")
    artifact = readers.expect_mapping(match.get("artifact"), f"{position}.artifact")
    vulnerability_id = str(vulnerability.get("id") or "")
    if not vulnerability_id:
        raise MalformedReport("a match has no vulnerability id", position=f"{position}.vulnerability")
    related = [
        readers.expect_mapping(entry, f"{position}.relatedVulnerabilities[{index}]")
        for index, entry in enumerate(
            readers.expect_list(match.get("relatedVulnerabilities"), f"{position}.relatedVulnerabilities")
        )
    ]
    package = str(artifact.get("name") or "") or None
    version = str(artifact.get("version") or "") or None
    package_type = str(artifact.get("type") or "")
    paths = [
        str(location.get("path"))
        for location in readers.expect_list(artifact.get("locations"), f"{position}.artifact.locations")
        if isinstance(location, dict) and location.get("path")
    ]
    fix = vulnerability.get("fix")
    fix = fix if isinstance(fix, dict) else {}
    fixed_versions = [
        str(value) for value in readers.expect_list(fix.get("versions"), f"{position}.fix.versions")
    ]
    fix_state = str(fix.get("state") or "")
    v3, v4 = _cvss([vulnerability, *related], position)
    description = next(
        (str(entry["description"]) for entry in (vulnerability, *related) if entry.get("description")),
        "",
    )
    references: list[object] = [vulnerability.get("dataSource")]
    for entry in (vulnerability, *related):
        references.extend(readers.expect_list(entry.get("urls"), f"{position}.urls"))
    for advisory in readers.expect_list(
        vulnerability.get("advisories"), f"{position}.vulnerability.advisories"
    ):
        if isinstance(advisory, dict):
            references.append(advisory.get("link"))
    cwes = readers.expect_list(vulnerability.get("cwes"), f"{position}.vulnerability.cwes")
    return NormalizedFinding(
        title=text.title(" ".join(part for part in (vulnerability_id, package, version) if part)),
        severity=_severity([vulnerability, *related], v3[1] or v4[1]),
        tool=TOOL,
        rule_id=vulnerability_id,
        description=text.clip(description),
        advisory_ids=values.advisory_ids([vulnerability_id, *(entry.get("id") for entry in related)]),
        cwe_ids=values.cwe_ids(entry.get("cwe") if isinstance(entry, dict) else entry for entry in cwes),
        cvss_v3_vector=v3[0],
        cvss_v3_score=v3[1],
        cvss_v4_vector=v4[0],
        cvss_v4_score=v4[1],
        location=FindingLocation(
            file_path=paths[0] if paths else None,
            package=package,
            package_version=version,
            fixed_version=", ".join(fixed_versions) or None,
            component=str(artifact.get("purl") or "") or None,
        ),
        evidence=text.clip("\n".join(paths)),
        remediation=(
            f"Upgrade {package or 'the package'} to {' or '.join(fixed_versions)}."
            if fixed_versions
            else (f"Fix state: {fix_state}." if fix_state else "")
        ),
        references=tuple(dict.fromkeys(str(value) for value in references if value)),
        tags=tuple(filter(None, [package_type, f"fix:{fix_state}" if fix_state else ""])),
        fingerprint=grouping.fingerprint(
            TOOL, vulnerability_id, package, package_type, "\n".join(sorted(paths))
        ),
    )


def _severity(entries: list[Mapping[str, Any]], score: float | None) -> Severity:
    """Return the matched vulnerability's severity, else a related one's, else the CVSS score's."""
    word = next((entry["severity"] for entry in entries if entry.get("severity")), None)
    if word is not None:
        return values.severity_from_word(word)
    return values.severity_from_score(score)


def _cvss(
    entries: list[Mapping[str, Any]], position: str
) -> tuple[tuple[str | None, float | None], tuple[str | None, float | None]]:
    """Return the first valid CVSS v3 and v4 vectors, the matched vulnerability's first."""
    v3: tuple[str | None, float | None] = (None, None)
    v4: tuple[str | None, float | None] = (None, None)
    for entry in entries:
        for cvss in readers.expect_list(entry.get("cvss"), f"{position}.cvss"):
            if not isinstance(cvss, dict) or not cvss.get("vector"):
                continue
            vector = str(cvss["vector"])
            if vector.startswith("CVSS:3") and v3[0] is None:
                v3 = values.cvss3(vector)
            elif vector.startswith("CVSS:4") and v4[0] is None:
                v4 = values.cvss4(vector)
    return v3, v4


PARSER = AnchoreGrypeParser()
