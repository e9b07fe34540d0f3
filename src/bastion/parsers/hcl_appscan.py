"""HCL AppScan XML (``<xml-report>``): AppScan Standard's and AppScan on Cloud's export.

The report is normalised: each issue in ``issue-group`` refers by id (``<ref>``)
to its issue type, URL, entity (page, parameter, cookie...), threat class,
causes, security risks and remediation, which the report defines in lookup
groups (``issue-type-group``, ``url-group``, ``entity-group``,
``remediation-group``, ``fix-recommendation-group``, ``threat-class-group``,
``cause-group``, ``security-risk-group``). A first pass reads those definitions,
wherever they stand (it leaves out the issue group, most of the report's bytes,
which defines nothing); a second streams the issues, each with its variants (the
requests AppScan sent and why it judged them vulnerable). Issues that give their
fields as text rather than references (``issue-type-name``, ``location``,
``scheme``, ``host``, ``port``, ``path``, as in export format 1.x) are read too.

Every issue is a finding, titled with its issue type's name and located at its
URL (host, port and scheme split out), the entity's name as the parameter when
the entity is one. Evidence: the first variant's reasoning and test request and
response (clipped), and the number of variants. Severity: ``severity``
(critical, high, medium, low, informational), else ``severity-id`` (4 to 0);
CVSS v3 from ``cvss-vector`` and ``cvss-score``.

Fingerprint: the issue type, the URL and the entity: what AppScan tested, not
its issue ids, which are numbers of one scan.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "hcl_appscan"
_SEVERITY_IDS = {
    "4": Severity.CRITICAL,
    "3": Severity.HIGH,
    "2": Severity.MEDIUM,
    "1": Severity.LOW,
    "0": Severity.INFO,
}
_PARAMETER_ENTITIES = frozenset({"parameter", "cookie", "header"})
_VARIANT_EVIDENCE = 20_000


@dataclass
class _Lookups:
    """The report's definitions, by id, and what the issues make of them."""

    issue_types: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, cwe)
    urls: dict[str, str] = field(default_factory=dict)
    entities: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, type)
    remediations: dict[str, str] = field(default_factory=dict)
    fixes: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # threat classes, causes, risks, dictionary
    # Issues of one type refer to the same definitions: their texts are made once.
    _described: dict[tuple[tuple[str, ...], ...], tuple[str, ...]] = field(default_factory=dict)
    _remedied: dict[tuple[tuple[str, ...], str], str] = field(default_factory=dict)

    def described(
        self, threat_classes: tuple[str, ...], causes: tuple[str, ...], risks: tuple[str, ...]
    ) -> tuple[str, ...]:
        """Return the description's lines naming the threat class, causes and risks."""
        key = (threat_classes, causes, risks)
        lines = self._described.get(key)
        if lines is None:
            labelled = (("Threat class", threat_classes), ("Causes", causes), ("Security risks", risks))
            lines = tuple(
                f"{label}: {value}"
                for label, refs in labelled
                if (value := "; ".join(self.texts.get(ref, ref) for ref in refs))
            )
            if len(self._described) >= _TEXTS_KEPT:
                self._described.clear()
            self._described[key] = lines
        return lines

    def remediation(self, refs: tuple[str, ...], issue_type: str) -> str:
        """Return the remediation of the issue type with these remediation refs, clipped."""
        key = (refs, issue_type)
        found = self._remedied.get(key)
        if found is None:
            parts = [self.remediations.get(ref, "") for ref in refs]
            parts.append(self.fixes.get(issue_type, ""))
            found = text.clip("\n\n".join(part for part in parts if part))
            if len(self._remedied) >= _TEXTS_KEPT:
                self._remedied.clear()
            self._remedied[key] = found
        return found


_TEXTS_KEPT = 256  # the most texts kept for the issues to come


@dataclass
class _Variant:
    reasoning: str
    traffic: str


class HclAppscanParser(ReportParser):
    """HCL AppScan's XML report."""

    name = "hcl_appscan"
    label = "HCL AppScan XML"
    defectdojo_scan_types = ("HCLAppScan XML",)

    def detect(self, head: bytes) -> int:
        content = readers.head_text(head)
        if "<xml-report" not in content:
            return 0
        markers = ("AppScan", "xmlExportVersion", "AsocXmlExportVersion")
        return 100 if any(marker in content for marker in markers) else 60

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        with readers.seekable(stream) as source:
            start = source.tell()
            lookups = _lookups(source, start)
            source.seek(start)
            variants: list[_Variant] = []
            for element in readers.iter_xml(source, ("item",), roots=("xml-report",)):
                found = readers.children_by_name(element)
                if _is_variant(found):
                    variants.append(_variant(found))
                elif _is_issue(found):
                    yield _finding(element, found, lookups, variants)
                    variants = []


def _is_variant(found: dict[str, Element]) -> bool:
    return "issue-information" in found or "test-http-traffic" in found


def _is_issue(found: dict[str, Element]) -> bool:
    if "variant-group" in found:
        return True
    return "severity" in found and ("issue-type" in found or "issue-type-name" in found)


def _lookups(source: BinaryIO, start: int) -> _Lookups:
    """Read the lookup groups' definitions, wherever they stand, from ``start``.

    The issue group, nearly all of a report's bytes, defines nothing (AppScan writes
    each kind of definition in a group of its own, before or after it): the
    definitions are read from the report without it (see :func:`_issue_groups`), a
    read some ten times shorter. Should that text not be a document of its own (an
    issue group the byte search misjudged), the whole report is read instead.
    """
    spans = _issue_groups(source, start)
    if spans:
        source.seek(start)
        try:
            return _read_lookups(io.BufferedReader(_Without(source, start, spans)))
        except MalformedReport:
            pass
    source.seek(start)
    return _read_lookups(source)


def _read_lookups(source: BinaryIO) -> _Lookups:
    """Read the lookup groups' definitions, telling them apart by their shape."""
    lookups = _Lookups()
    for item in readers.iter_xml(source, ("item",), roots=("xml-report",)):
        identifier = item.get("id")
        if identifier is None:
            continue
        found = readers.children_by_name(item)
        if _is_variant(found) or _is_issue(found):
            continue
        name = readers.named_text(found, "name")
        if "xfid" in found or (name and "advisory" in found):
            lookups.issue_types[identifier] = (name, readers.named_text(found, "cwe"))
        elif "entity-type" in found or "url-name" in found:
            lookups.entities[identifier] = (name, readers.named_text(found, "entity-type"))
        elif "priority" in found:
            lookups.remediations[identifier] = name
        elif "general" in found:
            lines = [(line.text or "").strip() for line in readers.descendants(found["general"], "text")]
            lookups.fixes[identifier] = text.clip("\n".join(lines).strip(), 20_000)
        elif name and ("issues-count" in found or name.startswith(("http://", "https://"))):
            lookups.urls[identifier] = name
        elif len(item) == 0 and (item.text or "").strip():
            lookups.texts[identifier] = text.clip((item.text or "").strip(), 2000)
    return lookups


# Markup that may quote the tags without being them: CDATA sections, comments and
# processing instructions (text and attribute values cannot hold a "<"); then the
# start tag (its attributes as XML writes them, so that a "/>" is told apart) or
# the end tag of an issue group.
_QUOTING = rb"<!\[CDATA\[|<!--|<\?"
_ISSUE_GROUP_START = re.compile(
    _QUOTING + rb"""|<issue-group(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>"""
)
_ISSUE_GROUP_END = re.compile(_QUOTING + rb"|</issue-group\s*>")
_QUOTED_UNTIL = {
    b"<![CDATA[": re.compile(rb"\]\]>"),
    b"<!--": re.compile(rb"-->"),
    b"<?": re.compile(rb"\?>"),
}
_SCAN_BYTES = 1024 * 1024
_SCAN_OVERLAP = 4096  # a tag cut by the end of what was read is looked for again in this much


def _issue_groups(source: BinaryIO, start: int) -> list[tuple[int, int]]:
    """Return the byte spans of the report's ``issue-group`` elements, found by a search of its bytes.

    A group missed (written with a namespace prefix, say) is only read by the first
    pass too; one misjudged makes the rest no document, and the whole report is read.
    """
    scanner = _Scanner(source, start)
    spans: list[tuple[int, int]] = []
    pattern, opening, position = _ISSUE_GROUP_START, 0, start
    while (found := scanner.search(pattern, position)) is not None:
        begin, position, token = found
        quoted_until = _QUOTED_UNTIL.get(token)
        if quoted_until is not None:
            closing = scanner.search(quoted_until, position)
            if closing is None:
                break
            position = closing[1]
        elif pattern is _ISSUE_GROUP_END:
            spans.append((opening, position))
            pattern = _ISSUE_GROUP_START
        elif not token.endswith(b"/>"):
            pattern, opening = _ISSUE_GROUP_END, begin
    return spans


class _Scanner:
    """Search a seekable report's bytes from a position on, reading it once, a chunk at a time."""

    def __init__(self, source: BinaryIO, start: int) -> None:
        source.seek(start)
        self._source = source
        self._buffer = b""
        self._offset = start  # where the buffer stands in the report

    def search(self, pattern: re.Pattern[bytes], position: int) -> tuple[int, int, bytes] | None:
        """Return the span and text of the first match at or after ``position``, which only grows."""
        while True:
            match = pattern.search(self._buffer, max(position - self._offset, 0))
            if match is not None:
                return self._offset + match.start(), self._offset + match.end(), match.group()
            chunk = self._source.read(_SCAN_BYTES)
            if not chunk:
                return None
            kept = max(len(self._buffer) - _SCAN_OVERLAP, position - self._offset, 0)
            self._buffer = self._buffer[kept:] + chunk
            self._offset += kept


class _Without(io.RawIOBase):
    """The report from ``start``, without the byte spans given (sorted, not overlapping)."""

    def __init__(self, source: BinaryIO, start: int, spans: list[tuple[int, int]]) -> None:
        super().__init__()
        self._source = source
        self._position = start
        self._spans = list(reversed(spans))  # the next span to skip last

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        while self._spans and self._position >= self._spans[-1][0]:
            self._position = max(self._position, self._spans.pop()[1])
        size = len(view)
        if self._spans:
            size = min(size, self._spans[-1][0] - self._position)
        self._source.seek(self._position)
        data = self._source.read(size) or b""
        view[: len(data)] = data
        self._position += len(data)
        return len(data)


def _variant(found: dict[str, Element]) -> _Variant:
    information = found.get("issue-information")
    about = readers.children_by_name(information) if information is not None else {}
    reasoning = readers.named_text(found, "reasoning")
    tip = readers.named_text(about, "issue-tip")
    traffic = readers.named_text(found, "test-http-traffic") or readers.named_text(about, "testResponseChunk")
    return _Variant(
        reasoning="\n".join(part for part in (reasoning, tip) if part),
        traffic=text.clip(traffic, _VARIANT_EVIDENCE),
    )


def _refs(found: dict[str, Element], name: str) -> list[str]:
    element = found.get(name)
    if element is None:
        return []
    local_name = readers.local_name
    refs = [(ref.text or "").strip() for ref in element if local_name(ref.tag) == "ref"]
    if not refs and (element.text or "").strip():
        refs = [(element.text or "").strip()]
    return [ref for ref in refs if ref]


def _first(found: dict[str, Element], name: str) -> str:
    refs = _refs(found, name)
    return refs[0] if refs else ""


def _finding(
    item: Element, found: dict[str, Element], lookups: _Lookups, variants: list[_Variant]
) -> NormalizedFinding:
    issue_type = _first(found, "issue-type") or readers.named_text(found, "issue-type-name")
    type_name, type_cwe = lookups.issue_types.get(issue_type, ("", ""))
    heading = readers.named_text(found, "issue-type-name") or type_name or issue_type
    url = lookups.urls.get(_first(found, "url")) or _url_of(found)
    entity_name, entity_type = lookups.entities.get(_first(found, "entity"), ("", ""))
    if not entity_name:
        entity_name = readers.named_text(found, "entity") or readers.named_text(found, "element")
        entity_type = entity_type or readers.named_text(found, "element-type")
    location_text = readers.named_text(found, "location")
    file_path, line = _file_location(location_text, url)
    parts = urlsplit(url) if url else None
    details = list(
        lookups.described(
            tuple(_refs(found, "threat-class")),
            tuple(_refs(found, "cause-id")),
            tuple(_refs(found, "security-risks")),
        )
    )
    entity = f"{entity_name} ({entity_type})" if entity_type else entity_name
    if entity:
        details.append(f"Entity: {entity}")
    vector, computed = _cvss(readers.child_text(found.get("cvss-vector"), "vector"))
    score = values.score(readers.named_text(found, "cvss-score"))
    return NormalizedFinding(
        title=text.title(heading),
        severity=_severity(found),
        tool=TOOL,
        rule_id=issue_type or None,
        tool_finding_id=item.get("id"),
        description=text.clip("\n".join(details)),
        cwe_ids=values.cwe_ids([readers.named_text(found, "cwe") or type_cwe]),
        cvss_v3_vector=vector,
        cvss_v3_score=score if score is not None else computed,
        location=FindingLocation(
            url=url or None,
            host=parts.hostname if parts else None,
            port=_port(parts),
            protocol=parts.scheme or None if parts else None,
            parameter=entity_name or None if entity_type.lower() in _PARAMETER_ENTITIES else None,
            file_path=file_path,
            line_start=line,
            line_end=line,
        ),
        evidence=_evidence(variants),
        remediation=lookups.remediation(tuple(_refs(found, "remediation")), issue_type),
        tags=(f"entity:{entity_type.lower()}",) if entity_type else (),
        fingerprint=grouping.fingerprint(
            TOOL, issue_type or heading, url or location_text, entity_name, entity_type
        ),
    )


def _url_of(found: dict[str, Element]) -> str:
    """Build the URL of an issue that writes it as text fields (export format 1.x)."""
    url = readers.named_text(found, "url-name") or readers.named_text(found, "url")
    if url:
        return url
    host = readers.named_text(found, "host")
    if not host:
        location = readers.named_text(found, "location")
        return location if location.startswith(("http://", "https://")) else ""
    scheme = readers.named_text(found, "scheme") or "https"
    port = readers.named_text(found, "port")
    netloc = f"{host}:{port}" if port and port not in {"80", "443"} else host
    return f"{scheme}://{netloc}{readers.named_text(found, 'path')}"


def _file_location(location: str, url: str) -> tuple[str | None, int | None]:
    """Return the file and line of a static issue's ``location`` (``src/a.java:42``)."""
    if not location or url or location.startswith(("http://", "https://")):
        return None, None
    path, separator, line = location.rpartition(":")
    if separator and line.isdigit():
        return path, values.line_number(line)
    return location, None


def _severity(found: dict[str, Element]) -> Severity:
    word = readers.named_text(found, "severity")
    if word:
        return values.severity_from_word(word)
    return _SEVERITY_IDS.get(readers.named_text(found, "severity-id"), Severity.INFO)


@functools.lru_cache(maxsize=1024)  # one vector per issue type, mostly
def _cvss(vector: str) -> tuple[str | None, float | None]:
    """Return the base CVSS v3 vector of AppScan's (which lists every metric, ``E:X`` too)."""
    metrics = [metric for metric in vector.split("/") if ":" in metric and not metric.endswith(":X")]
    if not metrics:
        return None, None
    body = "/".join(metric for metric in metrics if not metric.startswith("CVSS:"))
    return values.cvss3(f"CVSS:3.1/{body}")


def _evidence(variants: list[_Variant]) -> str:
    if not variants:
        return ""
    first = variants[0]
    parts = [first.reasoning, first.traffic]
    if len(variants) > 1:
        parts.append(f"Variants: {len(variants)}")
    return text.clip("\n\n".join(part for part in parts if part))


def _port(parts: object) -> int | None:
    try:
        return parts.port if parts is not None else None  # type: ignore[attr-defined]
    except ValueError:
        return None


PARSER = HclAppscanParser()
