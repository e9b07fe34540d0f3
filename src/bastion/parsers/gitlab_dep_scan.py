"""GitLab dependency scanning report (``gl-dependency-scanning-report.json``), schema 2.x to 15.x.

The shared shape, detection and refusals are in :mod:`bastion.parsers._gitlab`.
Variants read: schema 14 and before (``category``, ``message``, ``cve``: GitLab's
comparison key of file, package, analyzer and advisory) and schema 15 (without
them). ``dependency_files`` (the dependency inventory) holds no finding and is
not read.

A finding is a vulnerable dependency: the manifest or lock file, the package and
its version (``location.dependency``; a package without a name is kept, without
one), the fixed version when the solution reads "Upgrade to version X or above".
The primary identifier (a Gemnasium advisory id, a CVE...) is the rule; CVEs and
GHSAs come from the identifiers, CWEs from the ``cwe`` ones.

Severity: GitLab's word; ``Unknown`` and ``Undefined`` are info, tagged
``severity:unrated``.

Fingerprint: the file, the package name and version, and the primary identifier.
The version is in it because one lock file can hold several versions of a package
(the report has no other way to tell them apart). A report that repeats a record
repeats its fingerprint: the repeat is dropped.
"""

from __future__ import annotations

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import _gitlab, grouping, text, values

TOOL = "gitlab_dep_scan"
KINDS = frozenset({"dependency_scanning"})


class GitlabDependencyScanningParser(_gitlab.DistinctFindingsParser):
    """GitLab's dependency scanning report."""

    name = "gitlab_dep_scan"
    label = "GitLab dependency scanning report"
    defectdojo_scan_types = ("GitLab Dependency Scanning Report",)

    kinds = KINDS

    def finding(self, vulnerability: _gitlab.Vulnerability) -> NormalizedFinding:
        return _finding(vulnerability)


def _finding(vulnerability: _gitlab.Vulnerability) -> NormalizedFinding:
    path = values.text(vulnerability.location.get("file"))
    package, version = _gitlab.dependency(vulnerability.location, vulnerability.position)
    solution = vulnerability.text("solution")
    fixed = _gitlab.fixed_version(solution)
    heading = vulnerability.text("message") or vulnerability.text("name") or vulnerability.rule_name
    if not heading:
        heading = " ".join(part for part in (vulnerability.rule_id, "in", package) if part)
    return NormalizedFinding(
        title=text.title(heading),
        severity=vulnerability.severity,
        tool=TOOL,
        tool_version=vulnerability.scanner_version,
        rule_id=text.clip(vulnerability.rule_id, 500) or None,
        tool_finding_id=text.clip(vulnerability.text("id") or vulnerability.text("cve"), 500) or None,
        description=text.clip(vulnerability.description()),
        advisory_ids=vulnerability.advisory_ids,
        cwe_ids=vulnerability.cwe_ids,
        location=FindingLocation(
            file_path=path,
            package=package,
            package_version=version,
            fixed_version=text.clip(fixed, 500) or None,
        ),
        remediation=text.clip(solution),
        references=vulnerability.references,
        tags=vulnerability.tags,
        fingerprint=grouping.fingerprint(TOOL, path, package, version, vulnerability.rule_key),
    )


PARSER = GitlabDependencyScanningParser()
