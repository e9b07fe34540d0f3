"""JFrog Xray Unified vulnerabilities report (Xray 3 and later), JSON.

The report is what Xray's Reports feature exports as JSON, from the UI or from
``POST /api/v1/reports/vulnerabilities/{id}``: ``{"total_rows": N, "rows": [...]}``.
One finding per entry of ``rows``: one Xray issue (``issue_id``, with the CVEs it
covers in ``cves``) in one vulnerable component (``vulnerable_component``, a
component id such as ``pypi://Jinja2:2.11.2`` or ``gav://group:artifact:1.0``)
of one impacted artifact (``impacted_artifact``, ``path``). The rows are streamed
one at a time.

Variants read: the rows of Xray 3.x (``summary``, ``description``, ``provider``,
``package_type``, ``references``, CVEs with CVSS v2 and v3) and of later versions,
which leave ``description`` and ``package_type`` out and add
``component_physical_path``, ``project_keys`` and the contextual analysis result
(``applicability``, ``applicability_result``); JFrog's own research adds
``external_advisory_source`` and ``external_advisory_severity``. A row naming
neither an issue, a CVE nor a vulnerable component is not a vulnerability (the
licence and operational-risk reports share the envelope) and is refused.

Severity: Xray's words; ``Unknown`` becomes info. A row without one takes the
severity of its highest CVSS v3 score, else its CVSS v2 score.

CVSS: of the row's CVEs, the valid v3 vector with the highest score.

Fingerprint: the Xray issue id (the first CVE when there is none), the vulnerable
component's type and name, and the impacted artifact's name — all without
versions: a component or an image that is upgraded while still vulnerable stays
the same finding, and the Artifactory path (which holds the version) is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "jfrog_xray_unified"
ENVELOPE = re.compile(r'^\{\s*"(?:total_rows|rows)"\s*:')
EMPTY_ROWS = re.compile(r'"rows"\s*:\s*(?:\[\s*\]|null)')
ROW_MARKERS = ('"vulnerable_component"', '"impacted_artifact"', '"issue_id"', '"cves"')
# What makes a row a vulnerability: the licence and operational-risk reports have none of these.
VULNERABILITY_KEYS = ("issue_id", "cves", "vulnerable_component", "summary")
OS_PACKAGE_TYPES = frozenset({"rpm", "deb", "debian", "alpine"})


class JFrogXrayUnifiedParser(ReportParser):
    """Xray's vulnerabilities report, as the Reports feature exports it."""

    name = "jfrog_xray_unified"
    label = "JFrog Xray Unified JSON"
    defectdojo_scan_types = ("JFrog Xray Unified Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not ENVELOPE.match(text) or '"total_rows"' not in text or '"rows"' not in text:
            return 0
        if sum(marker in text for marker in ROW_MARKERS) >= 2:
            return 95
        if EMPTY_ROWS.search(text):
            return 60  # an empty report: nothing but the envelope, and only Xray's has total_rows
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        for position, item in readers.iter_json(stream, "rows.item", required=True):
            yield _row(readers.expect_mapping(item, position), position)


def _row(row: Mapping[str, Any], position: str) -> NormalizedFinding:
    if not any(row.get(key) for key in VULNERABILITY_KEYS):
        raise MalformedReport(
            "a row names no issue, CVE or vulnerable component; it may be a licence or "
            "operational risk report",
            position=position,
        )
    cves = [
        readers.expect_mapping(entry, f"{position}.cves[{index}]")
        for index, entry in enumerate(readers.expect_list(row.get("cves"), f"{position}.cves"))
    ]
    cve_ids = [str(entry["cve"]) for entry in cves if values.text(entry.get("cve"))]
    issue_id = values.text(row.get("issue_id"))
    vulnerability_id = issue_id or (cve_ids[0] if cve_ids else None) or "unknown issue"
    component_id = values.text(row.get("vulnerable_component")) or ""
    component_type, package, version = _component(component_id)
    package_type = values.text(row.get("package_type")) or component_type
    artifact = values.text(row.get("impacted_artifact"))
    fixed_versions = [
        str(value)
        for value in readers.expect_list(row.get("fixed_versions"), f"{position}.fixed_versions")
        if values.text(value)
    ]
    v3_vector, v3_score = _worst_cvss3(cves)
    if v3_vector is None:
        v3_score = values.score(row.get("cvss3_max_score"))
    summary = values.text(row.get("summary"))
    references = row.get("references")
    reference_list = (
        readers.expect_list(references, f"{position}.references")
        if not isinstance(references, str)
        else text.urls(references)
    )
    impact_path = [
        str(step) for step in readers.expect_list(row.get("impact_path"), f"{position}.impact_path") if step
    ]
    applicability = values.text(row.get("applicability_result"))
    title_id = cve_ids[0] if cve_ids else vulnerability_id
    return NormalizedFinding(
        title=text.title(" ".join(part for part in (title_id, package, version) if part) or summary),
        severity=_severity(row, v3_score, cves),
        tool=TOOL,
        rule_id=vulnerability_id,
        tool_finding_id=issue_id,
        description=text.clip(_description(row, summary)),
        advisory_ids=values.advisory_ids(cve_ids),
        cwe_ids=values.cwe_ids(
            cwe
            for index, entry in enumerate(cves)
            for cwe in readers.expect_list(entry.get("cwe"), f"{position}.cves[{index}].cwe")
        ),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        location=FindingLocation(
            file_path=values.text(row.get("path")),
            package=package,
            package_version=version,
            fixed_version=", ".join(fixed_versions) or None,
            component=artifact,
        ),
        evidence=text.clip(_evidence(row, component_id, impact_path)),
        remediation=(
            f"Upgrade {package or 'the component'} to {' or '.join(fixed_versions)}."
            if fixed_versions
            else ""
        ),
        references=tuple(dict.fromkeys(str(value) for value in reference_list if values.text(value))),
        tags=tuple(
            filter(
                None,
                [
                    package_type or "",
                    f"applicability:{applicability}" if applicability else "",
                    *(f"project:{key}" for key in _strings(row.get("project_keys"))),
                ],
            )
        ),
        fingerprint=grouping.fingerprint(
            TOOL, vulnerability_id, package_type, package, _unversioned(artifact)
        ),
    )


def _component(component_id: str) -> tuple[str | None, str | None, str | None]:
    """Split an Xray component id (``type://name:version``) into type, name and version.

    The version is after the last colon. Library names may hold colons themselves
    (``gav://group:artifact:1.0``), which stay in the name; an OS package's id is
    prefixed by its distribution and may carry an epoch (``rpm://7:curl:16:7.29.0``,
    ``deb://debian:buster:openssl:1.1.1d``), which are left out of the name.
    """
    if not component_id:
        return None, None, None
    kind, separator, rest = component_id.partition("://")
    if not separator:
        kind, rest = "", component_id
    name, colon, version = rest.rpartition(":")
    if not colon or not name:
        return kind or None, rest or None, None
    if kind.lower() in OS_PACKAGE_TYPES:
        parts = name.split(":")
        if len(parts) > 1 and parts[-1].isdigit():  # the epoch
            parts.pop()
        name = parts[-1] or name
    return kind or None, name, version or None


def _unversioned(artifact: str | None) -> str | None:
    """Return an impacted artifact's id (``docker://image:tag``) without its tag or version."""
    if not artifact:
        return None
    kind, separator, rest = artifact.partition("://")
    if not separator:
        kind, rest = "", artifact
    name = rest.rpartition(":")[0] or rest
    return f"{kind}://{name}" if kind else name


def _worst_cvss3(cves: list[Mapping[str, Any]]) -> tuple[str | None, float | None]:
    """Return the valid CVSS v3 vector with the highest score among the row's CVEs."""
    best: tuple[str | None, float | None] = (None, None)
    for entry in cves:
        vector, score = values.cvss3(values.text(entry.get("cvss_v3_vector")))
        if vector is not None and (best[1] is None or (score or 0.0) > best[1]):
            best = (vector, score)
    return best


def _severity(row: Mapping[str, Any], v3_score: float | None, cves: list[Mapping[str, Any]]) -> Severity:
    """Return Xray's severity word, else the CVSS v3 score's, else the highest CVSS v2 score's."""
    word = values.text(row.get("severity"))
    if word is not None:
        return values.severity_from_word(word)
    if v3_score is not None:
        return values.severity_from_score(v3_score)
    v2_scores = [values.score(entry.get("cvss_v2_score")) for entry in cves]
    v2 = max((score for score in v2_scores if score is not None), default=None)
    return values.severity_from_score(v2 if v2 is not None else values.score(row.get("cvss2_max_score")))


def _description(row: Mapping[str, Any], summary: str | None) -> str:
    body = values.text(row.get("description")) or summary or ""
    source = values.text(row.get("external_advisory_source"))
    rating = values.text(row.get("external_advisory_severity"))
    parts = [body]
    if summary and body != summary and not body.startswith(summary):
        parts.insert(0, summary)
    if source and rating:
        parts.append(f"{source}: {rating}")
    return "\n\n".join(part for part in parts if part)


def _evidence(row: Mapping[str, Any], component_id: str, impact_path: list[str]) -> str:
    lines = []
    if component_id:
        lines.append(f"Vulnerable component: {component_id}")
    physical = values.text(row.get("component_physical_path"))
    if physical:
        lines.append(f"Physical path: {physical}")
    if impact_path:
        lines.append("Impact path: " + " > ".join(impact_path))
    return "\n".join(lines)


def _strings(value: object) -> list[str]:
    return [str(item) for item in value if values.text(item)] if isinstance(value, list) else []


PARSER = JFrogXrayUnifiedParser()
