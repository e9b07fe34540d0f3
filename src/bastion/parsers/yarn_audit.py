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

Those lines need not stand together: yarn prints them per fix action, and one
advisory can be resolved by several actions, far apart in the report. So the
yarn 1 findings cannot be streamed: they come once the report has been read. What
is kept meanwhile is the minimum, an index: each advisory's key and, per line,
where the line starts in the report (a stream that cannot seek is copied to a
temporary file first). Each advisory's lines are then read again, one advisory at
a time, to make its finding. Memory follows the number of advisories and lines
(tens of bytes each), never the advisories' text.

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
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO, cast

import orjson

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "yarn_audit"
YARN1_LINE = re.compile(r'"type"\s*:\s*"audit(?:Advisory|Summary|Action)"')
YARN4_LINE = re.compile(r'^\{\s*"value"\s*:\s*"[^"]*"\s*,\s*"children"\s*:\s*\{\s*"ID"\s*:')
LINES_START = re.compile(r'^\{\s*"(?:type|value)"\s*:')
BOM = b"\xef\xbb\xbf"  # which a first line may start with
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
        with readers.seekable(stream) as source:
            lines = _Lines(source)
            # (advisory id, package) -> its first line's number, then where each of its
            # lines starts: some 200 bytes an advisory, 8 a line.
            groups: dict[str, array[int]] = {}
            for position, line in readers.iter_json_lines(cast(BinaryIO, lines)):
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
                advisory = _advisory_of(record, position)
                _check_findings(advisory, f"{position}.data.advisory")
                key = _key(str(advisory.get("id")), str(advisory.get("module_name")))
                if key not in groups:
                    groups[key] = array("q", [lines.number])
                groups[key].append(lines.start)
            for group in groups.values():
                position = f"line {group[0]}"
                yield _npm_finding(_merged(source, position, group[1:]), position)


class _Lines:
    """A report's lines, as iteration gives them, noting the last one's number and start."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.start = stream.tell()
        self.number = 0

    def __iter__(self) -> Iterator[bytes]:
        offset = self.start
        for number, line in enumerate(self._stream, start=1):
            self.number, self.start = number, offset
            offset += len(line)
            yield line


def _key(advisory_id: str, package: str) -> str:
    """Return an advisory's key as one string (a tuple costs twice the memory)."""
    return f"{len(advisory_id)}:{advisory_id}{package}"  # the length prefix: unambiguous


def _advisory_of(record: Mapping[str, Any], position: str) -> Mapping[str, Any]:
    """Return the advisory of a yarn 1 ``auditAdvisory`` line."""
    data = readers.expect_mapping(record.get("data"), f"{position}.data")
    return readers.expect_mapping(data.get("advisory"), f"{position}.data.advisory")


def _merged(source: BinaryIO, position: str, starts: array[int]) -> _Advisory:
    """Read an advisory's lines again and merge them, as they were checked the first time."""
    entry: _Advisory | None = None
    for start in starts:
        source.seek(start)
        record = orjson.loads(source.readline().removeprefix(BOM))
        data = record["data"]
        advisory = data["advisory"]
        if entry is None:
            entry = _Advisory(advisory)
        versions, paths = _versions_and_paths(advisory, position)
        resolution = readers.as_mapping(data.get("resolution"))
        if resolution.get("path"):
            paths.insert(0, str(resolution["path"]))
        entry.add(versions, paths)
    assert entry is not None  # a group has a line at least
    return entry


def _check_findings(advisory: Mapping[str, Any], where: str) -> None:
    """Refuse an advisory whose ``findings`` are not objects with arrays of ``paths``."""
    findings = advisory.get("findings")
    for number, item in enumerate(readers.expect_list(findings, f"{where}.findings")):
        found = item if type(item) is dict else readers.expect_mapping(item, f"{where}.findings[{number}]")
        paths = found.get("paths")
        if paths is not None and type(paths) is not list:
            readers.expect_list(paths, f"{where}.findings[{number}]")


def _versions_and_paths(advisory: Mapping[str, Any], where: str) -> tuple[list[str], list[str]]:
    """Return the installed versions and dependency paths of an advisory's ``findings``."""
    versions: list[str] = []
    paths: list[str] = []
    for number, item in enumerate(readers.expect_list(advisory.get("findings"), f"{where}.findings")):
        found = item if type(item) is dict else readers.expect_mapping(item, f"{where}.findings[{number}]")
        if found.get("version"):
            versions.append(str(found["version"]))
        listed = found.get("paths")
        if type(listed) is not list:  # the usual case builds no position
            listed = readers.expect_list(listed, f"{where}.findings[{number}]")
        paths.extend(map(str, listed))
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
