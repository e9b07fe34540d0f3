"""HCL AppScan XML (``<xml-report>``): AppScan Standard's and AppScan on Cloud's export.

The report is normalised: each issue in ``issue-group`` refers by id (``<ref>``)
to its issue type, URL, entity (page, parameter, cookie...), threat class,
causes, security risks and remediation, which the report defines in lookup
groups (``issue-type-group``, ``url-group``, ``entity-group``,
``remediation-group``, ``fix-recommendation-group``, ``threat-class-group``,
``cause-group``, ``security-risk-group``). A first pass reads those definitions,
wherever they stand; a second streams the issues, each with its variants (the
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

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser

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
    """The report's definitions, by id."""

    issue_types: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, cwe)
    urls: dict[str, str] = field(default_factory=dict)
    entities: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, type)
    remediations: dict[str, str] = field(default_factory=dict)
    fixes: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # threat classes, causes, risks, dictionary


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
            lookups = _lookups(source)
            source.seek(start)
            variants: list[_Variant] = []
            for element in readers.iter_xml(source, ("item",), roots=("xml-report",)):
                if _is_variant(element):
                    variants.append(_variant(element))
                elif _is_issue(element):
                    yield _finding(element, lookups, variants)
                    variants = []


def _is_variant(item: Element) -> bool:
    return any(readers.child(item, name) is not None for name in ("issue-information", "test-http-traffic"))


def _is_issue(item: Element) -> bool:
    if readers.child(item, "variant-group") is not None:
        return True
    return readers.child(item, "severity") is not None and (
        readers.child(item, "issue-type") is not None or readers.child(item, "issue-type-name") is not None
    )


def _lookups(source: BinaryIO) -> _Lookups:
    """Read the lookup groups' definitions, telling them apart by their shape."""
    lookups = _Lookups()
    for item in readers.iter_xml(source, ("item",), roots=("xml-report",)):
        identifier = item.get("id")
        if identifier is None or _is_variant(item) or _is_issue(item):
            continue
        name = readers.child_text(item, "name")
        if readers.child(item, "xfid") is not None or (name and readers.child(item, "advisory") is not None):
            lookups.issue_types[identifier] = (name, readers.child_text(item, "cwe"))
        elif readers.child(item, "entity-type") is not None or readers.child(item, "url-name") is not None:
            lookups.entities[identifier] = (name, readers.child_text(item, "entity-type"))
        elif readers.child(item, "priority") is not None:
            lookups.remediations[identifier] = name
        elif readers.child(item, "general") is not None:
            lines = [
                (line.text or "").strip()
                for line in readers.descendants(readers.child(item, "general"), "text")
            ]
            lookups.fixes[identifier] = text.clip("\n".join(lines).strip(), 20_000)
        elif name and (
            readers.child(item, "issues-count") is not None or name.startswith(("http://", "https://"))
        ):
            lookups.urls[identifier] = name
        elif len(item) == 0 and (item.text or "").strip():
            lookups.texts[identifier] = text.clip((item.text or "").strip(), 2000)
    return lookups


def _variant(item: Element) -> _Variant:
    information = readers.child(item, "issue-information")
    reasoning = readers.child_text(item, "reasoning")
    tip = readers.child_text(information, "issue-tip")
    traffic = readers.child_text(item, "test-http-traffic") or readers.child_text(
        information, "testResponseChunk"
    )
    return _Variant(
        reasoning="\n".join(part for part in (reasoning, tip) if part),
        traffic=text.clip(traffic, _VARIANT_EVIDENCE),
    )


def _refs(item: Element, name: str) -> list[str]:
    element = readers.child(item, name)
    if element is None:
        return []
    refs = [(ref.text or "").strip() for ref in readers.children(element, "ref")]
    if not refs and (element.text or "").strip():
        refs = [(element.text or "").strip()]
    return [ref for ref in refs if ref]


def _first(item: Element, name: str) -> str:
    refs = _refs(item, name)
    return refs[0] if refs else ""


def _finding(item: Element, lookups: _Lookups, variants: list[_Variant]) -> NormalizedFinding:
    issue_type = _first(item, "issue-type") or readers.child_text(item, "issue-type-name")
    type_name, type_cwe = lookups.issue_types.get(issue_type, ("", ""))
    heading = readers.child_text(item, "issue-type-name") or type_name or issue_type
    url = lookups.urls.get(_first(item, "url")) or _url_of(item)
    entity_name, entity_type = lookups.entities.get(_first(item, "entity"), ("", ""))
    if not entity_name:
        entity_name = readers.child_text(item, "entity") or readers.child_text(item, "element")
        entity_type = entity_type or readers.child_text(item, "element-type")
    location_text = readers.child_text(item, "location")
    file_path, line = _file_location(location_text, url)
    parts = urlsplit(url) if url else None
    details = [
        f"{label}: {value}"
        for label, value in (
            ("Threat class", _texts(lookups, _refs(item, "threat-class"))),
            ("Causes", _texts(lookups, _refs(item, "cause-id"))),
            ("Security risks", _texts(lookups, _refs(item, "security-risks"))),
            ("Entity", f"{entity_name} ({entity_type})" if entity_type else entity_name),
        )
        if value
    ]
    remediation = [lookups.remediations.get(ref, "") for ref in _refs(item, "remediation")]
    remediation.append(lookups.fixes.get(issue_type, ""))
    vector, computed = _cvss(readers.child_text(readers.child(item, "cvss-vector"), "vector"))
    score = values.score(readers.child_text(item, "cvss-score"))
    return NormalizedFinding(
        title=text.title(heading),
        severity=_severity(item),
        tool=TOOL,
        rule_id=issue_type or None,
        tool_finding_id=item.get("id"),
        description=text.clip("\n".join(details)),
        cwe_ids=values.cwe_ids([readers.child_text(item, "cwe") or type_cwe]),
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
        evidence=text.clip(_evidence(variants)),
        remediation=text.clip("\n\n".join(part for part in remediation if part)),
        tags=(f"entity:{entity_type.lower()}",) if entity_type else (),
        fingerprint=grouping.fingerprint(
            TOOL, issue_type or heading, url or location_text, entity_name, entity_type
        ),
    )


def _url_of(item: Element) -> str:
    """Build the URL of an issue that writes it as text fields (export format 1.x)."""
    url = readers.child_text(item, "url-name") or readers.child_text(item, "url")
    if url:
        return url
    host = readers.child_text(item, "host")
    if not host:
        location = readers.child_text(item, "location")
        return location if location.startswith(("http://", "https://")) else ""
    scheme = readers.child_text(item, "scheme") or "https"
    port = readers.child_text(item, "port")
    netloc = f"{host}:{port}" if port and port not in {"80", "443"} else host
    return f"{scheme}://{netloc}{readers.child_text(item, 'path')}"


def _file_location(location: str, url: str) -> tuple[str | None, int | None]:
    """Return the file and line of a static issue's ``location`` (``src/a.java:42``)."""
    if not location or url or location.startswith(("http://", "https://")):
        return None, None
    path, separator, line = location.rpartition(":")
    if separator and line.isdigit():
        return path, values.line_number(line)
    return location, None


def _texts(lookups: _Lookups, refs: list[str]) -> str:
    return "; ".join(lookups.texts.get(ref, ref) for ref in refs)


def _severity(item: Element) -> Severity:
    word = readers.child_text(item, "severity")
    if word:
        return values.severity_from_word(word)
    return _SEVERITY_IDS.get(readers.child_text(item, "severity-id"), Severity.INFO)


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
    return "\n\n".join(part for part in parts if part)


def _port(parts: object) -> int | None:
    try:
        return parts.port if parts is not None else None  # type: ignore[attr-defined]
    except ValueError:
        return None


PARSER = HclAppscanParser()
