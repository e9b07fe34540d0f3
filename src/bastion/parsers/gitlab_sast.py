"""GitLab SAST report (``gl-sast-report.json``), schema 2.x to 15.x.

The shared shape, detection and refusals are in :mod:`bastion.parsers._gitlab`.
Variants read: the legacy reports (schema 2.x, 3.0 and 14.x: each vulnerability
with ``category``, ``message`` and ``cve``, GitLab's comparison key, often without
``scan`` or ``id``; before GitLab had a secret detection report, its SAST report
carried the secrets of Gitleaks and TruffleHog too), and schema 15 (no ``cve``,
``category`` or ``message``; ``tracking`` signatures instead).

A finding is a vulnerability, located at its file, ``start_line`` and ``end_line``;
a Java analyzer's ``class`` and ``method`` become the component. The primary
identifier is the rule; CWEs come from the ``cwe`` identifiers (by value, or by a
name such as ``CWE-943`` where the value is the rule), CVEs from ``cve`` ones.

Severity: GitLab's word; ``Unknown`` and ``Undefined`` (analyzers that rate
nothing, such as ESLint's) are info, tagged ``severity:unrated``.

Fingerprint: the analyzer, the primary identifier, the file and an anchor on the
flagged code: GitLab's own tracking signature (schema 15), else its comparison key
``cve`` (a hash of the flagged code with the file and rule, for most analyzers),
else the place numbered among those of the same rule in the file (see
``RepeatCounter``) — never the line itself where GitLab gives an anchor.

Grouping: the records that share a fingerprint are one finding (as DefectDojo
keeps one per comparison key): the same code flagged at several lines of one file
is located at the first, the other lines listed in its evidence.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import _gitlab, grouping, text, values

TOOL = "gitlab_sast"
KINDS = frozenset({"sast"})
# Identifier types of the secret scanners the SAST report once carried: their code extract is the secret.
SECRET_SCANNERS = ("gitleaks", "trufflehog", "secret")


class GitlabSastParser(_gitlab.GitlabReportParser):
    """GitLab's SAST report, legacy and schema 15."""

    name = "gitlab_sast"
    label = "GitLab SAST report"
    defectdojo_scan_types = ("GitLab SAST Report",)

    kinds = KINDS

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        groups = grouping.FindingGroups()
        repeats = grouping.RepeatCounter()
        for vulnerability in self.vulnerabilities(stream):
            finding, place = _finding(vulnerability, repeats)
            groups.add(finding.fingerprint, finding, place)
        yield from groups.findings()


def _finding(
    vulnerability: _gitlab.Vulnerability, repeats: grouping.RepeatCounter
) -> tuple[NormalizedFinding, str]:
    location = vulnerability.location
    path = values.text(location.get("file"))
    start = values.line_number(location.get("start_line"))
    end = values.line_number(location.get("end_line"))
    scope = "#".join(
        part for part in (values.text(location.get("class")), values.text(location.get("method"))) if part
    )
    rule_key = vulnerability.rule_key
    comparison_key = vulnerability.text("cve")
    anchor = vulnerability.tracking_signature or comparison_key
    number = 0 if anchor else repeats.number(grouping.fingerprint(rule_key, path), start)
    extract = vulnerability.text("raw_source_code_extract")
    evidence = text.redacted(extract) if _is_secret(rule_key) else extract
    finding = NormalizedFinding(
        title=text.title(
            vulnerability.text("name")
            or vulnerability.text("message")
            or vulnerability.text("description")
            or vulnerability.rule_name
            or vulnerability.rule_id
        ),
        severity=vulnerability.severity,
        tool=TOOL,
        tool_version=vulnerability.scanner_version,
        rule_id=text.clip(vulnerability.rule_id, 500) or None,
        tool_finding_id=text.clip(vulnerability.text("id") or comparison_key, 500) or None,
        description=text.clip(vulnerability.description()),
        advisory_ids=vulnerability.advisory_ids,
        cwe_ids=vulnerability.cwe_ids,
        location=FindingLocation(
            file_path=path,
            line_start=start,
            line_end=end if end is not None and start is not None and end >= start else start,
            component=scope or None,
        ),
        evidence=text.clip(evidence),
        remediation=text.clip(vulnerability.text("solution")),
        references=vulnerability.references,
        tags=vulnerability.tags,
        fingerprint=grouping.fingerprint(
            TOOL,
            vulnerability.scanner_id,
            rule_key,
            path,
            anchor,
            *((number,) if number else ()),
        ),
    )
    place = f"{path}:{start}" if path and start is not None else path or vulnerability.position
    return finding, place


@functools.lru_cache(maxsize=4096)
def _is_secret(rule_key: str) -> bool:
    """Tell whether a rule is a secret scanner's, whose code extract is the secret."""
    lowered = rule_key.lower()
    return any(marker in lowered for marker in SECRET_SCANNERS)


PARSER = GitlabSastParser()
