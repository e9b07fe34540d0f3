"""Veracode: the detailed XML report, the Findings REST API's JSON, and SCA agent scans.

Four variants are read, told apart by their content:

- the detailed XML report (``<detailedreport>``, report format 1.x, from the
  platform's "Download XML" or ``DetailedReport.do``): static flaws (``flaw`` in
  ``staticflaws``: source file, line, module, function), dynamic flaws (``flaw``
  in ``dynamicflaws``: URL and parameter), both under their ``category`` and
  ``cwe``, and software composition results (``component`` in
  ``vulnerable_components`` with its ``vulnerability`` elements). A flaw listed
  twice (under two CWEs) is a finding once;
- the Findings API v2 JSON (``findings``, or the raw answer's
  ``_embedded.findings``): ``scan_type`` STATIC, DYNAMIC or SCA with
  ``finding_details``; closed findings are skipped, as DefectDojo does;
- the SCA agent's JSON (``srcclr scan --json``, ``veracode sca scan --json``;
  the agent's output since SourceClear, ``records`` of ``recordType`` SCAN): each
  record's ``vulnerabilities`` refer to its ``libraries`` by a JSON pointer
  (``_links.ref``: ``/records/0/libraries/12/versions/0``), and its
  ``vulnMethods`` list the vulnerable methods the project calls, by library
  version (not by vulnerability). One finding per vulnerability and library;
- the SCA agent-based scan's CSV export of a project's issues (``Issue ID``,
  ``Issue type``, ``Library``, ``Version in use``, ``Coordinate 1``, ``Coordinate
  2``, ``Vulnerability ID``, ``CVE``, ``Severity``...): one finding per row of
  ``Issue type`` Vulnerability (outdated-library and license issues are not
  vulnerabilities); resolved issues are skipped, as closed API findings are.

All are streamed; the XML category's recommendations, written before its flaws,
become their remediation. A vulnerable ``component``'s findings need the library,
version and ids written on its start tag: the component is read as it opens, then
its ``vulnerability`` elements one at a time, each freed once it is a finding, so
memory follows one vulnerability, never the component (a report may repeat one
library's CVEs thousands of times). The flaws already seen are
remembered by issue id, to skip a flaw listed again: one short string a flaw.
The agent's JSON writes a record's libraries before its vulnerabilities, and its
vulnerable methods after them: the libraries are kept as they are read (name,
coordinates and versions: one short tuple a library, never the library's
licenses or releases), and the vulnerable methods are read by one extra pass
when the first vulnerability comes before them (a few names a library version).
A vulnerability that refers to a library not read yet (a report whose keys were
reordered) brings the same pass.

Severity: Veracode's 0-5 scale, 5 (Very High) critical, 4 high, 3 medium, 2 low,
1 (Very Low) and 0 info. The agent's JSON and CSV give a severity word (Very High
critical) where they have one, else a CVSS score, rated as CVSS v3 rates it.
Mitigated, fixed or policy-violating flaws keep that as tags
(``mitigation:accepted``, ``remediation:fixed``, ``policy-violation``).

Fingerprint: a flaw's issue id (the "Flaw ID" Veracode keeps for a flaw of an
application from scan to scan, the same in XML and JSON); a vulnerable component
by its component id (else library and version) and CVE. The agent's JSON and CSV
carry no component id: their findings are keyed on the library (its artifact,
``Coordinate 2``, else its name, ``Coordinate 1``) and version, and the CVE, else
Veracode's own vulnerability id (``SRCCLR-SID-<id>``: the JSON's vulnerability
link ends with it, the CSV has it as ``Vulnerability ID``), the same in both; for
a Maven library, the same as an XML component's that names no component id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "veracode"
_SEVERITIES = {
    "5": Severity.CRITICAL,
    "4": Severity.HIGH,
    "3": Severity.MEDIUM,
    "2": Severity.LOW,
    "1": Severity.INFO,
    "0": Severity.INFO,
}
# The SCA agent's JSON: a record's libraries, vulnerabilities and vulnerable methods.
_AGENT_LIBRARY = "records.item.libraries.item"
_AGENT_VULNERABILITY = "records.item.vulnerabilities.item"
_AGENT_METHODS = "records.item.vulnMethods.item"
_AGENT_RECORDS = re.compile(rb'"records"\s*:\s*\[')
_LIBRARY_REF = re.compile(r"/records/(\d+)/libraries/(\d+)(?:/versions/(\d+))?")
_VULNERABILITY_LINK = re.compile(r"/vulnerabilities/(\d+)/?(?:[?#].*)?$")
_CVE_NUMBER = re.compile(r"(?:CVE-)?(\d{4}-\d{4,})", re.IGNORECASE)
# The vulnerable methods a finding lists, at most, for one library version.
_METHODS_LIMIT = 10
_CSV_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "issue_id": ("issue id",),
    "issue_type": ("issue type",),
    "ignored": ("ignored",),
    "status": ("status",),
    "library": ("library",),
    "version": ("version in use",),
    "package_manager": ("package manager",),
    "coordinate1": ("coordinate 1",),
    "coordinate2": ("coordinate 2",),
    "dependency": ("dependency (transitive or direct)",),
    "vulnerability_id": ("vulnerability id",),
    "title": ("title",),
    "cvss": ("cvss score",),
    "severity": ("severity",),
    "cve": ("cve",),
    "has_methods": ("has vulnerable methods",),
    "fixed": ("updated version",),
}
_CSV_REQUIRED = {
    "issue_type": "Issue type",
    "vulnerability_id": "Vulnerability ID",
    "coordinate1": "Coordinate 1",
}
_CSV_HEADER = frozenset({"issue id", "issue type", "coordinate 1", "vulnerability id"})


class VeracodeParser(ReportParser):
    """Veracode's detailed XML report and its Findings API JSON."""

    name = "veracode"
    label = "Veracode XML / Findings API JSON / SCA agent JSON and CSV"
    defectdojo_scan_types = ("Veracode Scan",)

    def detect(self, head: bytes) -> int:
        content = readers.head_text(head)
        if content.startswith("<"):
            return 100 if "<detailedreport" in content and "veracode" in content.lower() else 0
        if content.startswith("{") and '"finding_details"' in content and '"scan_type"' in content:
            return 90
        if (
            content.startswith("{")
            and '"_embedded"' in content
            and '"findings"' in content
            and '"issue_id"' in content
        ):
            return 85
        if (
            content.startswith("{")
            and _AGENT_RECORDS.search(head)
            and ('"recordType"' in content or '"updateToVersion"' in content)
        ):
            return 90
        if _CSV_HEADER <= readers.csv_header(content):
            return 95
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, stream = readers.first_byte(stream)
        if first == b"<":
            yield from _xml_report(stream)
        elif first == b"{":
            head, stream = readers.peek(stream)
            if _AGENT_RECORDS.search(head):
                yield from _agent_report(stream)
            else:
                yield from _json_findings(stream)
        elif first:
            yield from _csv_report(stream)
        else:
            raise MalformedReport(readers.EMPTY_REPORT)


def _severity(value: object) -> Severity:
    return _SEVERITIES.get(str(value).strip(), Severity.INFO) if value is not None else Severity.INFO


def _xml_report(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    recommendation = ""
    seen: set[str] = set()
    tags = ("recommendations", "flaw", "file_paths", "vulnerability")
    index = 0
    component: _Component | None = None
    elements = readers.iter_xml(stream, tags, roots=("detailedreport",), starts=("component",))
    for element in elements:
        tag = readers.local_name(element.tag)
        if component is not None and (tag == "component" or not component.holds(element)):
            yield from component.close()  # it has ended: what waited for its file paths comes out
            component = None
        if tag == "component":
            component = _Component(element)
        elif tag == "vulnerability":
            if component is not None and component.has_paths:
                yield component.finding(element.attrib)
            elif component is not None:
                component.waiting.append(dict(element.attrib))
        elif tag == "file_paths":
            if component is not None:
                yield from component.take_paths(element)
        elif tag == "recommendations":
            recommendation = _recommendation(element)
        else:
            position = f"flaw[{index}]"
            index += 1
            issue_id = element.get("issueid")
            if not issue_id:
                raise MalformedReport("the flaw has no issueid", position=position)
            if issue_id in seen:
                continue
            seen.add(issue_id)
            yield _flaw(element, issue_id, recommendation)
    if component is not None:
        yield from component.close()


def _recommendation(element: Element) -> str:
    lines: list[str] = []
    for para in readers.children(element, "para"):
        lines.append(para.get("text") or "")
        lines.extend(f"- {item.get('text') or ''}" for item in readers.children(para, "bulletitem"))
    return "\n".join(line for line in lines if line.strip())


def _flaw(flaw: Element, issue_id: str, recommendation: str) -> NormalizedFinding:
    description = (flaw.get("description") or "").strip()
    narrative, _, references = description.partition("References:")
    url = flaw.get("url") or None
    is_dynamic = url is not None
    source_file = flaw.get("sourcefile") or ""
    directory = flaw.get("sourcefilepath") or ""
    if directory and not directory.endswith("/"):
        directory += "/"
    path = f"{directory}{source_file}" if source_file else None
    line = values.line_number(flaw.get("line"))
    tags = ["dast" if is_dynamic else "sast"]
    for name, attribute in (("mitigation", "mitigation_status"), ("remediation", "remediation_status")):
        if (value := (flaw.get(attribute) or "").strip().lower()) and value not in {"none", "open", "new"}:
            tags.append(f"{name}:{value.replace(' ', '-')}")
    if (flaw.get("affects_policy_compliance") or "").lower() == "true":
        tags.append("policy-violation")
    details = [
        f"{label}: {value}"
        for label, value in (
            ("Module", flaw.get("module")),
            ("Type", flaw.get("type")),
            ("Function", flaw.get("functionprototype")),
            ("Scope", flaw.get("scope")),
            ("CIA impact", (flaw.get("cia_impact") or "").upper()),
        )
        if value
    ]
    host = urlsplit(url).hostname if url else None
    return NormalizedFinding(
        title=text.title(flaw.get("categoryname") or f"CWE-{flaw.get('cweid')}"),
        severity=_severity(flaw.get("severity")),
        tool=TOOL,
        rule_id=flaw.get("cweid") and f"CWE-{flaw.get('cweid')}",
        tool_finding_id=issue_id,
        description=text.clip("\n\n".join(part for part in (narrative.strip(), "\n".join(details)) if part)),
        cwe_ids=values.cwe_ids([flaw.get("cweid")]),
        location=FindingLocation(
            file_path=None if is_dynamic else path,
            line_start=None if is_dynamic else line,
            line_end=None if is_dynamic else line,
            url=url,
            host=host,
            parameter=flaw.get("vuln_parameter") or None,
            component=flaw.get("module") or None,
        ),
        remediation=text.clip(recommendation),
        references=tuple(text.urls(references)),
        tags=tuple(tags),
        fingerprint=grouping.fingerprint(TOOL, "flaw", issue_id),
    )


class _Component:
    """A vulnerable component being read: its start tag's attributes, then its vulnerabilities one by one.

    Each vulnerability is a finding as it ends, located at the component's first file
    path: Veracode writes ``file_paths`` before ``vulnerabilities``. A vulnerability
    read before them waits (as the attributes it is read for) until they come or the
    component ends.
    """

    def __init__(self, element: Element) -> None:
        self.element = element
        library = element.get("library") or element.get("file_name") or ""
        library_id = element.get("library_id") or ""
        if library_id.startswith("maven:"):
            # maven:group:artifact:version: name the artifact, as a CycloneDX SBOM would.
            parts = library_id.split(":")
            library = parts[2] if len(parts) > 2 and parts[2] else library
        self.library = library
        self.version = element.get("version") or None
        self.identity = element.get("component_id") or f"{library}@{self.version}"
        self.file_name = element.get("file_name") or None
        self.path: str | None = None
        self.has_paths = False
        self.waiting: list[dict[str, str]] = []

    def holds(self, element: Element) -> bool:
        """Tell whether ``element`` stands in the component (the elements read already are freed)."""
        return element in self.element.iter()  # by identity: elements do not compare equal

    def take_paths(self, file_paths: Element) -> Iterator[NormalizedFinding]:
        """Read the component's first ``file_paths`` child; the other ones are not its paths."""
        if self.has_paths or file_paths not in iter(self.element):
            return
        self.has_paths = True
        first = next(readers.descendants(file_paths, "file_path"), None)
        self.path = (first.get("value") or "") if first is not None else None
        yield from self.close()

    def close(self) -> Iterator[NormalizedFinding]:
        """Yield the vulnerabilities that waited for the file paths."""
        waiting, self.waiting = self.waiting, []
        for attributes in waiting:
            yield self.finding(attributes)

    def finding(self, vulnerability: Mapping[str, str]) -> NormalizedFinding:
        """Build the finding of one of the component's vulnerabilities, from its attributes."""
        library, version = self.library, self.version
        cve = vulnerability.get("cve_id") or ""
        score = values.score(vulnerability.get("cvss_score"))
        tags = ["sca"]
        if (vulnerability.get("mitigation") or "").lower() == "true":
            tags.append("mitigation:accepted")
        return NormalizedFinding(
            title=text.title(
                f"{cve} in {library}:{version}" if cve else f"Vulnerable component: {library}:{version}"
            ),
            severity=_severity(vulnerability.get("severity")),
            tool=TOOL,
            rule_id=cve or None,
            description=text.clip(vulnerability.get("cve_summary") or ""),
            advisory_ids=values.advisory_ids([cve]),
            cwe_ids=values.cwe_ids([vulnerability.get("cwe_id")]),
            cvss_v3_score=score,
            location=FindingLocation(
                file_path=self.path,
                package=library or None,
                package_version=version,
                component=self.file_name,
            ),
            tags=tuple(tags),
            fingerprint=grouping.fingerprint(TOOL, "sca", self.identity, cve),
        )


def _json_findings(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    reader = readers.JsonReader(
        stream,
        ["findings.item", "_embedded.findings.item"],
        expect={"": "object", "findings": "array", "_embedded": "object", "_embedded.findings": "array"},
    )
    for record in reader:
        finding = readers.expect_mapping(record.value, record.position)
        status = readers.as_mapping(finding.get("finding_status"))
        if str(status.get("status") or "").upper() == "CLOSED":
            continue
        built = _json_finding(finding, status, record.position)
        if built is not None:
            yield built
    if not {"findings", "_embedded.findings"} & reader.seen:
        raise readers.not_a_report("findings")


def _json_finding(
    finding: Mapping[str, Any], status: Mapping[str, Any], position: str
) -> NormalizedFinding | None:
    scan_type = str(finding.get("scan_type") or "").upper()
    details = readers.as_mapping(finding.get("finding_details"))
    issue_id = values.text(finding.get("issue_id"))
    cwe = readers.as_mapping(details.get("cwe"))
    category = values.text(readers.as_mapping(details.get("finding_category")).get("name"))
    tags = [scan_type.lower()] if scan_type else []
    if finding.get("violates_policy") is True:
        tags.append("policy-violation")
    for name, key in (("resolution", "resolution"), ("mitigation", "mitigation_review_status")):
        if (value := values.text(status.get(key))) and value.upper() not in {"NONE", "UNRESOLVED"}:
            tags.append(f"{name}:{value.lower().replace('_', '-')}")
    description = text.html_text(str(finding.get("description") or ""))
    common: dict[str, Any] = {
        "severity": _severity(details.get("severity")),
        "tool": TOOL,
        "tool_finding_id": issue_id,
        "cwe_ids": values.cwe_ids([cwe.get("id")]),
        "tags": tuple(tags),
    }
    if scan_type == "SCA":
        return _json_sca(details, description, common)
    if scan_type not in {"STATIC", "DYNAMIC", "MANUAL"}:
        return None
    if issue_id is None:
        raise MalformedReport("the finding has no issue_id", position=position)
    heading = category or values.text(cwe.get("name")) or f"{scan_type.title()} finding"
    line = values.line_number(details.get("file_line_number"))
    url = values.text(details.get("url"))
    if url is None and (host := values.text(details.get("hostname"))):
        url = f"https://{host}{values.text(details.get('path')) or ''}"
    return NormalizedFinding(
        title=text.title(heading),
        rule_id=f"CWE-{cwe.get('id')}" if cwe.get("id") else None,
        description=text.clip(description),
        location=FindingLocation(
            file_path=values.text(details.get("file_path")),
            line_start=line,
            line_end=line,
            url=url,
            host=values.text(details.get("hostname")),
            port=_port(details.get("port")),
            parameter=values.text(details.get("vulnerable_parameter")),
            component=values.text(details.get("module")),
        ),
        references=tuple(text.urls(str(finding.get("description") or ""))),
        fingerprint=grouping.fingerprint(TOOL, "flaw", issue_id),
        **common,
    )


def _json_sca(details: Mapping[str, Any], description: str, common: dict[str, Any]) -> NormalizedFinding:
    cve = readers.as_mapping(details.get("cve"))
    advisory = values.text(cve.get("name")) or ""
    version = values.text(details.get("version"))
    file_name = values.text(details.get("component_filename")) or ""
    package = file_name
    if version and version in package:
        package = package.replace(version, "").replace("-.", ".").replace("_.", ".").rstrip("-_")
    vector, score = values.cvss3(_cvss3_vector(readers.as_mapping(cve.get("cvss3")).get("vector")))
    paths = [
        path
        for entry in readers.expect_list(details.get("component_path"), "finding_details.component_path")
        if (path := values.text(readers.as_mapping(entry).get("path")))
    ]
    identity = values.text(details.get("component_id")) or f"{package}@{version}"
    return NormalizedFinding(
        title=text.title(
            f"{advisory} in {package}:{version}" if advisory else f"Vulnerable component: {file_name}"
        ),
        rule_id=advisory or None,
        description=text.clip(description),
        advisory_ids=values.advisory_ids([advisory]),
        cvss_v3_vector=vector,
        cvss_v3_score=score if score is not None else values.score(cve.get("cvss")),
        location=FindingLocation(
            file_path=paths[0] if paths else None,
            package=package or None,
            package_version=version,
            component=file_name or None,
        ),
        fingerprint=grouping.fingerprint(TOOL, "sca", identity, advisory),
        **common,
    )


@dataclass(frozen=True, slots=True)
class _Library:
    """What a finding needs of a library of the agent's report."""

    package: str | None
    name: str | None
    coordinates: str | None
    versions: tuple[str | None, ...]
    link: str | None


@dataclass
class _AgentIndex:
    """The libraries and vulnerable methods of the agent's report, by their JSON pointers."""

    source: BinaryIO
    start: int
    libraries: dict[tuple[int, int], _Library] = field(default_factory=dict)
    methods: dict[tuple[int, int, int | None], list[str]] = field(default_factory=dict)
    is_complete: bool = False
    damage: MalformedReport | None = None

    def add_library(self, record: int, index: int, library: Mapping[str, Any]) -> None:
        """Keep what a finding needs of the library at ``/records/<record>/libraries/<index>``."""
        coordinate1 = values.text(library.get("coordinate1"))
        coordinate2 = values.text(library.get("coordinate2"))
        versions = tuple(
            values.text(readers.as_mapping(version).get("version"))
            for version in _list(library.get("versions"))
        )
        self.libraries[record, index] = _Library(
            package=coordinate2 or coordinate1 or values.text(library.get("name")),
            name=values.text(library.get("name")),
            coordinates=":".join(part for part in (coordinate1, coordinate2) if part) or None,
            versions=versions,
            link=values.text(readers.as_mapping(library.get("_links")).get("html")),
        )

    def add_methods(self, entry: Mapping[str, Any]) -> None:
        """Note the vulnerable methods of one ``vulnMethods`` entry under the library versions it links."""
        called: list[str] = []
        for value in _list(entry.get("calls")):
            call = readers.as_mapping(value)
            method = readers.as_mapping(call.get("method"))
            owner = values.text(method.get("className")) or values.text(method.get("moduleName"))
            name = ".".join(part for part in (owner, values.text(method.get("methodName"))) if part)
            if not name:
                continue
            chains = _list(call.get("callChains"))
            site = _call_site(chains[0] if chains else None)
            called.append(f"{name} (called from {site})" if site else name)
        for link in _list(entry.get("links")):
            found = _LIBRARY_REF.fullmatch(str(readers.as_mapping(link).get("ref") or ""))
            if found is None:
                continue
            key = (int(found[1]), int(found[2]), int(found[3]) if found[3] else None)
            kept = self.methods.setdefault(key, [])
            for name in called:
                if name not in kept and len(kept) < _METHODS_LIMIT:
                    kept.append(name)

    def complete(self) -> None:
        """Read every library and vulnerable method of the report, by one pass of its own.

        Damage stops the pass, kept to be told if a library is missing: the main pass
        names its place among the records it reads.
        """
        if self.is_complete:
            return
        self.is_complete = True
        self.methods.clear()
        with readers.rewound(self.source, self.start) as again:
            try:
                for record in readers.JsonReader(again, [_AGENT_LIBRARY, _AGENT_METHODS]):
                    if not isinstance(record.value, dict):
                        continue  # the main pass names it
                    if record.prefix == _AGENT_LIBRARY:
                        self.add_library(record.indexes[0], record.indexes[1], record.value)
                    else:
                        self.add_methods(record.value)
            except MalformedReport as error:
                self.damage = error


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _call_site(chain: object) -> str | None:
    """Return where the project calls into a vulnerable method: the chain's first step with a file."""
    for value in _list(chain):
        step = readers.as_mapping(value)
        if file_name := values.text(step.get("fileName")):
            line = values.line_number(step.get("lineNumber"))
            return f"{file_name}:{line}" if line else file_name
    return None


def _agent_report(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    with readers.seekable(stream) as source:
        index = _AgentIndex(source, source.tell())
        reader = readers.JsonReader(
            source,
            [_AGENT_LIBRARY, _AGENT_VULNERABILITY, _AGENT_METHODS],
            expect={
                "": "object",
                "records": "array",
                "records.item.libraries": "array",
                "records.item.vulnerabilities": "array",
                "records.item.vulnMethods": "array",
            },
        )
        for record in reader:
            item = readers.expect_mapping(record.value, record.position)
            if record.prefix == _AGENT_LIBRARY:
                index.add_library(record.indexes[0], record.indexes[1], item)
            elif record.prefix == _AGENT_METHODS:
                if not index.is_complete:
                    index.add_methods(item)
            else:
                if "records.item.vulnMethods" not in reader.seen:
                    index.complete()  # the agent writes them after the vulnerabilities
                yield from _agent_vulnerability(item, record.position, index)
        if "records" not in reader.seen:
            raise readers.not_a_report("records")


def _advisory(cve: object, sid: object) -> tuple[str | None, str | None]:
    """Return a vulnerability's CVE (the agent writes ``2014-0054``) and its advisory id, else SRCCLR-SID."""
    found = _CVE_NUMBER.fullmatch(str(cve).strip()) if cve else None
    number = f"CVE-{found[1]}" if found else None
    sid_text = values.text(sid)
    return number, number or (f"SRCCLR-SID-{sid_text}" if sid_text else None)


def _agent_vulnerability(
    item: Mapping[str, Any], position: str, index: _AgentIndex
) -> Iterator[NormalizedFinding]:
    link = values.text(readers.as_mapping(item.get("_links")).get("html"))
    sid = found[1] if link and (found := _VULNERABILITY_LINK.search(link)) else None
    cve, advisory = _advisory(item.get("cve"), sid)
    if advisory is None:
        raise MalformedReport(
            "the vulnerability has no cve and no link to its Veracode id", position=position
        )
    heading = values.text(item.get("title"))
    score3 = values.score(item.get("cvss3Score"))
    score = score3 if score3 is not None else values.score(item.get("cvssScore"))
    severity = _sca_severity(item.get("severity"), score)
    kinds = [str(kind) for kind in _list(item.get("vulnerabilityTypes")) if kind]
    language = values.text(item.get("language"))
    tags = ["sca", *([f"language:{language.lower()}"] if language else [])]
    if item.get("hasExploits") is True:
        tags.append("exploit-available")
    where = f"{position}.libraries"
    for number, entry in enumerate(readers.expect_list(item.get("libraries"), where)):
        entry_position = f"{where}[{number}]"
        reference = values.text(readers.as_mapping(readers.as_mapping(entry).get("_links")).get("ref")) or ""
        pointer = _LIBRARY_REF.fullmatch(reference)
        if pointer is None:
            raise MalformedReport(
                "the vulnerability's library has no reference such as /records/0/libraries/1",
                position=entry_position,
            )
        key = (int(pointer[1]), int(pointer[2]))
        if key not in index.libraries:
            index.complete()  # a report whose libraries come after its vulnerabilities
        library = index.libraries.get(key)
        if library is None and index.damage is not None:
            raise index.damage
        if library is None:
            raise MalformedReport(f"the report has no library {reference}", position=entry_position)
        version_index = int(pointer[3]) if pointer[3] else None
        version = _library_version(library, version_index)
        details = readers.expect_list(readers.as_mapping(entry).get("details"), f"{entry_position}.details")
        detail = readers.as_mapping(details[0]) if details else {}
        methods = index.methods.get((*key, version_index), [])
        fixed = values.text(detail.get("updateToVersion"))
        patch = values.text(detail.get("patch"))
        label = f"{library.package}:{version}" if version else str(library.package)
        facts = [
            f"{name}: {value}"
            for name, value in (
                ("Library", _named(library.name, library.coordinates)),
                ("Vulnerable versions", values.text(detail.get("versionRange"))),
                ("Vulnerability types", ", ".join(kinds)),
                ("CVSS score", score),
                ("Disclosed", values.text(item.get("disclosureDate"))),
            )
            if value
        ]
        fix = values.text(detail.get("fixText")) or (
            f"Upgrade {library.package} to {fixed} or later." if fixed else ""
        )
        yield NormalizedFinding(
            title=text.title(f"{cve or heading or advisory} in {label}"),
            severity=severity,
            tool=TOOL,
            rule_id=advisory,
            description=text.clip(
                "\n\n".join(
                    part for part in (heading, values.text(item.get("overview")), "\n".join(facts)) if part
                )
            ),
            advisory_ids=values.advisory_ids([cve]),
            cvss_v3_score=score3,
            location=FindingLocation(
                package=library.package,
                package_version=version,
                fixed_version=fixed,
                component=library.coordinates,
            ),
            evidence=text.clip(
                "Vulnerable methods of this library version that the project calls:\n"
                + "\n".join(f"- {method}" for method in methods)
                if methods
                else ""
            ),
            remediation=text.clip(
                "\n".join(part for part in (fix, f"Patch: {patch}" if patch else "") if part)
            ),
            references=tuple(
                dict.fromkeys(
                    url
                    for url in (link, patch, library.link)
                    if url and url.startswith(("http://", "https://"))
                )
            ),
            tags=(*tags, "vulnerable-method") if methods else tuple(tags),
            fingerprint=grouping.fingerprint(TOOL, "sca", f"{library.package}@{version}", advisory),
        )


def _named(name: str | None, coordinates: str | None) -> str | None:
    """Return a library's name with its coordinates, where they say more."""
    if name and coordinates and coordinates != name:
        return f"{name} ({coordinates})"
    return name or coordinates


def _library_version(library: _Library, index: int | None) -> str | None:
    if index is not None and 0 <= index < len(library.versions):
        return library.versions[index]
    return library.versions[0] if len(library.versions) == 1 else None


def _sca_severity(word: object, score: float | None) -> Severity:
    """Rate an SCA vulnerability by its severity (a word, or Veracode's 0-5), else its CVSS score."""
    value = values.text(word)
    if value is None:
        return values.severity_from_score(score)
    if value in _SEVERITIES:
        return _SEVERITIES[value]
    return values.severity_from_word(value, values.severity_from_score(score))


def _csv_report(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    rows = readers.iter_csv_records(stream, _CSV_COLUMNS, required=_CSV_REQUIRED)
    for position, row in rows:
        if row["issue_type"].lower() != "vulnerability":
            continue  # an outdated library or a license: not a vulnerability
        if row["status"].lower() in {"resolved", "fixed", "closed"}:
            continue
        cve, advisory = _advisory(row["cve"], row["vulnerability_id"])
        if advisory is None:
            raise MalformedReport("the vulnerability has no CVE and no Vulnerability ID", position=position)
        package = row["coordinate2"] or row["coordinate1"] or row["library"] or None
        if package is None:
            raise MalformedReport("the vulnerability names no library", position=position)
        version = row["version"] or None
        score = values.score(row["cvss"])
        tags = ["sca"]
        if row["ignored"].lower() == "true":
            tags.append("mitigation:ignored")
        if row["dependency"]:
            tags.append(f"dependency:{row['dependency'].lower()}")
        if row["has_methods"].lower() == "true":
            tags.append("vulnerable-method")
        coordinates = ":".join(part for part in (row["coordinate1"], row["coordinate2"]) if part) or None
        facts = [
            f"{name}: {value}"
            for name, value in (
                ("Library", _named(row["library"] or None, coordinates)),
                ("Package manager", row["package_manager"]),
                ("CVSS score", score),
            )
            if value
        ]
        fixed = row["fixed"] or None
        label = f"{package}:{version}" if version else package
        yield NormalizedFinding(
            title=text.title(f"{cve or row['title'] or advisory} in {label}"),
            severity=_sca_severity(row["severity"], score),
            tool=TOOL,
            rule_id=advisory,
            tool_finding_id=row["issue_id"] or None,
            description=text.clip("\n\n".join(part for part in (row["title"], "\n".join(facts)) if part)),
            advisory_ids=values.advisory_ids([cve]),
            location=FindingLocation(
                package=package, package_version=version, fixed_version=fixed, component=coordinates
            ),
            remediation=f"Upgrade {package} to {fixed} or later." if fixed else "",
            tags=tuple(tags),
            fingerprint=grouping.fingerprint(TOOL, "sca", f"{package}@{version}", advisory),
        )


def _cvss3_vector(vector: object) -> str | None:
    if not isinstance(vector, str) or not vector:
        return None
    return vector if vector.startswith("CVSS:") else f"CVSS:3.1/{vector}"


def _port(value: object) -> int | None:
    number = values.as_int(value)
    return number if number is not None and 0 <= number <= 65535 else None


PARSER = VeracodeParser()
