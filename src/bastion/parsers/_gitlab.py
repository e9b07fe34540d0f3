"""What the GitLab security reports share: one schema family, told apart by kind.

GitLab's analyzers (SAST, DAST, dependency scanning, container scanning, secret
detection...) write one JSON shape, the security report schemas
(gitlab-org/security-products/security-report-schemas): an object with a
``vulnerabilities`` array, a ``scan`` object (``scan.type`` names the kind:
``sast``, ``dast``, ``dependency_scanning``...; since schema 14 it is required,
older reports may lack it), ``version`` (the schema's, 2.x to 15.x),
``remediations`` and, for dependency scanning, ``dependency_files``. Each
vulnerability has ``identifiers`` (the first is the primary one: the rule or the
advisory), ``location`` (its shape depends on the kind), ``severity``
(``Critical``, ``High``, ``Medium``, ``Low``, ``Info``, ``Unknown``; ``Undefined``
in old reports) and, until schema 15, ``category`` (the kind again), ``message``
and ``cve`` (GitLab's comparison key, not necessarily a CVE). Schema 15 added
``tracking``: signatures of the flagged code that survive line moves.

Detection, from the report's head: GitLab's own statement of the kind first
(``scan.type`` or a vulnerability's ``category``); else the first vulnerability's
location (a ``hostname`` for DAST, an ``image`` for container scanning, a
``commit`` or ``raw_source_code_extract`` for secret detection, a ``dependency``
without lines for dependency scanning, a ``file`` with lines for SAST). A report
without any vulnerability that names no kind is weakly claimed: with
``dependency_files`` by dependency scanning, with ``version``, ``remediations`` or
``scan`` by SAST, and a bare ``{"vulnerabilities": []}`` by DAST. That last
choice is a tie-break, not a fact about the tool: such a report has no findings
whichever GitLab parser reads it.

Reading: the vulnerabilities are streamed; ``scan`` and ``version`` are read by
a pass of their own (``scan`` stands after the vulnerabilities). A report whose
``scan.type`` or a vulnerability's ``category`` names another kind is refused,
as is a document without ``vulnerabilities`` or a vulnerability without
``identifiers`` (the schema requires both: without them it is another tool's
report).
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import readers, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

# Every kind of report the schemas describe, as scan.type and category name them.
KINDS = frozenset(
    {
        "sast",
        "dast",
        "api_fuzzing",
        "dependency_scanning",
        "container_scanning",
        "cluster_image_scanning",
        "secret_detection",
        "coverage_fuzzing",
    }
)
_STATED_KIND = re.compile(r'"(?:type|category)"\s*:\s*"(' + "|".join(sorted(KINDS)) + r')"')
_LOCATION = re.compile(r'"location"\s*:\s*\{')
_VULNERABILITIES = re.compile(r'"vulnerabilities"\s*:\s*\[')
_EMPTY_VULNERABILITIES = re.compile(r'"vulnerabilities"\s*:\s*\[\s*\]')
# A tracking signature's algorithms, the most precise first (GitLab's own order).
SIGNATURE_ALGORITHMS = ("scope_offset_compressed", "scope_offset", "hash")
# Severities GitLab writes when the analyzer gave none.
UNRATED = frozenset({"unknown", "undefined", ""})


def detect_kind(head: bytes) -> tuple[str, int] | None:
    """Return the kind of GitLab report ``head`` starts and how sure that is, or None."""
    text = readers.head_text(head)
    if not text.startswith("{") or not _VULNERABILITIES.search(text):
        return None
    stated = _STATED_KIND.search(text)
    if stated and ('"identifiers"' in text or '"scanner"' in text):
        return stated.group(1), 95
    location = _LOCATION.search(text)
    if location and '"identifiers"' in text:
        kind = _kind_by_location(text[location.end() : location.end() + 4096])
        if kind:
            return kind, 85
    if not _EMPTY_VULNERABILITIES.search(text):
        return None
    if '"dependency_files"' in text:
        return "dependency_scanning", 30
    if any(key in text for key in ('"remediations"', '"version"', '"scan"')):
        return "sast", 20
    return "dast", 10


def _kind_by_location(location: str) -> str | None:
    """Tell the kind by the keys of the first vulnerability's location (and what follows it)."""
    if '"hostname"' in location:
        return "dast"
    if '"image"' in location or '"operating_system"' in location:
        return "container_scanning"
    if '"commit"' in location or '"raw_source_code_extract"' in location:
        return "secret_detection"
    if '"start_line"' in location:
        return "sast"
    if '"dependency"' in location:
        return "dependency_scanning"
    return None


@dataclass(frozen=True)
class Vulnerability:
    """One vulnerability of a GitLab report, with what the whole report says about it.

    ``rule_id`` is the primary identifier's value (else its name): the rule or the
    advisory the finding is about; ``rule_key`` the primary identifier as
    ``type:value``, for fingerprints; ``rule_name`` its name ("" when absent).
    """

    position: str
    data: Mapping[str, Any]
    location: Mapping[str, Any]
    identifiers: tuple[Mapping[str, Any], ...]
    scanner_id: str | None
    scanner_name: str | None
    scanner_version: str | None
    rule_id: str
    rule_key: str
    rule_name: str

    def text(self, key: str) -> str:
        """Return a top-level text field, stripped ("" when absent)."""
        return values.text(self.data.get(key)) or ""

    @property
    def severity(self) -> Severity:
        """Return GitLab's severity word as Bastion's; Unknown and Undefined are info."""
        return values.severity_from_word(self.data.get("severity"))

    @property
    def is_unrated(self) -> bool:
        """Tell whether the analyzer gave no severity (Unknown, Undefined or none)."""
        return (values.text(self.data.get("severity")) or "").lower() in UNRATED

    @property
    def advisory_ids(self) -> tuple[str, ...]:
        """Return the CVE and GHSA ids among the identifiers (and the legacy ``cve`` field)."""
        found: list[object] = []
        for identifier in self.identifiers:
            kind = (values.text(identifier.get("type")) or "").lower()
            if kind in ("cve", "ghsa") or kind.endswith("_cve"):
                found += [identifier.get("value"), identifier.get("name")]
        found.append(self.data.get("cve"))
        return values.advisory_ids(found)

    @property
    def cwe_ids(self) -> tuple[int, ...]:
        """Return the CWEs among the identifiers (by value, else by a name such as ``CWE-943``)."""
        found: list[object] = []
        for identifier in self.identifiers:
            if (values.text(identifier.get("type")) or "").lower() == "cwe":
                number = values.as_int(identifier.get("value"))
                found.append(number if number is not None else identifier.get("name"))
        return values.cwe_ids(found)

    @property
    def references(self) -> tuple[str, ...]:
        """Return the links' URLs, then the identifiers', deduplicated."""
        links = self.data.get("links")
        if type(links) is not list:
            links = readers.expect_list(links, f"{self.position}.links")
        urls = [values.text(link.get("url")) for link in links if type(link) is dict]
        urls += [values.text(identifier.get("url")) for identifier in self.identifiers]
        return tuple(dict.fromkeys(url for url in urls if url))

    @property
    def tags(self) -> tuple[str, ...]:
        """Return the analyzer, the confidence and whether the severity was missing."""
        confidence = (values.text(self.data.get("confidence")) or "").lower()
        return tuple(
            filter(
                None,
                [
                    f"scanner:{self.scanner_id}" if self.scanner_id else "",
                    f"confidence:{confidence}" if confidence and confidence not in UNRATED else "",
                    "severity:unrated" if self.is_unrated else "",
                ],
            )
        )

    @property
    def tracking_signature(self) -> str | None:
        """Return the most precise tracking signature of the flagged code (schema 15), if any."""
        tracking = readers.as_mapping(self.data.get("tracking"))
        items = tracking.get("items")
        if not isinstance(items, list) or not items:
            return None
        signatures = readers.as_mapping(items[0]).get("signatures")
        found = {
            str(entry.get("algorithm")): values.text(entry.get("value"))
            for entry in (signatures if isinstance(signatures, list) else [])
            if isinstance(entry, dict)
        }
        return next((f"{name}:{found[name]}" for name in SIGNATURE_ALGORITHMS if found.get(name)), None)

    def description(self, *more: str) -> str:
        """Return the description, the message when it says more, and ``more``, as paragraphs."""
        description = self.text("description")
        message = self.text("message")
        parts = [description, message if message and message not in description else "", *more]
        return "\n\n".join(part for part in parts if part)


def iter_vulnerabilities(stream: BinaryIO, *, kinds: frozenset[str], label: str) -> Iterator[Vulnerability]:
    """Yield the report's vulnerabilities, refusing a report of another kind than ``kinds``."""
    reader = readers.JsonReader(
        stream, ["vulnerabilities.item"], context=["scan", "version"], required=["vulnerabilities"]
    )
    scanner: Mapping[str, Any] | None = None
    for record in reader:
        if scanner is None:
            scanner = _checked_scan(record.context.get("scan"), kinds, label)
        yield _vulnerability(record.value, record.position, scanner, kinds, label)
    if scanner is None:
        _checked_scan(reader.document_context().get("scan"), kinds, label)


def _checked_scan(scan: object, kinds: frozenset[str], label: str) -> Mapping[str, Any]:
    """Refuse a report whose ``scan.type`` names another kind; return its scanner."""
    if scan is None:
        return {}
    details = readers.expect_mapping(scan, "scan")
    kind = values.text(details.get("type"))
    if kind in KINDS and kind not in kinds:
        raise MalformedReport(
            f"scan.type is {kind!r}: a GitLab {kind} report, not a {label}", position="scan.type"
        )
    return readers.as_mapping(details.get("scanner"))


def _vulnerability(
    value: object, position: str, scanner: Mapping[str, Any], kinds: frozenset[str], label: str
) -> Vulnerability:
    data = readers.expect_mapping(value, position)
    category = values.text(data.get("category"))
    if category in KINDS and category not in kinds:
        raise MalformedReport(
            f"a {category} vulnerability: a GitLab {category} report, not a {label}",
            position=f"{position}.category",
        )
    if "identifiers" not in data:
        raise MalformedReport(
            "a vulnerability has no identifiers; it may be another tool's report", position=position
        )
    identifiers = data["identifiers"]
    if type(identifiers) is not list or not all(type(identifier) is dict for identifier in identifiers):
        identifiers = [
            readers.expect_mapping(identifier, f"{position}.identifiers[{number}]")
            for number, identifier in enumerate(readers.expect_list(identifiers, f"{position}.identifiers"))
        ]
    if not identifiers:
        raise MalformedReport("a vulnerability has no identifiers", position=f"{position}.identifiers")
    location = data.get("location")
    if type(location) is not dict:
        location = readers.expect_mapping(_or_empty(location), f"{position}.location")
    primary = identifiers[0]
    rule_name = values.text(primary.get("name")) or ""
    rule_id = values.text(primary.get("value")) or rule_name
    own = data.get("scanner")
    if type(own) is not dict:
        own = {}
    return Vulnerability(
        position=position,
        data=data,
        location=location,
        identifiers=tuple(identifiers),
        scanner_id=values.text(own.get("id")) or values.text(scanner.get("id")),
        scanner_name=values.text(own.get("name")) or values.text(scanner.get("name")),
        scanner_version=values.text(scanner.get("version")),
        rule_id=rule_id,
        rule_key=f"{values.text(primary.get('type')) or ''}:{rule_id}",
        rule_name=rule_name,
    )


_UPGRADE = re.compile(
    r"^upgrade\s+(?:\S+\s+)?to\s+(?:versions?\s+)?(?P<version>.+?)(?:\s+or\s+(?:above|later|higher|newer))?\.?$",
    re.IGNORECASE,
)


def fixed_version(solution: str) -> str | None:
    """Return the version a solution such as "Upgrade to version 2.2.3 or above." names."""
    match = _UPGRADE.match(solution.strip())
    return match.group("version").strip() if match else None


def dependency(location: Mapping[str, Any], position: str) -> tuple[str | None, str | None]:
    """Return the package name and version of a dependency or container location."""
    found = readers.expect_mapping(_or_empty(location.get("dependency")), f"{position}.location.dependency")
    package = readers.expect_mapping(
        _or_empty(found.get("package")), f"{position}.location.dependency.package"
    )
    return values.text(package.get("name")), values.text(found.get("version"))


def _or_empty(value: object) -> object:
    """Return ``value``, or an empty object for an absent (null) one."""
    return {} if value is None else value


class GitlabReportParser(ReportParser):
    """What the GitLab parsers share: detection by the report's kind, and reading its vulnerabilities."""

    #: The report kinds (``scan.type`` or ``category``) this parser reads.
    kinds: ClassVar[frozenset[str]]

    def detect(self, head: bytes) -> int:
        found = detect_kind(head)
        return found[1] if found and found[0] in self.kinds else 0

    def vulnerabilities(self, stream: BinaryIO) -> Iterator[Vulnerability]:
        """Yield the report's vulnerabilities, refusing a report of another kind."""
        return iter_vulnerabilities(stream, kinds=self.kinds, label=self.label)


class DistinctFindingsParser(GitlabReportParser):
    """A GitLab report with one finding per vulnerability, exact repeats dropped."""

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        seen: set[str] = set()
        for vulnerability in self.vulnerabilities(stream):
            finding = self.finding(vulnerability)
            if finding.fingerprint not in seen:
                seen.add(finding.fingerprint)
                yield finding

    @abstractmethod
    def finding(self, vulnerability: Vulnerability) -> NormalizedFinding:
        """Return the finding one vulnerability of the report makes."""
