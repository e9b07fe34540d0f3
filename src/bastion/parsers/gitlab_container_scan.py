"""GitLab container scanning report (``gl-container-scanning-report.json``), schema 2.x to 15.x.

The shared shape, detection and refusals are in :mod:`bastion.parsers._gitlab`.
Variants read: schema 14 and before (``category``, ``message``, ``cve``; the
analyzer, Trivy or Grype, may name a language lock file or a runtime instead of the
image in ``location.image``) and schema 15 (without them; often no ``message``).
Cluster image scanning reports (``cluster_image_scanning``: the same shape, with a
``kubernetes_resource``) are read too.

A finding is a vulnerable package in an image: the package and its version
(``location.dependency``), the image (and the Kubernetes resource) as the
component, the operating system as a tag, the fixed version when the solution reads
"Upgrade <package> to X". The primary identifier (the CVE, mostly) is the rule.

Severity: GitLab's word; ``Unknown`` is info, tagged ``severity:unrated``.

Fingerprint: the image without its tag or digest (a rescan of a new build is the
same image), the Kubernetes resource, the package name and version, and the
primary identifier. The version is in it because one image can hold several
copies of a package (the report has no path to tell them apart); not the
operating system, whose release changes on upgrade. A report that repeats a record
repeats its fingerprint: the repeat is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import _gitlab, grouping, readers, text, values

TOOL = "gitlab_container_scan"
KINDS = frozenset({"container_scanning", "cluster_image_scanning"})
RESOURCE_KEYS = ("namespace", "kind", "name", "container_name")


class GitlabContainerScanParser(_gitlab.DistinctFindingsParser):
    """GitLab's container scanning report (and cluster image scanning)."""

    name = "gitlab_container_scan"
    label = "GitLab container scanning report"
    defectdojo_scan_types = ("GitLab Container Scan",)

    kinds = KINDS

    def finding(self, vulnerability: _gitlab.Vulnerability) -> NormalizedFinding:
        return _finding(vulnerability)


def _finding(vulnerability: _gitlab.Vulnerability) -> NormalizedFinding:
    location = vulnerability.location
    package, version = _gitlab.dependency(location, vulnerability.position)
    image = values.text(location.get("image"))
    resource = _resource(readers.as_mapping(location.get("kubernetes_resource")))
    system = values.text(location.get("operating_system"))
    solution = vulnerability.text("solution")
    fixed = _gitlab.fixed_version(solution)
    advisory_ids = vulnerability.advisory_ids
    advisory = advisory_ids[0] if advisory_ids else vulnerability.rule_id
    heading = vulnerability.text("message") or vulnerability.text("name")
    if not heading:
        heading = " ".join(part for part in (advisory, package, version) if part)
    return NormalizedFinding(
        title=text.title(heading),
        severity=vulnerability.severity,
        tool=TOOL,
        tool_version=vulnerability.scanner_version,
        rule_id=text.clip(vulnerability.rule_id, 500) or None,
        tool_finding_id=text.clip(vulnerability.text("id"), 500) or None,
        description=text.clip(vulnerability.description()),
        advisory_ids=advisory_ids,
        cwe_ids=vulnerability.cwe_ids,
        location=FindingLocation(
            package=package,
            package_version=version,
            fixed_version=text.clip(fixed, 500) or None,
            component=" ".join(part for part in (resource, image) if part) or None,
        ),
        remediation=text.clip("" if solution.lower() == "no solution provided" else solution),
        references=vulnerability.references,
        tags=(*vulnerability.tags, *((f"os:{system}",) if system and system.lower() != "unknown" else ())),
        fingerprint=grouping.fingerprint(
            TOOL, _untagged(image), resource, package, version, vulnerability.rule_key
        ),
    )


def _untagged(image: str | None) -> str | None:
    """Return an image reference without digest or tag (``host:5000/app:1.2`` is ``host:5000/app``)."""
    if not image:
        return None
    name = image.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > slash else name


def _resource(resource: Mapping[str, Any]) -> str | None:
    """Return a Kubernetes resource as ``namespace/kind/name/container``, or None."""
    parts = [values.text(resource.get(key)) for key in RESOURCE_KEYS]
    return "/".join(part for part in parts if part) or None


PARSER = GitlabContainerScanParser()
