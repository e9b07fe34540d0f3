"""Snyk Open Source and Container JSON (``snyk test --json``, ``snyk container test --json``).

A single project is one object with a ``vulnerabilities`` array; ``--all-projects``
writes an array of such objects. One finding per entry of ``vulnerabilities``: Snyk
repeats an issue once per dependency path (``from``) that brings the package in.
The vulnerabilities are streamed one at a time, in both shapes. Each project's name
and target file come after its vulnerabilities, so they are read by a second pass
over the report (a stream that cannot seek is copied to a temporary file first).

Severity: Snyk's words (``severityWithCritical`` first, for reports that cap
``severity`` at high).

Fingerprint: the project's target file (or name), the Snyk issue id, the package
name and the dependency path with versions left out — versions change on upgrade
while the issue stays the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO, Literal

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "snyk"
# The project's fields a finding takes, written after the project's vulnerabilities.
PROJECT_KEYS = (
    "projectName",
    "displayTargetFile",
    "targetFile",
    "path",
    "docker",
    "packageManager",
)
PROJECT_SHAPE: dict[str, Literal["object", "array"]] = {"": "object"}
ALL_PROJECTS_SHAPE: dict[str, Literal["object", "array"]] = {
    "": "array",
    "item": "object",
    "item.vulnerabilities": "array",
}


class SnykParser(ReportParser):
    """Snyk CLI's JSON report, one project or all projects."""

    name = "snyk"
    label = "Snyk JSON"
    defectdojo_scan_types = ("Snyk Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith(("{", "[")) or '"vulnerabilities"' not in text:
            return 0
        project_markers = (
            '"packageManager"',
            '"dependencyCount"',
            '"uniqueCount"',
            '"licensesPolicy"',
        )
        issue_markers = ('"SNYK-', '"snyk:lic:', '"severityWithCritical"', '"isUpgradable"')
        if any(marker in text for marker in issue_markers):
            return 95
        if sum(marker in text for marker in project_markers) >= 2:
            return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        with readers.seekable(stream) as source:
            first, source = readers.first_byte(source)
            base = "item." if first == b"[" else ""
            reader = readers.JsonReader(
                source,
                [f"{base}vulnerabilities.item"],
                late=[f"{base}{key}" for key in PROJECT_KEYS],
                expect=ALL_PROJECTS_SHAPE if base else PROJECT_SHAPE,
                required=[f"{base}vulnerabilities"],
            )
            for record in reader:
                if not {"projectName", "packageManager"} & record.context.keys():
                    raise MalformedReport(
                        "the project names neither itself nor its package manager; "
                        "it may be another tool's report",
                        position=record.position,
                    )
                issue = readers.expect_mapping(record.value, record.position)
                yield _issue(issue, record.context, record.position)


def _issue(issue: Mapping[str, Any], project: Mapping[str, Any], position: str) -> NormalizedFinding:
    project_name = values.text(project.get("projectName"))
    target_file = values.text(project.get("displayTargetFile")) or values.text(project.get("targetFile"))
    image = values.text(project.get("path")) if project.get("docker") else None
    issue_id = str(issue.get("id") or "")
    if not issue_id:
        raise MalformedReport("a vulnerability has no id", position=position)
    package = str(issue.get("packageName") or issue.get("moduleName") or issue.get("name") or "") or None
    version = str(issue.get("version") or "") or None
    path = [str(step) for step in readers.expect_list(issue.get("from"), f"{position}.from")]
    identifiers = readers.as_mapping(issue.get("identifiers"))
    identifier_values = [
        value
        for key in identifiers
        for value in readers.expect_list(identifiers.get(key), f"{position}.identifiers.{key}")
    ]
    cwes = readers.expect_list(identifiers.get("CWE"), f"{position}.identifiers.CWE")
    fixed_in = [str(value) for value in readers.expect_list(issue.get("fixedIn"), f"{position}.fixedIn")]
    upgrade = [
        str(step) for step in readers.expect_list(issue.get("upgradePath"), f"{position}.upgradePath") if step
    ]
    v3_vector, v3_score = values.cvss3(str(issue.get("CVSSv3") or "") or None)
    if v3_vector is None:
        v3_score = values.score(issue.get("cvssScore"))
    references = [
        reference.get("url") if isinstance(reference, dict) else reference
        for reference in readers.expect_list(issue.get("references"), f"{position}.references")
    ]
    issue_title = str(issue.get("title") or issue_id)
    return NormalizedFinding(
        title=text.title(f"{issue_title} in {package}@{version}" if package and version else issue_title),
        severity=values.severity_from_word(issue.get("severityWithCritical") or issue.get("severity")),
        tool=TOOL,
        rule_id=issue_id,
        description=text.clip(issue.get("description") or issue_title),
        advisory_ids=values.advisory_ids(identifier_values),
        cwe_ids=values.cwe_ids(cwes),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        location=FindingLocation(
            file_path=target_file,
            package=package,
            package_version=version,
            fixed_version=", ".join(fixed_in) or None,
            component=image or project_name,
        ),
        evidence=text.clip(" > ".join(path)),
        remediation=_remediation(package, upgrade, fixed_in, issue),
        references=tuple(dict.fromkeys(str(reference) for reference in references if reference)),
        tags=tuple(filter(None, [str(issue.get("type") or "vuln"), str(issue.get("packageManager") or "")])),
        fingerprint=grouping.fingerprint(
            TOOL,
            target_file or project_name,
            issue_id,
            package,
            " > ".join(_unversioned(step) for step in path),
        ),
    )


def _unversioned(step: str) -> str:
    """Return a ``name@version`` dependency step without its version (``@scope/name`` kept)."""
    name, separator, _version = step.rpartition("@")
    return name if separator and name else step


def _remediation(
    package: str | None, upgrade: list[str], fixed_in: list[str], issue: Mapping[str, Any]
) -> str:
    if upgrade:
        return f"Upgrade to {upgrade[0]}" + (f" (brings {upgrade[-1]})." if len(upgrade) > 1 else ".")
    if fixed_in:
        return f"Upgrade {package or 'the package'} to {' or '.join(fixed_in)}."
    if issue.get("isPatchable"):
        return "Apply the Snyk patch for this issue."
    return ""


PARSER = SnykParser()
