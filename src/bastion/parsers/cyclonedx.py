"""CycloneDX BOMs with vulnerabilities (VEX/VDR), XML and JSON.

Three ways a BOM carries vulnerabilities, all read:

* JSON (spec 1.4+): top-level ``vulnerabilities``, each naming the components
  it ``affects`` by ``bom-ref``. The JSON is streamed in one pass, ``metadata``
  and ``components`` (kept as a small map of references to names and versions)
  coming before ``vulnerabilities`` as BOMs are written; when a vulnerability
  comes first, a second pass reads the metadata and components (a stream that
  cannot seek is copied to a temporary file first).
* XML (spec 1.4+): the same ``vulnerabilities`` element, after the components.
* XML with the vulnerability extension 1.0 (spec 1.2/1.3, written by grype and
  others): ``v:vulnerabilities`` either inside the affected ``component`` or at
  the end of the BOM with a ``ref`` to a component's ``bom-ref``.

One finding per vulnerability and affected component (a vulnerability that names
no component yields one finding without a package). A BOM without
vulnerabilities yields nothing. A vulnerability whose VEX ``analysis/state`` is
set is still yielded, tagged ``vex:<state>`` (``vex:not_affected``,
``vex:false_positive``, ``vex:resolved``, ``vex:exploitable``, ``vex:in_triage``).

Severity: from the ratings, preferring CVSS v4, v3.1, v3, v2, then unnamed or
other methods, then OWASP/SSVC; a rating's ``severity`` word counts first, else
its score on the CVSS v3 scale. No usable rating is medium (the BOM asserts the
vulnerability, not its weight). ``tool_version`` is the first producing tool
named in the metadata, as "name version".

Fingerprint: the vulnerability id and the affected component's identity: its
purl without qualifiers (which hold per-scan ids), else group/name@version, else
the reference. The version stays in: a BOM can hold several versions of one
package, each its own finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

# Rating methods by preference; a method not listed ranks with unnamed ones.
_METHOD_RANK = {"cvssv4": 0, "cvssv31": 1, "cvssv3": 2, "cvssv2": 3, "owasp": 5, "ssvc": 6}
_UNNAMED_RANK = 4
_METADATA_TAG = re.compile(r"<(?:[\w.-]+:)?metadata[\s>]")


@dataclass(frozen=True)
class _Component:
    name: str
    version: str | None = None
    group: str | None = None
    purl: str | None = None

    @property
    def package(self) -> str:
        """Return the package name as its ecosystem writes it (an npm scope kept)."""
        if self.group and self.group.startswith("@"):
            return f"{self.group}/{self.name}"
        return self.name

    @property
    def identity(self) -> str:
        if self.purl:
            return self.purl.split("?", 1)[0].split("#", 1)[0]
        return f"{self.group or ''}/{self.name}@{self.version or ''}"


@dataclass
class _Rating:
    method: str = ""
    score: float | None = None
    severity: str = ""
    vector: str = ""


@dataclass
class _Vulnerability:
    """One vulnerability, read from XML or JSON, before it meets its components."""

    vuln_id: str
    bom_ref: str | None = None
    ratings: list[_Rating] = field(default_factory=list)
    cwes: list[object] = field(default_factory=list)
    description: str = ""
    detail: str = ""
    recommendation: str = ""
    references: list[str] = field(default_factory=list)
    reference_ids: list[str] = field(default_factory=list)
    state: str = ""
    justification: str = ""
    analysis_detail: str = ""
    targets: list[str] = field(default_factory=list)


class CyclonedxParser(ReportParser):
    """CycloneDX BOM (XML or JSON) with vulnerabilities."""

    name = "cyclonedx"
    label = "CycloneDX BOM (XML or JSON)"
    defectdojo_scan_types = ("CycloneDX Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("{"):
            return 100 if '"bomFormat"' in text and '"CycloneDX"' in text else 0
        if text.startswith("<") and "http://cyclonedx.org/schema/bom/" in text:
            return 100
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream)
        text = readers.head_text(head)
        if text.startswith("<"):
            yield from self._parse_xml(source, text)
        else:
            with readers.seekable(source) as seekable:
                yield from self._parse_json(seekable)

    # --- JSON -----------------------------------------------------------------------

    def _parse_json(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        start = stream.tell()
        bom = _JsonBom()
        reader = readers.JsonReader(
            stream,
            ["bomFormat", *_JsonBom.PARTS, "vulnerabilities.item"],
            expect={"": "object", "metadata": "object", "components": "array"},
        )
        for record in reader:
            if record.prefix == "bomFormat":
                if record.value != "CycloneDX":
                    raise MalformedReport(
                        f"bomFormat is {record.value!r}, not 'CycloneDX'", position="bomFormat"
                    )
                continue
            if record.prefix != "vulnerabilities.item":
                bom.read(record)
                continue
            if not {"metadata", "components"} <= reader.seen and not bom.is_complete:
                # Written after the vulnerabilities (or not at all): read them first.
                with readers.rewound(stream, start) as again:
                    bom = _JsonBom(is_complete=True)
                    for part in readers.JsonReader(again, _JsonBom.PARTS):
                        bom.read(part)
            bom.is_complete = True
            where = record.position
            vulnerability = _json_vulnerability(readers.expect_mapping(record.value, where), where)
            targets = [bom.components.get(ref) or _from_ref(ref) for ref in vulnerability.targets]
            yield from _findings(vulnerability, targets, bom.subject, bom.tool_version)
        if "bomFormat" not in reader.seen:
            raise readers.not_a_report("bomFormat")

    # --- XML ------------------------------------------------------------------------

    def _parse_xml(self, stream: BinaryIO, head: str) -> Iterator[NormalizedFinding]:
        components: dict[str, _Component] = {}
        tool_version: str | None = None
        subject: _Component | None = None
        # metadata (spec 1.2+) is the BOM's first child: every component ending before it
        # does is the metadata's (its tools' components, then metadata/component).
        in_metadata = _METADATA_TAG.search(head) is not None
        metadata_components: list[_Component] = []
        pending: list[_Vulnerability] = []  # extension 1.0 vulnerabilities awaiting their component
        tags = ("metadata", "tool", "component", "vulnerability")
        for element in readers.iter_xml(stream, tags, roots=("bom",)):
            kind = readers.local_name(element.tag)
            if kind == "metadata":
                in_metadata = False
                if readers.child(element, "component") is not None and metadata_components:
                    subject = metadata_components[-1]
                tools = readers.child(element, "tools")
                if tool_version is None and readers.child(tools, "components") is not None:
                    tool = metadata_components[0] if metadata_components else None
                    tool_version = _tool_label(tool.name, tool.version or "") if tool else None
            elif kind == "tool":
                if tool_version is None:
                    tool_version = _tool_label(
                        readers.child_text(element, "name"), readers.child_text(element, "version")
                    )
            elif kind == "component":
                component = _xml_component(element)
                if in_metadata:
                    metadata_components.append(component)
                if element.get("bom-ref"):
                    components[str(element.get("bom-ref"))] = component
                if readers.child(element, "vulnerabilities") is not None:
                    for vulnerability in pending:
                        yield from _findings(vulnerability, [component], subject, tool_version)
                    pending.clear()
            else:
                vulnerability = _xml_vulnerability(element)
                if vulnerability.targets:  # spec 1.4+: affects/target/ref, after all components
                    targets = [components.get(ref) or _from_ref(ref) for ref in vulnerability.targets]
                    yield from _findings(vulnerability, targets, subject, tool_version)
                elif element.get("ref") in components:  # extension 1.0 at the end of the BOM
                    target = components[str(element.get("ref"))]
                    yield from _findings(vulnerability, [target], subject, tool_version)
                else:
                    pending.append(vulnerability)
        for vulnerability in pending:
            yield from _findings(vulnerability, [], subject, tool_version)


@dataclass
class _JsonBom:
    """What a JSON BOM's vulnerabilities refer to: its subject, tool and components."""

    PARTS = ("metadata", "components.item")

    is_complete: bool = False
    components: dict[str, _Component] = field(default_factory=dict)
    subject: _Component | None = None
    tool_version: str | None = None

    def read(self, record: readers.JsonRecord) -> None:
        if record.prefix == "components.item":
            _json_components(record.value, self.components, record.position)
            return
        meta = readers.expect_mapping(record.value, record.position)
        self.tool_version = _json_tool_version(meta.get("tools"))
        if isinstance(meta.get("component"), Mapping):
            self.subject = _json_components(meta["component"], self.components, "metadata.component")


# --- building findings -------------------------------------------------------------


def _findings(
    vulnerability: _Vulnerability,
    targets: list[_Component | None],
    subject: _Component | None,
    tool_version: str | None,
) -> Iterator[NormalizedFinding]:
    severity, v3, v4 = _rating(vulnerability.ratings)
    tags = [f"vex:{vulnerability.state}"] if vulnerability.state else []
    description = "\n\n".join(part for part in (vulnerability.description, vulnerability.detail) if part)
    if vulnerability.state:
        analysis = f"VEX analysis: {vulnerability.state}"
        if vulnerability.justification:
            analysis += f" ({vulnerability.justification})"
        if vulnerability.analysis_detail:
            analysis += f": {vulnerability.analysis_detail}"
        description = f"{description}\n\n{analysis}".strip()
    for target in targets or [None]:
        label = ""
        if target is not None:
            label = f" in {target.package}:{target.version}" if target.version else f" in {target.package}"
        yield NormalizedFinding(
            title=text.title(f"{vulnerability.vuln_id}{label}"),
            severity=severity,
            tool="cyclonedx",
            tool_version=tool_version,
            rule_id=vulnerability.vuln_id,
            tool_finding_id=vulnerability.bom_ref,
            advisory_ids=values.advisory_ids([vulnerability.vuln_id, *vulnerability.reference_ids]),
            cwe_ids=values.cwe_ids(vulnerability.cwes),
            cvss_v3_vector=v3[0],
            cvss_v3_score=v3[1],
            cvss_v4_vector=v4[0],
            cvss_v4_score=v4[1],
            description=text.clip(description),
            location=FindingLocation(
                package=target.package if target else None,
                package_version=target.version if target else None,
                component=subject.name if subject else None,
            ),
            remediation=text.clip(vulnerability.recommendation),
            references=tuple(dict.fromkeys(vulnerability.references)),
            tags=tuple(tags),
            fingerprint=grouping.fingerprint(
                "cyclonedx", vulnerability.vuln_id, target.identity if target else ""
            ),
        )


def _rating(
    ratings: list[_Rating],
) -> tuple[Severity, tuple[str | None, float | None], tuple[str | None, float | None]]:
    """Return the severity and the CVSS v3 and v4 (vector, score) of a vulnerability."""
    v3: tuple[str | None, float | None] = (None, None)
    v4: tuple[str | None, float | None] = (None, None)
    best: tuple[int, Severity] | None = None
    for rating in ratings:
        method = rating.method.lower()
        if method in ("cvssv3", "cvssv31") and rating.vector and v3[0] is None:
            v3 = values.cvss3(_prefixed(rating.vector, "CVSS:3.1/" if method == "cvssv31" else "CVSS:3.0/"))
            if v3[0] is None and rating.score is not None:
                v3 = (None, rating.score)
        elif method == "cvssv4" and rating.vector and v4[0] is None:
            v4 = values.cvss4(_prefixed(rating.vector, "CVSS:4.0/"))
        word = rating.severity.strip().lower()
        if word in values.SEVERITY_WORDS and word != "unknown":
            severity: Severity | None = values.SEVERITY_WORDS[word]
        elif rating.score is not None and method not in ("owasp", "ssvc"):
            severity = values.severity_from_score(rating.score)
        else:
            severity = None
        rank = _METHOD_RANK.get(method, _UNNAMED_RANK)
        if severity is not None and (best is None or rank < best[0]):
            best = (rank, severity)
    return (best[1] if best else Severity.MEDIUM), v3, v4


def _prefixed(vector: str, prefix: str) -> str:
    vector = vector.strip().strip("()")
    return vector if vector.upper().startswith("CVSS:") else prefix + vector


def _from_ref(ref: str) -> _Component | None:
    """Return a component named only by a reference that is a purl (else None)."""
    if not ref.startswith("pkg:"):
        return None
    name, version = values.purl_name_version(ref)
    return _Component(name=name, version=version, purl=ref) if name else None


def _tool_label(name: str, version: str) -> str | None:
    label = f"{name} {version}".strip()
    return label or None


# --- JSON shapes -------------------------------------------------------------------


def _json_tool_version(tools: object) -> str | None:
    """Return "name version" of the first tool (spec 1.4 array, or 1.5 ``components``)."""
    if isinstance(tools, dict):
        tools = tools.get("components") or tools.get("services")
    if isinstance(tools, list):
        for tool in tools:
            if isinstance(tool, dict):
                return _tool_label(str(tool.get("name") or ""), str(tool.get("version") or ""))
    return None


def _json_components(item: object, found: dict[str, _Component], where: str) -> _Component:
    """Record a component and its nested components by bom-ref; return the component."""
    data = readers.expect_mapping(item, where)
    component = _Component(
        name=str(data.get("name") or ""),
        version=str(data.get("version") or "") or None,
        group=str(data.get("group") or "") or None,
        purl=str(data.get("purl") or "") or None,
    )
    if data.get("bom-ref"):
        found[str(data["bom-ref"])] = component
    for index, child in enumerate(readers.expect_list(data.get("components"), f"{where}.components")):
        _json_components(child, found, f"{where}.components[{index}]")
    return component


def _json_vulnerability(data: Mapping[str, Any], where: str) -> _Vulnerability:
    vulnerability = _Vulnerability(
        vuln_id=str(data.get("id") or data.get("bom-ref") or "unidentified vulnerability"),
        bom_ref=str(data.get("bom-ref") or "") or None,
        description=str(data.get("description") or ""),
        detail=str(data.get("detail") or ""),
        recommendation="\n\n".join(
            str(data.get(key)) for key in ("recommendation", "workaround") if data.get(key)
        ),
    )
    for rating in readers.expect_list(data.get("ratings"), f"{where}.ratings"):
        if isinstance(rating, dict):
            vulnerability.ratings.append(
                _Rating(
                    method=str(rating.get("method") or ""),
                    score=values.score(rating.get("score")),
                    severity=str(rating.get("severity") or ""),
                    vector=str(rating.get("vector") or ""),
                )
            )
    vulnerability.cwes.extend(readers.expect_list(data.get("cwes"), f"{where}.cwes"))
    source = data.get("source")
    if isinstance(source, dict) and source.get("url"):
        vulnerability.references.append(str(source["url"]))
    for advisory in readers.expect_list(data.get("advisories"), f"{where}.advisories"):
        if isinstance(advisory, dict) and advisory.get("url"):
            vulnerability.references.append(str(advisory["url"]))
    for reference in readers.expect_list(data.get("references"), f"{where}.references"):
        if isinstance(reference, dict):
            vulnerability.reference_ids.append(str(reference.get("id") or ""))
            ref_source = reference.get("source")
            if isinstance(ref_source, dict) and ref_source.get("url"):
                vulnerability.references.append(str(ref_source["url"]))
    analysis = data.get("analysis")
    if isinstance(analysis, dict):
        vulnerability.state = str(analysis.get("state") or "")
        vulnerability.justification = str(analysis.get("justification") or "")
        vulnerability.analysis_detail = str(analysis.get("detail") or "")
    for affect in readers.expect_list(data.get("affects"), f"{where}.affects"):
        if isinstance(affect, dict) and affect.get("ref"):
            vulnerability.targets.append(str(affect["ref"]))
    return vulnerability


# --- XML shapes --------------------------------------------------------------------


def _named(element: Element) -> dict[str, list[Element]]:
    """Return an element's children by local name, in document order: one pass over them."""
    found: dict[str, list[Element]] = {}
    for node in element:
        found.setdefault(readers.local_name(node.tag), []).append(node)
    return found


def _first_text(children: dict[str, list[Element]], name: str) -> str:
    """Return the stripped text of the first child named ``name`` (as readers.child_text)."""
    nodes = children.get(name)
    return (nodes[0].text or "").strip() if nodes else ""


def _at(children: dict[str, list[Element]], path: tuple[str, ...]) -> list[Element]:
    """Return the elements at a path of local names below the element of ``children``."""
    level = children.get(path[0], [])
    for name in path[1:]:
        if not level:  # the usual case for most paths: nothing to walk
            break
        level = [found for parent in level for found in _named(parent).get(name, ())]
    return level


def _texts(children: dict[str, list[Element]], path: tuple[str, ...]) -> list[str]:
    """Return the non-blank texts at a path of local names, stripped."""
    return _stripped(_at(children, path))


def _stripped(nodes: list[Element]) -> list[str]:
    return [text for node in nodes if (text := (node.text or "").strip())]


def _xml_component(element: Element) -> _Component:
    children = _named(element)
    return _Component(
        name=_first_text(children, "name"),
        version=_first_text(children, "version") or None,
        group=_first_text(children, "group") or None,
        purl=_first_text(children, "purl") or None,
    )


def _xml_vulnerability(element: Element) -> _Vulnerability:
    children = _named(element)
    vulnerability = _Vulnerability(
        vuln_id=_first_text(children, "id") or "unidentified vulnerability",
        bom_ref=element.get("bom-ref"),
        description=_first_text(children, "description"),
        detail=_first_text(children, "detail"),
        recommendation="\n\n".join(
            _texts(children, ("recommendation",))
            + _texts(children, ("recommendations", "recommendation"))
            + _texts(children, ("workaround",))
        ),
    )
    for rating in _at(children, ("ratings", "rating")):
        parts = _named(rating)
        score_elements = parts.get("score")
        score_text = ""
        if score_elements:
            # Spec 1.4+: <score>9.8</score>; extension 1.0: <score><base>9.8</base>...</score>.
            score_element = score_elements[0]
            score_text = (score_element.text or "").strip() or readers.child_text(score_element, "base")
        vulnerability.ratings.append(
            _Rating(
                method=_first_text(parts, "method"),
                score=values.score(score_text or None),
                severity=_first_text(parts, "severity"),
                vector=_first_text(parts, "vector"),
            )
        )
    vulnerability.cwes.extend(_texts(children, ("cwes", "cwe")))
    vulnerability.references.extend(_texts(children, ("source", "url")))
    advisories = [_named(advisory) for advisory in _at(children, ("advisories", "advisory"))]
    vulnerability.references.extend(_stripped([url for found in advisories for url in found.get("url", ())]))
    # Extension 1.0: <advisory> holds the URL as text.
    vulnerability.references.extend(
        text for text in _texts(children, ("advisories", "advisory")) if "://" in text
    )
    references = [_named(reference) for reference in _at(children, ("references", "reference"))]
    vulnerability.reference_ids.extend(
        _stripped([node for found in references for node in found.get("id", ())])
    )
    sources = [node for found in references for node in found.get("source", ())]
    vulnerability.references.extend(
        _stripped([url for node in sources for url in _named(node).get("url", ())])
    )
    analyses = children.get("analysis")
    if analyses:
        analysis = _named(analyses[0])
        vulnerability.state = _first_text(analysis, "state")
        vulnerability.justification = _first_text(analysis, "justification")
        vulnerability.analysis_detail = _first_text(analysis, "detail")
    vulnerability.targets.extend(_texts(children, ("affects", "target", "ref")))
    return vulnerability


PARSER = CyclonedxParser()
