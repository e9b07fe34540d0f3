"""Snyk Open Source and Container JSON (``snyk test --json``, ``snyk container test --json``).

A single project is one object with a ``vulnerabilities`` array; ``--all-projects``
writes an array of such objects. One finding per entry of ``vulnerabilities``: Snyk
repeats an issue once per dependency path (``from``) that brings the package in.
Each project's name and target file come after its vulnerabilities. In an
all-projects array each project is read whole (one record), its vulnerabilities
then taken in order: memory follows the largest project. A single project is the
whole document, so its vulnerabilities are streamed one at a time and its name and
target file read by a second pass over the report (a stream that cannot seek is
copied to a temporary file first).

Severity: Snyk's words (``severityWithCritical`` first, for reports that cap
``severity`` at high).

Fingerprint: the project's target file (or name), the Snyk issue id, the package
name and the dependency path with versions left out — versions change on upgrade
while the issue stays the same.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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
# Descriptions up to this long are clipped once while they repeat, the last 256 of
# them kept: a few megabytes at most.
CACHED_DESCRIPTION_CHARACTERS = 16 * 1024
PROJECT_SHAPE: dict[str, Literal["object", "array"]] = {"": "object"}


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
        first, source = readers.first_byte(stream)
        if first == b"[":
            yield from _all_projects(source)
            return
        with readers.seekable(source) as seekable:
            reader = readers.JsonReader(
                seekable,
                ["vulnerabilities.item"],
                late=PROJECT_KEYS,
                expect=PROJECT_SHAPE,
                required=["vulnerabilities"],
            )
            project: _Project | None = None
            for record in reader:
                if project is None:
                    project = _Project.of(record.context, record.position)
                issue = readers.expect_mapping(record.value, record.position)
                yield _issue(issue, project, record.position)


def _all_projects(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    """Yield the findings of an ``--all-projects`` array, a whole project at a time."""
    has_vulnerabilities = False
    for position, item in readers.iter_json(stream, "item", required=True):
        project = readers.expect_mapping(item, position)
        if "vulnerabilities" not in project:
            continue
        has_vulnerabilities = True
        issues = readers.expect_list(project["vulnerabilities"], f"{position}.vulnerabilities")
        if not issues:
            continue
        known = _Project.of(project, f"{position}.vulnerabilities[0]")
        for index, issue in enumerate(issues):
            where = f"{position}.vulnerabilities[{index}]"
            yield _issue(readers.expect_mapping(issue, where), known, where)
    if not has_vulnerabilities:
        raise readers.not_a_report("item.vulnerabilities")


@dataclass(frozen=True)
class _Project:
    """What a project gives each of its findings."""

    name: str | None
    target_file: str | None
    component: str | None

    @classmethod
    def of(cls, project: Mapping[str, Any], position: str) -> _Project:
        if "projectName" not in project and "packageManager" not in project:
            raise MalformedReport(
                "the project names neither itself nor its package manager; it may be another tool's report",
                position=position,
            )
        name = values.text(project.get("projectName"))
        image = values.text(project.get("path")) if project.get("docker") else None
        target_file = values.text(project.get("displayTargetFile")) or values.text(project.get("targetFile"))
        return cls(name, target_file, image or name)


def _issue(issue: Mapping[str, Any], project: _Project, position: str) -> NormalizedFinding:
    issue_id = str(issue.get("id") or "")
    if not issue_id:
        raise MalformedReport("a vulnerability has no id", position=position)
    package = str(issue.get("packageName") or issue.get("moduleName") or issue.get("name") or "") or None
    version = str(issue.get("version") or "") or None
    path = [str(step) for step in readers.expect_list(issue.get("from"), f"{position}.from")]
    identifiers = readers.as_mapping(issue.get("identifiers"))
    identifier_values = [
        value
        for key, listed in identifiers.items()
        for value in readers.expect_list(listed, f"{position}.identifiers.{key}")
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
        description=_description(issue.get("description") or issue_title),
        advisory_ids=values.advisory_ids(identifier_values),
        cwe_ids=values.cwe_ids(cwes),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        location=FindingLocation(
            file_path=project.target_file,
            package=package,
            package_version=version,
            fixed_version=", ".join(fixed_in) or None,
            component=project.component,
        ),
        evidence=text.clip(" > ".join(path)),
        remediation=_remediation(package, upgrade, fixed_in, issue),
        references=tuple(dict.fromkeys(str(reference) for reference in references if reference)),
        tags=tuple(filter(None, [str(issue.get("type") or "vuln"), str(issue.get("packageManager") or "")])),
        fingerprint=grouping.fingerprint(
            TOOL,
            project.target_file or project.name,
            issue_id,
            package,
            " > ".join(_unversioned(step) for step in path),
        ),
    )


def _description(description: object) -> str:
    """Return an issue's description, clipped; the same text is clipped once (see below)."""
    if type(description) is str and len(description) <= CACHED_DESCRIPTION_CHARACTERS:
        return _clipped(description)
    return text.clip(description)


# Snyk repeats an issue, description and all, once per dependency path that brings the
# package in; clipping a description (a search for control characters) costs some 40 µs.
_clipped = functools.lru_cache(maxsize=256)(text.clip)


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
