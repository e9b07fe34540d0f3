"""Nexpose / InsightVM: the "XML Export 2.0" report (``<NexposeReport>``) and the "Simple XML" export.

The report lists ``nodes`` (hosts: ``address``, ``names``, ``tests`` run on the host,
and ``endpoints`` — port and protocol — each with ``services`` and their own
``tests``), then ``VulnerabilityDefinitions``: each ``vulnerability`` a test may
name, with its ``title``, ``severity`` (1 to 10), CVSS, ``description``,
``references``, ``tags`` and ``solution`` in Nexpose's structured text
(``Paragraph``, ``UnorderedList``, ``URLLink``...). A test is a finding when its
``status`` is ``vulnerable-exploited``, ``vulnerable-version`` or
``vulnerable-potential``; its own text (what Nexpose saw) is the evidence. As
DefectDojo does, each node also gives a "Host Up" finding and each open endpoint an
"Open port PROTO/PORT" finding, both info.

As DefectDojo does, the tests of one vulnerability are one finding, located at the
first host (and port) and described by its definition; every other place is
listed in its evidence and counted by ``instances:N``. The definitions come after
the nodes that refer to them, so the places are gathered while the nodes stream by,
and the findings made once the definitions have been read; only the definitions a
test names are kept. A test naming a vulnerability the report does not define (an
export template without definitions) is left out: nothing says what it is. Reports
written with ``version="1.0"`` in this shape are read too.

The "Simple XML" export (``<NeXposeSimpleXML version="1.0">``, every Nexpose and
InsightVM console) lists ``devices``: each ``device`` (``address``, an OS
``fingerprint``) with its own ``vulnerabilities`` and ``services`` (``name``, ``port``,
``protocol``, a ``fingerprint``) with theirs. A ``vulnerability`` is only an ``id``, a
``resultCode`` and reference ``id`` elements (``type`` cve, bid, url...): no title,
severity, description nor solution. One whose ``resultCode`` is ``VE``, ``VV`` or ``VP``
(vulnerable: exploited, version, potential, the statuses read from XML 2.0) is a finding
titled by its id, severity medium (the export says nothing of it), CVEs as advisories,
URLs as references and the other ids in its description; devices give "Host Up" and
services "Open port PROTO/PORT" as in XML 2.0, grouped the same way. Each device is read
whole, one at a time: the export has no definitions to wait for.

Severity: Nexpose's 1-10 scale read as a CVSS score (Nexpose derives it from one):
9-10 critical, 7-8 high, 4-6 medium, 1-3 low, 0 info.

Fingerprint: the vulnerability id ("host-up", "open-port" with protocol and port
for the findings Bastion adds): the grouping key. Not the hosts, which the finding
spans, nor the test's text (times, answers), which changes with every scan. Both
exports key a finding alike, so a team moving from one to the other keeps its findings.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

import orjson

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "nexpose"
VULNERABLE = frozenset({"vulnerable-exploited", "vulnerable-version", "vulnerable-potential"})
# Most tests found nothing (some 70% of a report's nodes): cut from the bytes before parsing.
_READ_TESTS = {"test": ("status", VULNERABLE)}
# The most of one test's own text kept as evidence.
EVIDENCE_LIMIT = 2000
# The findings last made are kept for the later places of their vulnerabilities: this many, of
# about this many characters in all (descriptions and solutions are the most of it).
RECENT_FINDINGS = 512
RECENT_CHARACTERS = 2 * 1024 * 1024
BLOCKS = frozenset({"Paragraph", "ContainerBlockElement", "UnorderedList", "OrderedList", "PreFormattedText"})
# The Simple XML's result codes that are findings, as XML 2.0 names the same statuses.
SIMPLE_RESULTS = {"VE": "vulnerable-exploited", "VV": "vulnerable-version", "VP": "vulnerable-potential"}
# Reference id types of the Simple XML that are not advisories nor links, listed in the description.
SIMPLE_REFERENCE_TYPES_READ = frozenset({"cve", "url"})


@dataclass(frozen=True)
class _Place:
    """Where a test found something, and what it saw, until the definitions are read."""

    key: str
    host: str
    names: tuple[str, ...]
    port: int | None = None
    protocol: str | None = None
    service: str | None = None
    output: str = ""
    system: str = ""

    @classmethod
    def revived(cls, data: dict[str, Any]) -> _Place:
        """Rebuild a place read back from its JSON."""
        return cls(**{**data, "names": tuple(data["names"])})

    def label(self) -> str:
        where = (
            self.host if self.port is None else f"{self.host}:{self.port}/{self.protocol or ''}".rstrip("/")
        )
        return f"{where}: {text.clip(' '.join(self.output.split()), 200)}" if self.output else where


@dataclass
class _Definition:
    title: str
    severity: Severity
    description: str
    solution: str
    cvss_score: str | None
    cvss_vector: str | None
    advisories: tuple[str, ...]
    references: tuple[str, ...]
    tags: tuple[str, ...] = field(default=())

    @classmethod
    def revived(cls, data: dict[str, Any]) -> _Definition:
        """Rebuild a definition that waited on disk."""
        return cls(
            **{
                **data,
                "severity": Severity(data["severity"]),
                **{name: tuple(data[name]) for name in ("advisories", "references", "tags")},
            }
        )

    def footprint(self) -> int:
        """About how many bytes the definition takes in memory."""
        return (
            1000 + len(self.title) + len(self.description) + len(self.solution) + 100 * len(self.references)
        )


class NexposeParser(ReportParser):
    """Nexpose XML Export 2.0 and Simple XML."""

    name = "nexpose"
    label = "Nexpose XML (2.0 and Simple)"
    defectdojo_scan_types = ("Nexpose Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("<") and ("<NexposeReport" in text or "<NeXposeSimpleXML" in text):
            return 100
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream)
        if _is_simple(readers.head_text(head)):
            yield from _parse_simple(source)
        else:
            yield from _parse_export(source)


def _is_simple(head: str) -> bool:
    """Tell whether the report's root, the first of the two roots its head shows, is the Simple XML's."""
    simple = head.find("<NeXposeSimpleXML")
    export = head.find("<NexposeReport")
    return simple >= 0 and (export < 0 or simple < export)


# --- XML Export 2.0 ---------------------------------------------------------------------


def _parse_export(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    """Read the nodes' places and the definitions they name, then make the findings.

    Memory stays level: the places wait in a temporary file (unlinked as it is
    opened), the definitions in a :class:`grouping.GroupStore` (on disk past its budget).
    """
    wanted: set[str] = set()
    definitions: grouping.GroupStore[_Definition] = grouping.GroupStore(
        _Definition.revived, _Definition.footprint
    )
    with tempfile.TemporaryFile() as places:
        node_index, has_places = 0, False
        for element in readers.iter_xml(
            stream,
            ("node", "vulnerability"),
            roots=("NexposeReport",),
            skip_unless_attribute=_READ_TESTS,
        ):
            if readers.local_name(element.tag) == "node":
                for place in _node_places(element, f"nodes.node[{node_index}]"):
                    places.write(orjson.dumps(place) + b"\n")
                    wanted.add(place.key)
                    has_places = True
                node_index += 1
            else:
                identifier = (element.get("id") or "").lower()
                if identifier in wanted or not has_places:
                    # Definitions before any node (not Nexpose's order) are kept all the same.
                    definitions.put(identifier, _definition(element))
        groups = grouping.FindingGroups()
        made = _RecentFindings(definitions)
        places.seek(0)
        for line in places:
            place = _Place.revived(orjson.loads(line))
            finding = made.finding(place)
            if finding is not None:
                groups.add(finding.fingerprint, finding, place.label())
    yield from groups.findings()


class _RecentFindings:
    """The findings made for the last places read, by vulnerability, within a bounded size.

    The first place of a vulnerability makes its group's finding; of a later place's finding
    :class:`grouping.FindingGroups` reads only the advisory ids, CWEs and references, the
    definition's, the same for every place of one vulnerability: the finding made for an
    earlier place serves, when it is still here.
    """

    def __init__(self, definitions: grouping.GroupStore[_Definition]) -> None:
        self._definitions = definitions
        self._findings: dict[str, NormalizedFinding | None] = {}
        self._held = 0  # about how many characters the findings kept hold

    def finding(self, place: _Place) -> NormalizedFinding | None:
        """Return a finding for this place: its own, or one of the same vulnerability made before."""
        if place.key in self._findings:
            return self._findings[place.key]
        finding = _finding(place, _definition_of(place, self._definitions))
        self._findings[place.key] = finding
        self._held += _size(finding)
        while len(self._findings) > RECENT_FINDINGS or self._held > RECENT_CHARACTERS:
            self._held -= _size(self._findings.pop(next(iter(self._findings))))
        return finding


def _size(finding: NormalizedFinding | None) -> int:
    if finding is None:
        return 0
    return len(finding.description) + len(finding.remediation) + len(finding.evidence)


def _definition_of(place: _Place, definitions: grouping.GroupStore[_Definition]) -> _Definition | None:
    """Return the definition of a place's vulnerability (None for Bastion's own findings, or none)."""
    if place.key == "host-up" or place.key.startswith("open-port:"):
        return None
    return definitions.get(place.key)


def _node_places(node: Element, position: str) -> list[_Place]:
    address = node.get("address") or ""
    if not address:
        raise MalformedReport("node has no address", position=position)
    names = tuple(
        dict.fromkeys(
            (name.text or "").strip()
            for name in readers.children(readers.child(node, "names"), "name")
            if (name.text or "").strip()
        )
    )
    places = [*_test_places(node, address, names), _Place(key="host-up", host=address, names=names)]
    for index, endpoint in enumerate(readers.children(readers.child(node, "endpoints"), "endpoint")):
        port = values.as_int(endpoint.get("port"))
        protocol = (endpoint.get("protocol") or "").lower() or None
        if port is None or not 0 <= port <= 65535:
            raise MalformedReport("endpoint has no valid port", position=f"{position}.endpoint[{index}]")
        services = readers.children(readers.child(endpoint, "services"), "service")
        service_name = next((service.get("name") for service in services if service.get("name")), None)
        if (endpoint.get("status") or "open") == "open":
            places.append(_open_port(address, names, port, protocol, service_name))
        for service in services:
            places.extend(
                _test_places(
                    service, address, names, port=port, protocol=protocol, service=service.get("name")
                )
            )
    return places


def _test_places(
    parent: Element,
    host: str,
    names: tuple[str, ...],
    *,
    port: int | None = None,
    protocol: str | None = None,
    service: str | None = None,
) -> Iterator[_Place]:
    for test in readers.children(readers.child(parent, "tests"), "test"):
        identifier = (test.get("id") or "").lower()
        if identifier and test.get("status") in VULNERABLE:
            yield _Place(
                key=identifier,
                host=host,
                names=names,
                port=port,
                protocol=protocol,
                service=service,
                output=text.clip(_prose(test, EVIDENCE_LIMIT), EVIDENCE_LIMIT),
            )


def _open_port(
    host: str, names: tuple[str, ...], port: int, protocol: str | None, service: str | None, system: str = ""
) -> _Place:
    return _Place(
        key=f"open-port:{protocol or ''}/{port}",
        host=host,
        names=names,
        port=port,
        protocol=protocol,
        service=service,
        output=f'{protocol or ""}/{port} port is open with "{service}" service' if service else "",
        system=system,
    )


def _definition(vulnerability: Element) -> _Definition:
    references = readers.children(readers.child(vulnerability, "references"), "reference")
    links = [(reference.text or "").strip() for reference in references if reference.get("source") == "URL"]
    exploits = readers.children(readers.child(vulnerability, "exploits"), "exploit")
    links += [exploit.get("link") or "" for exploit in exploits]
    tags = [(tag.text or "").strip() for tag in readers.children(readers.child(vulnerability, "tags"), "tag")]
    return _Definition(
        title=vulnerability.get("title") or vulnerability.get("id") or "",
        severity=values.severity_from_score(values.score(vulnerability.get("severity"))),
        description=_prose(readers.child(vulnerability, "description")),
        solution=_prose(readers.child(vulnerability, "solution")),
        cvss_score=vulnerability.get("cvssScore"),
        cvss_vector=vulnerability.get("cvssV3Vector") or None,
        advisories=values.advisory_ids(
            [(reference.text or "") for reference in references if reference.get("source") in ("CVE", "GHSA")]
        ),
        references=tuple(dict.fromkeys(link.strip() for link in links if link.strip().startswith("http"))),
        tags=tuple(dict.fromkeys(tag for tag in tags if tag)),
    )


# --- Simple XML ------------------------------------------------------------------------


def _parse_simple(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    groups = grouping.FindingGroups()
    devices = readers.iter_xml(stream, ("device",), roots=("NeXposeSimpleXML",))
    for index, device in enumerate(devices):
        for place, definition in _device_places(device, f"devices.device[{index}]"):
            finding = _finding(place, definition)
            if finding is not None:
                groups.add(finding.fingerprint, finding, place.label())
    yield from groups.findings()


def _device_places(device: Element, position: str) -> Iterator[tuple[_Place, _Definition | None]]:
    address = (device.get("address") or "").strip()
    if not address:
        raise MalformedReport("device has no address", position=position)
    system = _fingerprint_text(device)
    yield from _simple_places(device, address, system=system)
    yield _Place(key="host-up", host=address, names=(), system=system), None
    for index, service in enumerate(readers.children(readers.child(device, "services"), "service")):
        port = values.as_int(service.get("port"))
        if port is None or not 0 <= port <= 65535:
            raise MalformedReport("service has no valid port", position=f"{position}.service[{index}]")
        protocol = (service.get("protocol") or "").lower() or None
        name = service.get("name") or None
        found = _fingerprint_text(service)
        yield _open_port(address, (), port, protocol, name, found), None
        yield from _simple_places(service, address, port=port, protocol=protocol, service=name, system=found)


def _simple_places(
    parent: Element,
    host: str,
    *,
    port: int | None = None,
    protocol: str | None = None,
    service: str | None = None,
    system: str = "",
) -> Iterator[tuple[_Place, _Definition]]:
    for vulnerability in readers.children(readers.child(parent, "vulnerabilities"), "vulnerability"):
        identifier = (vulnerability.get("id") or "").lower()
        status = SIMPLE_RESULTS.get((vulnerability.get("resultCode") or "").strip().upper())
        if identifier and status:
            place = _Place(
                key=identifier,
                host=host,
                names=(),
                port=port,
                protocol=protocol,
                service=service,
                output=status,
                system=system,
            )
            yield place, _simple_definition(vulnerability, identifier)


def _simple_definition(vulnerability: Element, identifier: str) -> _Definition:
    """Describe a Simple XML vulnerability by what it carries: its id and its reference ids."""
    ids = [
        ((reference.get("type") or "").strip().lower(), (reference.text or "").strip())
        for reference in readers.children(vulnerability, "id")
    ]
    others = [
        f"{kind.upper()}-{value}"
        for kind, value in ids
        if kind not in SIMPLE_REFERENCE_TYPES_READ and kind and value
    ]
    description = f"Nexpose vulnerability check {identifier}; the Simple XML export does not describe it."
    if others:
        description += f"\nReferences: {', '.join(dict.fromkeys(others))}"
    return _Definition(
        title=identifier,
        severity=Severity.MEDIUM,
        description=description,
        solution="",
        cvss_score=None,
        cvss_vector=None,
        advisories=values.advisory_ids(
            [value.upper().replace("CAN-", "CVE-", 1) for kind, value in ids if kind == "cve"]
        ),
        references=tuple(
            dict.fromkeys(value for kind, value in ids if kind == "url" and value.startswith("http"))
        ),
    )


def _fingerprint_text(element: Element) -> str:
    """Return what Nexpose recognised on a device or service: its fingerprint's description."""
    found = readers.child(element, "fingerprint")
    if found is None:
        return ""
    description = readers.child_text(found, "description")
    if description:
        return " ".join(description.split())
    parts = (readers.child_text(found, name) for name in ("vendor", "product", "version"))
    return " ".join(dict.fromkeys(part for part in parts if part))


# --- findings ---------------------------------------------------------------------------

HOST_UP = _Definition(
    title="Host Up",
    severity=Severity.INFO,
    description="The host is up: it answered an ICMP request or has an open TCP or UDP port.",
    solution="",
    cvss_score=None,
    cvss_vector=None,
    advisories=(),
    references=(),
)


def _finding(place: _Place, definition: _Definition | None) -> NormalizedFinding | None:
    if place.key == "host-up":
        definition = HOST_UP
    elif place.key.startswith("open-port:"):
        definition = _Definition(
            title=f"Open port {(place.protocol or '').upper()}/{place.port}",
            severity=Severity.INFO,
            description=f"Port {place.port}/{place.protocol or ''} is open.",
            solution="",
            cvss_score=None,
            cvss_vector=None,
            advisories=(),
            references=(),
        )
    if definition is None:
        return None
    vector, score = values.cvss3(definition.cvss_vector)
    tags = list(definition.tags)
    if place.service and place.service != "<unknown>":
        tags.append(f"service:{place.service.lower()}")
    return NormalizedFinding(
        title=text.title(definition.title),
        severity=definition.severity,
        tool=TOOL,
        rule_id=place.key.split(":", 1)[0] if place.key.startswith("open-port:") else place.key,
        description=text.clip(definition.description),
        advisory_ids=definition.advisories,
        cvss_v3_vector=vector,
        cvss_v3_score=score,
        location=FindingLocation(
            host=place.host, port=place.port, protocol=place.protocol, component=place.service or None
        ),
        evidence=text.clip(
            "\n".join(
                filter(
                    None,
                    [
                        place.output,
                        f"Host names: {', '.join(place.names)}" if place.names else "",
                        f"Fingerprint: {place.system}" if place.system else "",
                    ],
                )
            )
        ),
        remediation=text.clip(definition.solution),
        references=definition.references,
        tags=tuple(dict.fromkeys(tags)),
        fingerprint=grouping.fingerprint(TOOL, place.key),
    )


def _prose(element: Element | None, limit: int | None = None) -> str:
    """Return Nexpose's structured text (paragraphs, lists, links) as plain lines.

    With a ``limit`` (the most the caller keeps), rendering stops once some times that
    much text is gathered: what it gives then starts as the whole text does.
    """
    if element is None:
        return ""
    pieces: list[str] = []
    is_cut = _render(element, pieces, 4 * limit if limit else sys.maxsize) <= 0
    prose = _lines(pieces)
    if is_cut and limit and len(prose) <= limit:  # the text gathered was mostly blank lines
        pieces.clear()
        _render(element, pieces, sys.maxsize)
        prose = _lines(pieces)
    return prose


def _lines(pieces: list[str]) -> str:
    lines = "".join(pieces).splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line and not line.isspace())


def _render(element: Element, pieces: list[str], budget: int) -> int:
    """Append an element's text to ``pieces``, its blocks as lines; return what is left of ``budget``.

    Once the budget is spent nothing more is added, so ``pieces`` start as the whole text's do.
    A text's own line breaks become spaces (in the markup they only wrap it); :func:`_lines`
    folds the spaces.
    """
    name = readers.local_name(element.tag)
    is_block = name in BLOCKS
    if name == "ListItem":
        pieces.append("\n- ")
    elif is_block:
        pieces.append("\n")
    if name == "URLLink":
        link = element.get("LinkURL") or ""
        label = (element.text or "").strip() or element.get("LinkTitle") or ""
        piece = " " + (f"{label} ({link})" if label and link and label != link else label or link)
        pieces.append(piece)
        budget -= len(piece)
    else:
        content = element.text
        if content and not content.isspace():
            piece = " " + _unbroken(content)
            pieces.append(piece)
            budget -= len(piece)
    for child in element:
        if budget <= 0:
            return budget
        budget = _render(child, pieces, budget)
        if budget <= 0:
            return budget
        tail = child.tail
        if tail and not tail.isspace():
            piece = " " + _unbroken(tail)
            pieces.append(piece)
            budget -= len(piece)
    if is_block:
        pieces.append("\n")
    return budget


def _unbroken(content: str) -> str:
    """Return a text on one line: its line breaks made spaces."""
    if content.isascii():  # of the ASCII characters str.splitlines breaks at, XML text holds only these
        return content.replace("\n", " ").replace("\r", " ")
    return " ".join(content.split())


PARSER = NexposeParser()
