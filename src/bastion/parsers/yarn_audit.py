"""yarn audit JSON: yarn 1 (``yarn audit --json``), yarn 2/3 and yarn 4 (``yarn npm audit --json``).

Yarn 1 writes JSON Lines, each ``{"type": ..., "data": ...}``: an
``auditAdvisory`` line per advisory and dependency path (``data.advisory``: npm's
advisory object with ``id``, ``title``, ``module_name``, ``severity``, ``cwe``,
``cves``, ``github_advisory_id``, ``vulnerable_versions``, ``patched_versions``,
``findings`` with the installed versions and paths...; ``data.resolution.path``),
then ``auditSummary``; ``info`` and ``warning`` lines are yarn's messages and an
``error`` line means the audit failed: the report is refused with yarn's
message, never read as "no findings". Yarn 1 repeats an advisory once per
dependency path; as DefectDojo does, the lines of one advisory for one package
make one finding, listing every installed version and path.

Yarn 2 and 3 print the registry's answer, one JSON document shaped like npm 6's
report (``advisories``: a map from id to the same advisory object; audit-ci
writes the same); each advisory is one finding. npm audit's own parser also
claims that shape when it is detected; named as yarn_audit, it is read here.

Yarn 4 writes JSON Lines ``{"value": <package>, "children": {"ID", "Issue",
"URL", "Severity", "Vulnerable Versions", "Tree Versions", "Dependents"}}``, one
per advisory and package: each is one finding.

Severity: npm's words (info, low, moderate, high, critical); moderate is medium.

Fingerprint: the package's name, the advisory (its GHSA id when the report gives
one, so the shapes agree with each other and with npm audit, else the registry's
advisory id) and its vulnerable range. Not the installed versions or the paths,
which change with every lock file update.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "yarn_audit"
YARN1_LINE = re.compile(r'"type"\s*:\s*"audit(?:Advisory|Summary|Action)"')
YARN4_LINE = re.compile(r'^\{\s*"value"\s*:\s*"[^"]*"\s*,\s*"children"\s*:\s*\{\s*"ID"\s*:')
LINES_START = re.compile(r'^\{\s*"(?:type|value)"\s*:')
# The most dependency paths one finding lists; a monorepo can have thousands.
PATH_LIMIT = 200


@dataclass
class _Advisory:
    """One advisory of one package, with what its repeated lines add."""

    advisory: Mapping[str, Any]
    versions: dict[str, None] = field(default_factory=dict)
    paths: dict[str, None] = field(default_factory=dict)
    unlisted: int = 0

    def add(self, versions: list[str], paths: list[str]) -> None:
        self.versions.update(dict.fromkeys(versions))
        for path in paths:
            if path in self.paths:
                continue
            if len(self.paths) >= PATH_LIMIT:
                self.unlisted += 1
            else:
                self.paths[path] = None


class YarnAuditParser(ReportParser):
    """yarn audit's JSON output, yarn 1 to yarn 4."""

    name = "yarn_audit"
    label = "yarn audit JSON"
    defectdojo_scan_types = ("Yarn Audit Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        if YARN1_LINE.search(text) and LINES_START.match(text):
            return 95
        if YARN4_LINE.match(text) and '"Vulnerable Versions"' in text:
            return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, stream = readers.peek(stream, 4096)
        if LINES_START.match(readers.head_text(head)):
            yield from self._parse_lines(stream)
            return
        reader = readers.JsonReader(
            stream, ["advisories.*"], expect={"": "object", "advisories": "object"}, required=()
        )
        for record in reader:
            advisory = readers.expect_mapping(record.value, record.position)
            entry = _Advisory(advisory)
            entry.add(*_versions_and_paths(advisory, record.position))
            yield _npm_finding(entry, record.position)
        if "advisories" not in reader.seen:
            raise readers.not_a_report("advisories")

    def _parse_lines(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        groups: dict[tuple[str, str], tuple[str, _Advisory]] = {}
        for position, line in readers.iter_json_lines(stream):
            record = readers.expect_mapping(line, position)
            if "children" in record:
                yield _yarn4_finding(record, position)
                continue
            kind = record.get("type")
            if kind == "error":
                raise MalformedReport(
                    f"yarn audit failed: {text.title(record.get('data'))}", position=position
                )
            if kind != "auditAdvisory":
                continue
            data = readers.expect_mapping(record.get("data"), f"{position}.data")
            advisory = readers.expect_mapping(data.get("advisory"), f"{position}.data.advisory")
            key = (str(advisory.get("id")), str(advisory.get("module_name")))
            if key not in groups:
                groups[key] = (position, _Advisory(advisory))
            versions, paths = _versions_and_paths(advisory, f"{position}.data.advisory")
            resolution = readers.as_mapping(data.get("resolution"))
            if resolution.get("path"):
                paths.insert(0, str(resolution["path"]))
            groups[key][1].add(versions, paths)
        for position, entry in groups.values():
            yield _npm_finding(entry, position)


def _versions_and_paths(advisory: Mapping[str, Any], where: str) -> tuple[list[str], list[str]]:
    """Return the installed versions and dependency paths of an advisory's ``findings``."""
    versions: list[str] = []
    paths: list[str] = []
    for number, item in enumerate(readers.expect_list(advisory.get("findings"), f"{where}.findings")):
        found = readers.expect_mapping(item, f"{where}.findings[{number}]")
        if found.get("version"):
            versions.append(str(found["version"]))
        paths.extend(
            str(path) for path in readers.expect_list(found.get("paths"), f"{where}.findings[{number}]")
        )
    return versions, paths


def _npm_finding(entry: _Advisory, position: str) -> NormalizedFinding:
    """Return the finding of one npm-shaped advisory (yarn 1 lines, yarn 2/3 documents)."""
    advisory = entry.advisory
    module = values.text(advisory.get("module_name"))
    if module is None:
        raise MalformedReport("an advisory has no module_name", position=position)
    npm_id = values.text(advisory.get("id")) or ""
    url = values.text(advisory.get("url")) or ""
    ghsa = values.advisory_ids([advisory.get("github_advisory_id"), url])
    cves = [str(cve) for cve in readers.expect_list(advisory.get("cves"), f"{position}.cves")]
    cvss = readers.as_mapping(advisory.get("cvss"))
    cvss_vector, cvss_score = values.cvss3(values.text(cvss.get("vectorString")))
    vulnerable = values.text(advisory.get("vulnerable_versions"))
    lines = [str(advisory.get("overview") or "").strip()]
    if vulnerable:
        lines.append(f"Vulnerable versions: {vulnerable}")
    if entry.paths:
        listing = [f"- {path}" for path in entry.paths]
        if entry.unlisted:
            listing.append(f"- … and {entry.unlisted} more")
        lines.append("Dependency paths:\n" + "\n".join(listing))
    references = [url] if url else []
    references += text.urls(str(advisory.get("references") or ""))
    return NormalizedFinding(
        title=text.title(
            f"{module}: {advisory.get('title')}"
            if advisory.get("title")
            else f"npm advisory {npm_id} in {module}"
        ),
        severity=values.severity_from_word(advisory.get("severity")),
        tool=TOOL,
        rule_id=npm_id or (ghsa[0] if ghsa else None),
        advisory_ids=values.advisory_ids([*ghsa, *cves]),
        cwe_ids=values.cwe_ids(_cwe_values(advisory.get("cwe"))),
        cvss_v3_vector=cvss_vector,
        cvss_v3_score=cvss_score if cvss_score is not None else values.score(cvss.get("score")),
        description=text.clip("\n\n".join(line for line in lines if line)),
        location=FindingLocation(
            package=module,
            package_version=", ".join(entry.versions) or None,
            fixed_version=values.text(advisory.get("patched_versions")),
        ),
        remediation=text.clip(advisory.get("recommendation")),
        references=tuple(dict.fromkeys(references)),
        tags=(f"vulnerable:{vulnerable}",) if vulnerable else (),
        fingerprint=grouping.fingerprint(TOOL, module, ghsa[0] if ghsa else npm_id, vulnerable),
    )


def _yarn4_finding(record: Mapping[str, Any], position: str) -> NormalizedFinding:
    """Return the finding of a yarn 4 line: one advisory of one package."""
    package = values.text(record.get("value"))
    details = readers.expect_mapping(record.get("children"), f"{position}.children")
    if package is None:
        raise MalformedReport("an advisory names no package", position=position)
    advisory_id = values.text(details.get("ID")) or ""
    url = values.text(details.get("URL")) or ""
    ghsa = values.advisory_ids([url])
    vulnerable = values.text(details.get("Vulnerable Versions"))
    installed = [str(v) for v in readers.expect_list(details.get("Tree Versions"), f"{position}.children")]
    dependents = [str(d) for d in readers.expect_list(details.get("Dependents"), f"{position}.children")]
    issue = values.text(details.get("Issue"))
    lines = [issue or ""]
    if vulnerable:
        lines.append(f"Vulnerable versions: {vulnerable}")
    if dependents:
        lines.append("Required by: " + ", ".join(dependents[:PATH_LIMIT]))
    return NormalizedFinding(
        title=text.title(f"{package}: {issue}" if issue else f"npm advisory {advisory_id} in {package}"),
        severity=values.severity_from_word(details.get("Severity")),
        tool=TOOL,
        rule_id=advisory_id or (ghsa[0] if ghsa else None),
        advisory_ids=ghsa,
        description=text.clip("\n\n".join(line for line in lines if line)),
        location=FindingLocation(package=package, package_version=", ".join(installed) or None),
        references=(url,) if url else (),
        tags=(f"vulnerable:{vulnerable}",) if vulnerable else (),
        fingerprint=grouping.fingerprint(TOOL, package, ghsa[0] if ghsa else advisory_id, vulnerable),
    )


def _cwe_values(value: object) -> list[object]:
    """Return a ``cwe`` field (a list, "CWE-79", or a JSON list in a string) as a list."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


PARSER = YarnAuditParser()
