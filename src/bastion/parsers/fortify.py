"""Fortify Static Code Analyzer: the FPR archive (its ``audit.fvdl``) and the XML report.

Three variants are read, told apart by their content:

- an FPR, the zip archive Fortify SCA writes and Fortify SSC serves: its
  ``audit.fvdl`` (FVDL 1.x) is read from the archive as a stream, after the
  archive was checked (no member named outside it, member count and size limits,
  zip bombs refused: see :mod:`bastion.parsers._zip`). An ``audit.fvdl`` given on
  its own is read the same way;
- the XML report that ``ReportGenerator -format xml`` writes from an FPR
  (``<ReportDefinition>``, the "Fortify Security Report" and "Developer Workbook"
  templates): every ``Issue`` of every section, each one once;
- the 24.2 XML export (``<Scan>`` with ``<Issues>``): each ``Issue`` with its URL.

FVDL: every ``Vulnerability`` is a finding. The rules, the descriptions and the
code snippets come after the vulnerabilities, so a first pass over the FVDL reads
them (small: one entry per rule and description, snippets capped in total), and a
second pass streams the vulnerabilities. Location: the trace node Fortify marks
``isDefault`` (the issue's primary location), else the first node with a source
location. Severity is Fortify's priority ("Friority") as SSC computes it: the
rule's ``Impact``, and the likelihood ``Accuracy × Confidence × Probability / 25``;
impact and likelihood both at least 2.5 is critical, impact alone high,
likelihood alone medium, neither low. A rule without that metadata rates the
instance's ``InstanceSeverity`` against its ``Confidence``. CWEs come from the
rule's ``altcategoryCWE`` (``CWE ID 352``).

XML report: severity is the issue's ``Friority`` (Critical, High, Medium, Low);
the category's abstract, explanation and recommendations come from the grouping
section the issue stands in. The same issue is listed in several sections
(Results Outline, Issue Count by Category, New Issues); it is a finding once.

Fingerprint: Fortify's instance id (``InstanceID``, the XML report's ``iid``),
which Fortify computes to follow an issue from scan to scan, whichever variant
carried it; the few instances a report repeats at another line are numbered
apart. The 24.2 export, which has no instance id, is anchored on its check, URL
and vulnerability id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import _zip, grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "fortify"
_FRIORITY_THRESHOLD = 2.5
# Snippets kept from the first pass, in characters, across the whole report.
_SNIPPET_BUDGET = 8 * 1024 * 1024
# FVDL elements that repeat in bulk outside the vulnerabilities: streamed and freed.
_FVDL_BULK = ("File", "SourceInstance", "SinkInstance", "Property", "CalledWithNoDef", "Function")
_FVDL_FIRST_PASS = ("Vulnerability", "Description", "Snippet", "Rule", *_FVDL_BULK)
_FVDL_SECOND_PASS = ("Vulnerability", "Description", "Snippet", "Rule", "File", "SourceInstance")
_REPLACE = re.compile(r"<Replace\s+key=\"([^\"]+)\"[^>]*/>")
_BLOCK_MARKUP = re.compile(r"</?(?:Content|Paragraph|AltParagraph|pre)\b[^>]*>")
_INLINE_MARKUP = re.compile(r"</?(?:code|b|i|IfDef|IfNotDef|ConditionalText)\b[^>]*>")
_CWE_ID = re.compile(r"\bCWE\s+ID\s+(\d{1,5})\b", re.IGNORECASE)
_SCAN_SEVERITIES = {
    "0": Severity.INFO,
    "1": Severity.LOW,
    "2": Severity.MEDIUM,
    "3": Severity.HIGH,
    "4": Severity.CRITICAL,
}


@dataclass
class _Rule:
    """What a rule's metadata says about its issues."""

    impact: float | None = None
    accuracy: float | None = None
    probability: float | None = None
    cwe_ids: tuple[int, ...] = ()


@dataclass
class _Knowledge:
    """The FVDL's rules, descriptions and snippets, read before the vulnerabilities."""

    rules: dict[str, _Rule] = field(default_factory=dict)
    descriptions: dict[str, tuple[str, str, str, tuple[str, ...]]] = field(default_factory=dict)
    snippets: dict[str, str] = field(default_factory=dict)
    snippet_size: int = 0
    engine_version: str | None = None


class FortifyParser(ReportParser):
    """Fortify SCA's FPR archive, its audit.fvdl, and its XML reports."""

    name = "fortify"
    label = "Fortify FPR / XML"
    defectdojo_scan_types = ("Fortify Scan",)

    def detect(self, head: bytes) -> int:
        if _zip.is_zip(head):
            names = _zip.head_member_names(head)
            if any(_is_audit(name) for name in names):
                return 100
            fortify_names = ("audit.fvdl.mac", "src-archive/", "src-xrefdata/", "filters/fortify_filter")
            return 80 if any(name.startswith(fortify_names) for name in names) else 0
        content = readers.head_text(head)
        if "<FVDL" in content and "fortifysoftware.com/schema/fvdl" in content:
            return 100
        if "<ReportDefinition" in content and ("<Friority>" in content or "Fortify" in content):
            return 90
        if (
            re.search(r"<Scan[\s>]", content)
            and "<CheckTypeID>" in content
            and "<VulnerableSession>" in content
        ):
            return 70
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, stream = readers.peek(stream, 4)
        with readers.seekable(stream) as source:
            if _zip.is_zip(head):
                yield from _fpr(source)
                return
            content = readers.head_text(readers.peek(source)[0])
            if "<FVDL" in content:
                yield from _fvdl(source)
            elif re.search(r"<Scan[\s>]", content):
                yield from _scan_export(source)
            else:
                yield from _xml_report(source)


def _is_audit(name: str) -> bool:
    return name == "audit.fvdl" or name.endswith("/audit.fvdl")


def _fpr(source: BinaryIO) -> Iterator[NormalizedFinding]:
    """Read the FPR's audit.fvdl twice, as the FVDL needs."""
    with _zip.open_member(source, _is_audit, label="audit.fvdl") as member:
        knowledge = _read_knowledge(member)
    with _zip.open_member(source, _is_audit, label="audit.fvdl") as member:
        yield from _vulnerabilities(member, knowledge)


def _fvdl(source: BinaryIO) -> Iterator[NormalizedFinding]:
    start = source.tell()
    knowledge = _read_knowledge(source)
    source.seek(start)
    yield from _vulnerabilities(source, knowledge)


def _read_knowledge(member: BinaryIO) -> _Knowledge:
    knowledge = _Knowledge()
    for element in readers.iter_xml(member, (*_FVDL_FIRST_PASS, "EngineVersion"), roots=("FVDL",)):
        tag = readers.local_name(element.tag)
        if tag == "Rule" and element.get("id"):
            knowledge.rules[str(element.get("id"))] = _rule(element)
        elif tag == "Description" and element.get("classID"):
            knowledge.descriptions[str(element.get("classID"))] = _description(element)
        elif tag == "Snippet" and element.get("id") and knowledge.snippet_size < _SNIPPET_BUDGET:
            snippet = text.clip(readers.child_text(element, "Text"), 4000)
            knowledge.snippets[str(element.get("id"))] = snippet
            knowledge.snippet_size += len(snippet)
        elif tag == "EngineVersion":
            knowledge.engine_version = (element.text or "").strip() or None
    return knowledge


def _rule(element: Element) -> _Rule:
    groups = {
        str(group.get("name")): (group.text or "").strip() for group in readers.descendants(element, "Group")
    }
    return _Rule(
        impact=_number(groups.get("Impact")),
        accuracy=_number(groups.get("Accuracy")),
        probability=_number(groups.get("Probability")),
        # "CWE ID 352, CWE ID 79": values.cwe_ids wants "CWE-352".
        cwe_ids=values.cwe_ids(_CWE_ID.findall(groups.get("altcategoryCWE", ""))),
    )


def _description(element: Element) -> tuple[str, str, str, tuple[str, ...]]:
    references = tuple(
        source
        for reference in readers.descendants(element, "Reference")
        if (source := readers.child_text(reference, "Source")).startswith(("http://", "https://"))
    )
    return (
        readers.child_text(element, "Abstract"),
        readers.child_text(element, "Explanation"),
        readers.child_text(element, "Recommendations"),
        references,
    )


def _vulnerabilities(member: BinaryIO, knowledge: _Knowledge) -> Iterator[NormalizedFinding]:
    repeats = grouping.RepeatCounter()
    index = 0
    for element in readers.iter_xml(member, _FVDL_SECOND_PASS, roots=("FVDL",)):
        if readers.local_name(element.tag) != "Vulnerability":
            continue
        yield _vulnerability(element, knowledge, repeats, f"Vulnerabilities.Vulnerability[{index}]")
        index += 1


def _vulnerability(
    element: Element, knowledge: _Knowledge, repeats: grouping.RepeatCounter, position: str
) -> NormalizedFinding:
    class_info = readers.child(element, "ClassInfo")
    instance = readers.child(element, "InstanceInfo")
    class_id = readers.child_text(class_info, "ClassID")
    instance_id = readers.child_text(instance, "InstanceID")
    if not instance_id:
        raise MalformedReport("the vulnerability has no InstanceID", position=position)
    category = ": ".join(
        part
        for part in (readers.child_text(class_info, "Type"), readers.child_text(class_info, "Subtype"))
        if part
    )
    unified = readers.child(readers.child(element, "AnalysisInfo"), "Unified")
    replacements = {
        str(definition.get("key")): str(definition.get("value") or "")
        for definition in readers.descendants(readers.child(unified, "ReplacementDefinitions"), "Def")
    }
    location = _primary_location(unified)
    path = location.get("path") if location is not None else None
    line = values.line_number(location.get("line")) if location is not None else None
    line_end = values.line_number(location.get("lineEnd")) if location is not None else None
    snippet = knowledge.snippets.get(str(location.get("snippet"))) if location is not None else None
    rule = knowledge.rules.get(class_id, _Rule())
    abstract, explanation, recommendations, references = knowledge.descriptions.get(
        class_id, ("", "", "", ())
    )
    confidence = _number(readers.child_text(instance, "Confidence"))
    instance_severity = _number(readers.child_text(instance, "InstanceSeverity"))
    file_name = path.rsplit("/", 1)[-1] if path else None
    heading = f"{category} - {file_name}: {line}" if file_name and line else category
    number = repeats.number(instance_id, line)
    tags = [f"kingdom:{kingdom.lower()}"] if (kingdom := readers.child_text(class_info, "Kingdom")) else []
    if analyzer := readers.child_text(class_info, "AnalyzerName"):
        tags.append(f"analyzer:{analyzer.lower()}")
    return NormalizedFinding(
        title=text.title(heading or class_id),
        severity=_friority(rule, confidence, instance_severity),
        tool=TOOL,
        tool_version=knowledge.engine_version,
        rule_id=class_id or None,
        tool_finding_id=instance_id,
        description=text.clip(
            "\n\n".join(
                part for part in (_plain(abstract, replacements), _plain(explanation, replacements)) if part
            )
        ),
        cwe_ids=rule.cwe_ids,
        location=FindingLocation(file_path=path or None, line_start=line, line_end=line_end or line),
        evidence=text.clip(snippet or ""),
        remediation=text.clip(_plain(recommendations, replacements)),
        references=references,
        tags=tuple(tags),
        fingerprint=grouping.fingerprint(TOOL, instance_id, number or None),
    )


def _primary_location(unified: Element | None) -> Element | None:
    """Return the SourceLocation of the trace node Fortify marks as the issue's place."""
    first: Element | None = None
    for trace in readers.children(unified, "Trace"):
        for node in readers.descendants(readers.child(trace, "Primary"), "Node"):
            location = readers.child(node, "SourceLocation")
            if location is None:
                continue
            if node.get("isDefault") == "true":
                return location
            first = first if first is not None else location
    return first


def _friority(rule: _Rule, confidence: float | None, instance_severity: float | None) -> Severity:
    """Rate an FVDL issue as Fortify's priority does (see the module docstring)."""
    impact = rule.impact if rule.impact is not None else instance_severity
    if rule.accuracy is not None and rule.probability is not None and confidence is not None:
        likelihood: float | None = rule.accuracy * confidence * rule.probability / 25
    else:
        likelihood = confidence
    if impact is None or likelihood is None:
        return Severity.INFO
    if impact >= _FRIORITY_THRESHOLD:
        return Severity.CRITICAL if likelihood >= _FRIORITY_THRESHOLD else Severity.HIGH
    return Severity.MEDIUM if likelihood >= _FRIORITY_THRESHOLD else Severity.LOW


def _plain(value: str, replacements: Mapping[str, str]) -> str:
    """Return a Fortify description's text, its ``<Replace key=...>`` filled in, markup removed."""
    if not value:
        return ""
    filled = _REPLACE.sub(lambda match: replacements.get(match.group(1), match.group(1)), value)
    lines = _BLOCK_MARKUP.sub("<br>", filled).replace("\n", "<br>")
    return text.html_text(_INLINE_MARKUP.sub(" ", lines))


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _xml_report(source: BinaryIO) -> Iterator[NormalizedFinding]:
    """Read every Issue of a ReportGenerator XML report once (see the module docstring)."""
    categories: dict[str, dict[str, str]] = {}
    current_title = ""
    seen: set[tuple[str, str, str]] = set()
    repeats = grouping.RepeatCounter()
    index = 0
    tags = ("groupTitle", "MajorAttributeSummary", "Issue")
    for element in readers.iter_xml(source, tags, roots=("ReportDefinition",)):
        tag = readers.local_name(element.tag)
        if tag == "groupTitle":
            current_title = (element.text or "").strip()
            continue
        if tag == "MajorAttributeSummary":
            meta = {
                readers.child_text(info, "Name"): readers.child_text(info, "Value")
                for info in readers.children(element, "MetaInfo")
            }
            categories.setdefault(current_title, meta)
            continue
        position = f"Issue[{index}]"
        index += 1
        primary = readers.child(element, "Primary")
        iid = element.get("iid") or ""
        path = readers.child_text(primary, "FilePath") or readers.child_text(primary, "FileName")
        line_text = readers.child_text(primary, "LineStart")
        if not iid:
            raise MalformedReport("the issue has no iid", position=position)
        if (iid, path, line_text) in seen:
            continue
        seen.add((iid, path, line_text))
        yield _report_issue(element, primary, categories, repeats, iid=iid, path=path)


def _report_issue(
    element: Element,
    primary: Element | None,
    categories: Mapping[str, Mapping[str, str]],
    repeats: grouping.RepeatCounter,
    *,
    iid: str,
    path: str,
) -> NormalizedFinding:
    category = readers.child_text(element, "Category")
    line = values.line_number(readers.child_text(primary, "LineStart"))
    file_name = readers.child_text(primary, "FileName") or (path.rsplit("/", 1)[-1] if path else "")
    meta = categories.get(category, {})
    abstract = readers.child_text(element, "Abstract") or meta.get("Abstract", "")
    source = readers.child(element, "Source")
    evidence = [readers.child_text(primary, "Snippet")]
    if source is not None and readers.child_text(source, "FilePath"):
        evidence.append(
            f"Source: {readers.child_text(source, 'FilePath')}:{readers.child_text(source, 'LineStart')}\n"
            f"{readers.child_text(source, 'Snippet')}"
        )
    analysis = next(
        (
            readers.child_text(tag, "Value")
            for tag in readers.children(element, "Tag")
            if readers.child_text(tag, "Name") == "Analysis"
        ),
        "",
    )
    tags = [f"kingdom:{kingdom.lower()}"] if (kingdom := readers.child_text(element, "Kingdom")) else []
    if analysis:
        tags.append(f"analysis:{analysis.lower()}")
    number = repeats.number(iid, line)
    return NormalizedFinding(
        title=text.title(f"{category} - {file_name}: {line}" if file_name and line else category or iid),
        severity=values.severity_from_word(readers.child_text(element, "Friority"), Severity.MEDIUM),
        tool=TOOL,
        rule_id=element.get("ruleID") or None,
        tool_finding_id=iid,
        description=text.clip("\n\n".join(part for part in (abstract, meta.get("Explanation", "")) if part)),
        cwe_ids=values.cwe_ids([abstract]),
        location=FindingLocation(file_path=path or None, line_start=line, line_end=line),
        evidence=text.clip("\n\n".join(part for part in evidence if part)),
        remediation=text.clip(meta.get("Recommendations", "")),
        tags=tuple(tags),
        fingerprint=grouping.fingerprint(TOOL, iid, number or None),
    )


def _scan_export(source: BinaryIO) -> Iterator[NormalizedFinding]:
    """Read the 24.2 ``<Scan>`` export: one finding per ``Issue``."""
    for index, element in enumerate(readers.iter_xml(source, ("Issue",), roots=("Scan",))):
        name = readers.child_text(element, "Name")
        if not name:
            raise MalformedReport("the issue has no Name", position=f"Issues.Issue[{index}]")
        url = readers.child_text(element, "URL") or None
        check = readers.child_text(element, "CheckTypeID")
        vulnerability_id = readers.child_text(element, "VulnerabilityID")
        details = [
            f"{label}: {value}"
            for label, value in (
                ("Check type", check),
                ("Engine", readers.child_text(element, "EngineType")),
                ("Vulnerability ID", vulnerability_id),
                ("Vulnerable session", readers.child_text(element, "VulnerableSession")),
            )
            if value
        ]
        yield NormalizedFinding(
            title=text.title(name),
            severity=_SCAN_SEVERITIES.get(readers.child_text(element, "Severity"), Severity.INFO),
            tool=TOOL,
            rule_id=check or None,
            tool_finding_id=vulnerability_id or None,
            description=text.clip("\n".join(details)),
            location=FindingLocation(
                url=url,
                host=readers.child_text(element, "Host") or None,
                port=_port(readers.child_text(element, "Port")),
                protocol=readers.child_text(element, "Scheme") or None,
            ),
            evidence=text.clip(readers.child_text(element, "RawResponse")),
            fingerprint=grouping.fingerprint(TOOL, check or name, url, vulnerability_id),
        )


def _port(value: str) -> int | None:
    number = values.as_int(value)
    return number if number is not None and 0 <= number <= 65535 else None


PARSER = FortifyParser()
