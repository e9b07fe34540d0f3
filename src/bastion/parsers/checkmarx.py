"""Checkmarx SAST (CxSAST) XML, aggregated per sink file, and Checkmarx's JSON scan report.

Two variants are read, told apart by their content:

- the CxSAST XML report (``<CxXMLResults>``, CxSAST 8.x and 9.x, the portal's
  and CxFlow's export): ``Query`` elements (one per rule: name, ``cweId``,
  language, group, compliance categories) holding ``Result`` elements, each with
  one ``Path`` of ``PathNode`` elements from the source of the data flow to its
  sink;
- the JSON scan report of Checkmarx's AST/One platform as DefectDojo's
  "Checkmarx Scan" reads it (``reportId``, ``executiveSummary``,
  ``scanResults`` with ``sast`` languages and queries, ``sca`` packages and
  ``kics`` results): one finding per vulnerability, tagged ``sast``, ``sca`` or
  ``kics``.

DefectDojo has two scan types for the XML report, and Bastion two formats:

- ``checkmarx`` ("Checkmarx Scan", this module, the one detected): the results of
  one query, severity and sink file are one finding, titled ``<query> (<sink
  file name>)`` and located at the first result's sink; every other result's
  data flow (source and sink, and Checkmarx's ``SimilarityId``) is listed in its
  evidence and ``instances:N`` counts them (see docs/formats/README.md,
  Grouping). Fingerprint: the query, CWE, severity and sink file.
- ``checkmarx_detailed`` ("Checkmarx Scan detailed", never detected: name it with
  ``--format``): one finding per result, located at its sink, its whole data flow
  in the evidence. Fingerprint: the query, the sink file and the result's
  ``SimilarityId``, which Checkmarx keeps from scan to scan for the same flow;
  results sharing one are numbered apart by their sink line. The JSON report is
  read the same way in both formats, with the same fingerprint for SAST results.

Results are streamed; a query's results are held (as small records) until the
query ends, since the query's name and CWE are needed for each.

Severity: the result's ``Severity`` (High, Medium, Low, Information), else the
query's. Results that Checkmarx users triaged keep their state as tags
(``state:not-exploitable``, ``state:confirmed``..., ``false-positive``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "checkmarx"
_STATES = {
    "0": "to-verify",
    "1": "not-exploitable",
    "2": "confirmed",
    "3": "urgent",
    "4": "proposed-not-exploitable",
}
_SAST = "scanResults.sast.languages.item.queries.item.vulnerabilities.item"
_SCA = "scanResults.sca.packages.item.vulnerabilities.item"
_KICS = "scanResults.kics.results.item.vulnerabilities.item"


@dataclass(frozen=True)
class _Node:
    """One step of a result's data flow."""

    file: str
    line: int | None
    column: str
    name: str
    code: str

    def label(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return f"{place} {self.name}".strip()


@dataclass(frozen=True)
class _Result:
    """A query's result, kept small until its query ends."""

    severity: str
    status: str
    state: str
    is_false_positive: bool
    deep_link: str
    similarity_id: str
    source: _Node | None
    sink: _Node | None
    flow: str


class CheckmarxParser(ReportParser):
    """Checkmarx's XML report, one finding per query and sink file, and its JSON report."""

    name = "checkmarx"
    label = "Checkmarx SAST XML / JSON"
    defectdojo_scan_types = ("Checkmarx Scan",)
    #: One finding per result (``checkmarx_detailed``) instead of per query and sink file.
    is_detailed: ClassVar[bool] = False

    def detect(self, head: bytes) -> int:
        content = readers.head_text(head)
        if content.startswith("<") and "<CxXMLResults" in content:
            return 100
        if content.startswith("{") and '"executiveSummary"' in content and '"reportType"' not in content:
            if any(key in content for key in ('"vulnerabilitiesPerEngine"', '"scanSummary"', '"reportId"')):
                return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, stream = readers.first_byte(stream)
        if first == b"{":
            yield from _json_report(stream)
        elif self.is_detailed:
            yield from _xml_results(stream, detailed=True)
        else:
            groups = grouping.FindingGroups()
            for key, finding, instance in _xml_results(stream, detailed=False):
                groups.add(key, finding, instance)
            yield from groups.findings()


def _xml_results(stream: BinaryIO, *, detailed: bool) -> Iterator[Any]:
    """Stream the XML report's results; grouped records (key, finding, instance) unless ``detailed``."""
    pending: list[_Result] = []
    repeats = grouping.RepeatCounter()
    query_index = 0
    for element in readers.iter_xml(stream, ("Result", "Query"), roots=("CxXMLResults",)):
        if readers.local_name(element.tag) == "Result":
            pending.append(_result(element, f"Query[{query_index}].Result[{len(pending)}]"))
            continue
        query = element
        position = f"Query[{query_index}]"
        query_index += 1
        name = (query.get("name") or "").strip()
        if not name:
            raise MalformedReport("the query has no name", position=position)
        results, pending = pending, []
        for result in results:
            finding = _xml_finding(query, name, result, repeats, detailed=detailed)
            if detailed:
                yield finding
                continue
            sink_file = result.sink.file if result.sink else ""
            key = (name, query.get("cweId"), finding.severity, sink_file)
            yield key, finding, _instance(result)


def _result(element: Element, position: str) -> _Result:
    path = readers.child(element, "Path")
    nodes = [_node(node) for node in readers.children(path, "PathNode")]
    if not nodes and element.get("FileName"):
        nodes = [_Node(element.get("FileName") or "", values.line_number(element.get("Line")), "", "", "")]
    if not nodes:
        raise MalformedReport("the result has no path and no file", position=position)
    flow = "\n".join(
        f"{number}. {node.label()}" + (f"\n   {node.code}" if node.code else "")
        for number, node in enumerate(nodes, start=1)
    )
    return _Result(
        severity=element.get("Severity") or "",
        status=element.get("Status") or "",
        state=element.get("state") or "",
        is_false_positive=(element.get("FalsePositive") or "").lower() == "true",
        deep_link=element.get("DeepLink") or "",
        similarity_id=(path.get("SimilarityId") or "") if path is not None else "",
        source=nodes[0],
        sink=nodes[-1],
        flow=text.clip(flow, 20_000),
    )


def _node(node: Element) -> _Node:
    code = " | ".join(
        readers.child_text(line, "Code")
        for line in readers.descendants(readers.child(node, "Snippet"), "Line")
    )
    return _Node(
        file=readers.child_text(node, "FileName"),
        line=values.line_number(readers.child_text(node, "Line")),
        column=readers.child_text(node, "Column"),
        name=readers.child_text(node, "Name"),
        code=code.strip(" |"),
    )


def _xml_finding(
    query: Element, name: str, result: _Result, repeats: grouping.RepeatCounter, *, detailed: bool
) -> NormalizedFinding:
    sink = result.sink
    sink_file = sink.file if sink else ""
    heading = name.replace("_", " ")
    severity = values.severity_from_word(result.severity or query.get("Severity"), Severity.MEDIUM)
    details = [
        f"{label}: {value}"
        for label, value in (
            ("Language", query.get("Language")),
            ("Group", (query.get("group") or "").replace("_", " ")),
            ("Status", result.status),
            ("Categories", query.get("categories")),
        )
        if value
    ]
    if result.source and sink:
        details.append(f"Source: {result.source.label()}\nSink: {sink.label()}")
    tags = [f"language:{language.lower()}"] if (language := query.get("Language")) else []
    if result.state in _STATES:
        tags.append(f"state:{_STATES[result.state]}")
    if result.is_false_positive:
        tags.append("false-positive")
    if detailed:
        anchor = grouping.fingerprint(TOOL, name, sink_file, result.similarity_id)
        number = repeats.number(anchor, sink.line if sink else None)
        fingerprint = grouping.fingerprint(anchor, number) if number else anchor
    else:
        fingerprint = grouping.fingerprint(TOOL, name, query.get("cweId"), severity.value, sink_file)
    return NormalizedFinding(
        title=text.title(f"{heading} ({sink_file.rsplit('/', 1)[-1]})" if sink_file else heading),
        severity=severity,
        tool=TOOL,
        rule_id=query.get("id") or name,
        tool_finding_id=result.similarity_id or None,
        description=text.clip("\n".join(details)),
        cwe_ids=values.cwe_ids([query.get("cweId")]),
        location=FindingLocation(
            file_path=sink_file or None,
            line_start=sink.line if sink else None,
            line_end=sink.line if sink else None,
        ),
        evidence=text.clip(f"Data flow:\n{result.flow}"),
        references=(result.deep_link,) if result.deep_link.startswith(("http://", "https://")) else (),
        tags=tuple(tags),
        fingerprint=fingerprint,
    )


def _instance(result: _Result) -> str:
    """Name a result within its group: its flow's two ends and Checkmarx's similarity id."""
    ends = " -> ".join(node.label() for node in (result.source, result.sink) if node is not None)
    return f"{ends} (SimilarityId {result.similarity_id})" if result.similarity_id else ends


def _json_report(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    """Stream the JSON report's SAST, SCA and KICS vulnerabilities."""
    reader = readers.JsonReader(
        stream,
        [_SAST, _SCA, _KICS],
        context=[
            "scanResults.sast.languages.item.languageName",
            "scanResults.sast.languages.item.queries.item.queryName",
            "scanResults.sast.languages.item.queries.item.queryId",
            "scanResults.sast.languages.item.queries.item.description",
            "scanResults.sca.packages.item.name",
            "scanResults.kics.results.item.name",
        ],
        expect={"scanResults": "object"},
    )
    repeats = grouping.RepeatCounter()
    for record in reader:
        vulnerability = readers.expect_mapping(record.value, record.position)
        if record.prefix == _SAST:
            yield _json_sast(vulnerability, record.context, record.position, repeats)
        elif record.prefix == _SCA:
            yield _json_sca(vulnerability, record.context)
        else:
            yield _json_kics(vulnerability, record.context)
    if "scanResults" not in reader.seen:
        raise readers.not_a_report("scanResults")


def _json_common(vulnerability: Mapping[str, Any], kind: str) -> tuple[Severity, tuple[str, ...]]:
    severity = values.severity_from_word(vulnerability.get("severity"), Severity.MEDIUM)
    tags = [kind]
    if state := values.text(vulnerability.get("state")):
        tags.append(f"state:{state.lower().replace(' ', '-').replace('_', '-')}")
    return severity, tuple(tags)


def _json_sast(
    vulnerability: Mapping[str, Any],
    context: Mapping[str, Any],
    position: str,
    repeats: grouping.RepeatCounter,
) -> NormalizedFinding:
    query = values.text(context.get("queryName")) or values.text(vulnerability.get("queryName"))
    if not query:
        raise MalformedReport("the vulnerability's query has no name", position=position)
    nodes = [readers.as_mapping(node) for node in readers.expect_list(vulnerability.get("nodes"), position)]
    sink = nodes[-1] if nodes else {}
    sink_file = values.text(sink.get("fileName")) or ""
    line = values.line_number(sink.get("line"))
    similarity = values.text(vulnerability.get("similarityId")) or ""
    flow = "\n".join(
        f"{number}. {node.get('fileName')}:{node.get('line')} {node.get('name') or ''}".rstrip()
        for number, node in enumerate(nodes, start=1)
    )
    severity, tags = _json_common(vulnerability, "sast")
    anchor = grouping.fingerprint(TOOL, query, sink_file, similarity)
    number = repeats.number(anchor, line)
    language = values.text(context.get("languageName"))
    return NormalizedFinding(
        title=text.title(query.replace("_", " ")),
        severity=severity,
        tool=TOOL,
        rule_id=values.text(context.get("queryId")) or query,
        tool_finding_id=similarity or values.text(vulnerability.get("id")),
        description=text.clip(values.text(context.get("description")) or ""),
        cwe_ids=values.cwe_ids([vulnerability.get("cweId")]),
        location=FindingLocation(file_path=sink_file or None, line_start=line, line_end=line),
        evidence=text.clip(f"Data flow:\n{flow}" if flow else ""),
        tags=(*tags, f"language:{language.lower()}") if language else tags,
        fingerprint=grouping.fingerprint(anchor, number) if number else anchor,
    )


def _json_sca(vulnerability: Mapping[str, Any], context: Mapping[str, Any]) -> NormalizedFinding:
    version = values.text(vulnerability.get("version"))
    package_id = values.text(context.get("name")) or ""
    package = _package_name(package_id, version)
    advisory = values.text(vulnerability.get("cveId")) or values.text(vulnerability.get("cveName"))
    advisory = advisory or values.text(vulnerability.get("similarityId")) or "unknown advisory"
    severity, tags = _json_common(vulnerability, "sca")
    label = f"{package}:{version}" if package and version else package or package_id
    return NormalizedFinding(
        title=text.title(f"{advisory} in {label}"),
        severity=severity,
        tool=TOOL,
        rule_id=advisory,
        tool_finding_id=values.text(vulnerability.get("id")),
        description=text.clip(values.text(vulnerability.get("description")) or ""),
        advisory_ids=values.advisory_ids([advisory]),
        cwe_ids=values.cwe_ids([vulnerability.get("cwe")]),
        location=FindingLocation(package=package or None, package_version=version),
        tags=tags,
        fingerprint=grouping.fingerprint(TOOL, "sca", package_id, advisory),
    )


def _package_name(package_id: str, version: str | None) -> str:
    """Return ``underscore`` from Checkmarx SCA's ``Npm-underscore-1.10.2``."""
    name = package_id
    if version and name.endswith(f"-{version}"):
        name = name[: -len(version) - 1]
    ecosystem, separator, rest = name.partition("-")
    return rest if separator and ecosystem[:1].isupper() and rest else name


def _json_kics(vulnerability: Mapping[str, Any], context: Mapping[str, Any]) -> NormalizedFinding:
    query = values.text(vulnerability.get("queryName")) or values.text(context.get("name")) or "KICS finding"
    file_name = values.text(vulnerability.get("fileName"))
    similarity = values.text(vulnerability.get("similarityId"))
    severity, tags = _json_common(vulnerability, "kics")
    expected = values.text(vulnerability.get("expectedValue"))
    actual = values.text(vulnerability.get("actualValue"))
    evidence = "\n".join(
        part
        for part in (f"Expected: {expected}" if expected else "", f"Actual: {actual}" if actual else "")
        if part
    )
    category = values.text(vulnerability.get("category"))
    return NormalizedFinding(
        title=text.title(query),
        severity=severity,
        tool=TOOL,
        rule_id=query,
        tool_finding_id=similarity,
        description=text.clip(values.text(vulnerability.get("description")) or ""),
        location=FindingLocation(file_path=file_name, component=values.text(context.get("name"))),
        evidence=text.clip(evidence),
        tags=(*tags, f"category:{category.lower()}") if category else tags,
        fingerprint=grouping.fingerprint(TOOL, "kics", query, file_name, similarity),
    )


PARSER = CheckmarxParser()
