"""SARIF 2.1.0 (Static Analysis Results Interchange Format), from any tool that writes it.

One finding per ``result`` and location, across every run of the log. Each run's tool is
``runs[].tool.driver``: its name (lower-cased) becomes the finding's tool, and its
``rules`` and the rules of its ``extensions`` describe each result, found by
``ruleIndex`` (in the component ``rule.toolComponent`` names) or by ``ruleId``.

The log is streamed: each run's ``tool`` and each result are built one at a time, so
memory stays bounded by the largest result and the rule table (and a short entry
per finding to number repeated snippets, below). A log with one run (the usual log)
has its tool read first and its results streamed by ijson's C parser; a byte search
for the string ``tool`` shows when there is no second tool to look for (else ijson
reads the whole log for one). A run whose results come before its ``tool`` (the
specification allows any key order), and a log of several runs, go down the general
path, which follows the document level by level.

Severity: a ``security-severity`` property (a CVSS-like score that CodeQL, Trivy and
others put on the result or its rule) wins and is rated as CVSS v3 rates a score;
otherwise ``level`` (the result's, else the rule's ``defaultConfiguration``, else
``warning`` as the specification says, or ``none`` for a ``kind`` other than
``fail``) maps ``error`` to high, ``warning`` to medium, ``note`` to low and ``none``
to info.

Fingerprint: the tool's own ``fingerprints`` when the result has them, else its
``partialFingerprints`` (both as sorted ``key=value`` pairs), with the tool name and
rule id; without either, the rule id, the artifact URI and the flagged snippet with
whitespace folded (the region's lines and columns when there is no snippet, the
message when there is neither) — the snippet rather than the line, which moves
whenever lines are added above. The same snippet flagged by the same rule at several
places in one file is numbered in report order (the first keeps the plain
fingerprint), so each place keeps its own fingerprint. A result with several
locations gives one finding per location (the specification's reading: the result
occurs at each), their fingerprints told apart by location.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import unquote

import ijson

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

_SCHEMA = re.compile(r'"\$schema"\s*:\s*"[^"]*sarif', re.IGNORECASE)
_VERSION = re.compile(r'"version"\s*:\s*"2\.1\.0"')
_PLACEHOLDER = re.compile(r"\{(\d+)\}")
_WINDOWS_DRIVE = re.compile(r"^/[A-Za-z]:/")
# A JSON string spelling "tool", each letter plain or \u-escaped; the longest such string.
_TOOL_NAME = re.compile(rb'"(?:t|\\u0074)(?:o|\\u006[fF])(?:o|\\u006[fF])(?:l|\\u006[cC])"')
_TOOL_NAME_LONGEST = 26
_CHUNK = 256 * 1024
_END = object()
# A data flow (codeFlows) is kept in the evidence: this many steps, each quoting this much.
MAX_FLOW_STEPS = 50
MAX_FLOW_TEXT = 200
# The most rule and rule id pairs whose share of a finding is kept for the next result.
MAX_SHARES = 10_000

_LEVELS: Mapping[str, Severity] = {
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "note": Severity.LOW,
    "none": Severity.INFO,
}


@dataclass(frozen=True)
class _Rule:
    """A rule's details, worked out once per rule rather than once per result."""

    id: str | None = None
    name: str | None = None
    short: str = ""
    full: str = ""
    help_text: str = ""
    help_uri: str | None = None
    level: str | None = None
    score: float | None = None
    tags: tuple[str, ...] = ()
    cwe_numbers: tuple[int, ...] = ()
    cvss_v3: tuple[str | None, float | None] = (None, None)
    cvss_v4: tuple[str | None, float | None] = (None, None)
    message_strings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Share:
    """What a result takes from its rule, as finding fields, worked out once per rule and rule id.

    The advisory and CWE ids are the whole finding's when the result has no property
    bag and no taxa of its own (the usual result); otherwise they are worked out per result.
    """

    advisory_ids: tuple[str, ...]
    cwe_ids: tuple[int, ...]
    remediation: str
    references: tuple[str, ...]
    rule_id: str | None


_NO_RULE = _Rule()


@dataclass
class _Tool:
    """What a run says about the tool that wrote it: name, version and rule tables."""

    name: str = "sarif"
    version: str | None = None
    # The driver's rules first, then each extension's, in ``extensions`` order.
    components: list[list[_Rule]] = field(default_factory=list)
    component_names: list[str] = field(default_factory=list)
    rules_by_id: dict[str, _Rule] = field(default_factory=dict)
    # Each rule's share by the rule (its id()) and the result's rule id: a report repeats a few.
    shares: dict[tuple[int, str | None], _Share] = field(default_factory=dict)

    def share(self, rule: _Rule, rule_id: str | None) -> _Share:
        """Return what a result under ``rule_id`` takes from ``rule``."""
        key = (id(rule), rule_id)
        found = self.shares.get(key)
        if found is None:
            remediation = rule.help_text if rule.help_text not in (rule.full, rule.short) else ""
            found = _Share(
                advisory_ids=values.advisory_ids([rule_id, rule.name, rule.short, *rule.tags]),
                cwe_ids=values.cwe_ids(rule.cwe_numbers),
                remediation=text.clip(remediation),
                references=(rule.help_uri,) if rule.help_uri else (),
                rule_id=text.clip(rule_id, 500) if rule_id else None,
            )
            if len(self.shares) < MAX_SHARES:  # a log of a million distinct rule ids stays bounded
                self.shares[key] = found
        return found


class SarifParser(ReportParser):
    """A SARIF 2.1.0 log, whatever tool wrote it."""

    name = "sarif"
    label = "SARIF 2.1.0"
    defectdojo_scan_types = ("SARIF",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        if _SCHEMA.search(text):
            return 100
        if '"runs"' not in text:
            return 0
        # ``tool.driver`` is how SARIF 2.x names a run's tool; no other format uses it.
        if '"tool"' in text and '"driver"' in text:
            return 90
        return 80 if _VERSION.search(text) else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        repeats = grouping.RepeatCounter()
        with readers.depth_checked(stream) as checked:  # before ijson reads it, here directly
            yield from self._parse(checked, repeats)

    def _parse(self, stream: BinaryIO, repeats: grouping.RepeatCounter) -> Iterator[NormalizedFinding]:
        start = stream.tell() if stream.seekable() else 0
        tool_value = _single_run_tool(stream)
        done = 0
        if tool_value is not None:
            # The usual log: one run. Its results stream through ijson's C parser, which is
            # several times faster than following every event in Python.
            tool = _read_tool(tool_value, "runs[0].tool")
            results = ijson.items(stream, "runs.item.results.item", use_float=True)
            while True:
                try:
                    value = next(results, _END)
                except (ijson.JSONError, ValueError):
                    # Broken past the run's tool: the general path reads the log again
                    # to say where, after the results already given.
                    stream.seek(start)
                    break
                if value is _END:
                    return
                try:
                    yield from _findings(value, f"runs[0].results[{done}]", tool, repeats)
                except (ijson.JSONError, ValueError) as error:
                    raise MalformedReport(
                        f"invalid JSON: {error}", position=f"runs[0].results[{done}]"
                    ) from error
                done += 1
        reader = readers.JsonReader(
            stream,
            ["runs.item.results.item"],
            late=["runs.item.tool"],
            expect={"": "object", "runs": "array", "runs.item": "object"},
        )
        run, tool = -1, _Tool()
        for record in itertools.islice(reader, done, None):
            if record.indexes[0] != run:
                run = record.indexes[0]
                value = record.context.get("tool")
                tool = _Tool() if value is None else _read_tool(value, f"runs[{run}].tool")
            yield from _findings(record.value, record.position, tool, repeats)
        if "runs" not in reader.seen:
            raise MalformedReport("not a SARIF log: it has no runs array", position="top level")


def _single_run_tool(stream: BinaryIO) -> Any | None:
    """Return the tool of a log with exactly one run (rewinding the stream), else None.

    None sends the log down the general path, which also reports any damage precisely.
    """
    if not stream.seekable():
        return None
    # Every run has a tool (SARIF 2.1.0 section 3.14.6), so one tool means one run.
    start = stream.tell()
    names = _tool_names(stream)
    stream.seek(start)
    if not names:
        return None
    # With one string "tool" in the whole log there is no second tool to look for: ijson
    # stops at the first (the log's first lines, as tools write it), and damage further on
    # sends the log down the general path when the results reach it. Otherwise "tool"
    # may be some other key or value: the whole log is read for a second tool.
    try:
        tools = list(itertools.islice(ijson.items(stream, "runs.item.tool", use_float=True), names))
    except (ijson.JSONError, ValueError):
        tools = []
    stream.seek(start)
    return tools[0] if len(tools) == 1 and isinstance(tools[0], dict) else None


def _tool_names(stream: BinaryIO) -> int:
    """Return how many JSON strings spell ``tool`` in the rest of the stream: 0, 1, or 2 for more.

    A byte search, several times cheaper than parsing the log with ijson. It counts each key
    ``tool`` (and any other string ``tool``, or one ending in an escaped quote then ``tool``:
    more than there are keys, never fewer).
    """
    count, tail = 0, b""
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        # A match held whole in the tail was counted with the previous chunk.
        count += sum(1 for match in _TOOL_NAME.finditer(data) if match.end() > len(tail))
        if count >= 2:
            return 2
        tail = data[-_TOOL_NAME_LONGEST:]
    return count


def _read_tool(value: Any, position: str) -> _Tool:
    tool_map = readers.expect_mapping(value, position)
    driver = readers.expect_mapping(tool_map.get("driver") or {}, f"{position}.driver")
    extensions = readers.expect_list(tool_map.get("extensions"), f"{position}.extensions")
    tool = _Tool(
        name=text.clip(str(driver.get("name") or "sarif").strip().lower(), 100) or "sarif",
        version=values.text(driver.get("version")) or values.text(driver.get("semanticVersion")),
    )
    for index, component in enumerate([driver, *extensions]):
        where = f"{position}.driver" if index == 0 else f"{position}.extensions[{index - 1}]"
        component_map = readers.expect_mapping(component, where)
        rules = [
            _read_rule(rule, f"{where}.rules[{number}]")
            for number, rule in enumerate(readers.expect_list(component_map.get("rules"), f"{where}.rules"))
        ]
        tool.components.append(rules)
        tool.component_names.append(str(component_map.get("name") or ""))
        for rule in rules:
            if rule.id and rule.id not in tool.rules_by_id:
                tool.rules_by_id[rule.id] = rule
    return tool


def _read_rule(value: Any, position: str) -> _Rule:
    rule = readers.expect_mapping(value, position)
    properties = readers.as_mapping(rule.get("properties"))
    tag_list = readers.expect_list(properties.get("tags"), f"{position}.properties.tags")
    tags = tuple(dict.fromkeys(tag.strip() for tag in tag_list if isinstance(tag, str)))
    tags = tuple(tag for tag in tags if tag)
    relationships = readers.expect_list(rule.get("relationships"), f"{position}.relationships")
    targets = [item.get("target") for item in relationships if isinstance(item, dict)]
    return _Rule(
        id=values.text(rule.get("id")),
        name=values.text(rule.get("name")),
        short=_message_text(rule.get("shortDescription")),
        full=_message_text(rule.get("fullDescription")),
        help_text=_message_text(rule.get("help")),
        help_uri=values.text(rule.get("helpUri")),
        level=values.text(readers.as_mapping(rule.get("defaultConfiguration")).get("level")),
        score=values.score(properties.get("security-severity")),
        tags=tags,
        cwe_numbers=_cwe_numbers(properties, [*tags, *_taxa_cwes(targets)]),
        cvss_v3=values.cvss3(_vector("CVSS:3", properties)),
        cvss_v4=values.cvss4(_vector("CVSS:4", properties)),
        message_strings=readers.as_mapping(rule.get("messageStrings")),
    )


def _find_rule(result: Mapping[str, Any], tool: _Tool, rule_id: str | None) -> _Rule:
    """Return the rule a result refers to, by index in its component, else by id."""
    reference = result.get("rule")
    reference = reference if isinstance(reference, dict) else {}
    component = 0
    tool_component = reference.get("toolComponent")
    if isinstance(tool_component, dict):
        index = _as_int(tool_component.get("index"))
        named = str(tool_component.get("name") or "")
        if index is not None:
            component = index + 1  # toolComponent.index counts the extensions
        elif named in tool.component_names:
            component = tool.component_names.index(named)
    rule_index = _as_int(result.get("ruleIndex"))
    if rule_index is None:
        rule_index = _as_int(reference.get("index"))
    if 0 <= component < len(tool.components) and rule_index is not None:
        rules = tool.components[component]
        if 0 <= rule_index < len(rules):
            return rules[rule_index]
    if rule_id:
        # A hierarchical id (``C2001/1``) falls back to its parent rule.
        found = tool.rules_by_id.get(rule_id) or tool.rules_by_id.get(rule_id.split("/")[0])
        return found or _NO_RULE
    return _NO_RULE


def _findings(
    value: Any, position: str, tool: _Tool, repeats: grouping.RepeatCounter
) -> Iterator[NormalizedFinding]:
    """Yield one finding per location of a result (one, without a location)."""
    result = readers.expect_mapping(value, position)
    reference = result.get("rule")
    rule_id = values.text(result.get("ruleId")) or (
        values.text(reference.get("id")) if isinstance(reference, dict) else None
    )
    rule = _find_rule(result, tool, rule_id)
    rule_id = rule_id or rule.id
    properties = readers.as_mapping(result.get("properties"))

    message = _message(result.get("message"), rule)
    lines = message.splitlines()
    if len(lines) == 1:  # the usual message
        first_line = lines[0] if lines[0].strip() else ""
    else:
        first_line = next((line for line in lines if line.strip()), "")
    heading = first_line or rule.short or rule.name or rule_id
    cvss_v3, cvss_v4 = rule.cvss_v3, rule.cvss_v4
    advisory_ids: tuple[str, ...] | None = None
    cwe_ids: tuple[int, ...] = ()
    taxa = _list(result.get("taxa"), position, ".taxa")
    if properties or taxa:
        cwe_numbers = rule.cwe_numbers
        advisory_texts: list[object] = [rule_id, rule.name, rule.short, *rule.tags]
        if properties:  # a result's own properties come before its rule's
            own_v3 = values.cvss3(_vector("CVSS:3", properties))
            own_v4 = values.cvss4(_vector("CVSS:4", properties))
            cvss_v3 = own_v3 if own_v3[0] else cvss_v3
            cvss_v4 = own_v4 if own_v4[0] else cvss_v4
            advisory_texts.extend(_strings(properties))
            cwe_numbers = (*_cwe_numbers(properties, []), *cwe_numbers)
        if taxa:
            cwe_numbers = (*_cwe_numbers({}, _taxa_cwes(taxa)), *cwe_numbers)
        advisory_ids, cwe_ids = values.advisory_ids(advisory_texts), values.cwe_ids(cwe_numbers)
    prints = readers.as_mapping(result.get("fingerprints")) or readers.as_mapping(
        result.get("partialFingerprints")
    )
    stated = ";".join([f"{key}={prints[key]}" for key in sorted(prints)]) if prints else ""
    severity = _severity(result, rule, properties)
    both = message and rule.full and message != rule.full
    description = text.clip(f"{message}\n\n{rule.full}" if both else message or rule.full)

    places = _locations(result, position)
    flow = _code_flow(result, position)
    title = text.title(heading)
    share = tool.share(rule, rule_id)
    if advisory_ids is None:
        advisory_ids, cwe_ids = share.advisory_ids, share.cwe_ids
    finding_id = values.text(result.get("guid")) or values.text(result.get("correlationGuid"))
    tags = _tags(result, rule.tags)
    for location, snippet, region in places:
        if stated and len(places) == 1:
            key = grouping.fingerprint("sarif", tool.name, rule_id, stated)
        else:
            anchor = " ".join(snippet.split()) or region or " ".join(message.split())
            if stated:  # the tool's fingerprint names the result, not each of its locations
                key = grouping.fingerprint("sarif", tool.name, rule_id, stated, location.file_path, anchor)
            else:
                anchored = (tool.name, rule_id, location.file_path, anchor)
                occurrence = repeats.number(grouping.fingerprint(*anchored), location.line_start)
                # The first place keeps the plain anchor; later ones add their number.
                key = grouping.fingerprint("sarif", *anchored, *((occurrence,) if occurrence else ()))
        yield NormalizedFinding(
            title=title,
            severity=severity,
            tool=tool.name,
            tool_version=tool.version,
            rule_id=share.rule_id,
            tool_finding_id=finding_id,
            description=description,
            advisory_ids=advisory_ids,
            cwe_ids=cwe_ids,
            cvss_v3_vector=cvss_v3[0],
            cvss_v3_score=cvss_v3[1],
            cvss_v4_vector=cvss_v4[0],
            cvss_v4_score=cvss_v4[1],
            location=location,
            evidence=text.clip(f"{snippet}\n\n{flow}" if snippet and flow else snippet or flow),
            remediation=share.remediation,
            references=share.references,
            tags=tags,
            fingerprint=key,
        )


def _severity(result: Mapping[str, Any], rule: _Rule, properties: Mapping[str, Any]) -> Severity:
    score = values.score(properties.get("security-severity"))
    score = rule.score if score is None else score
    if score is not None:
        return values.severity_from_score(score)
    level = values.text(result.get("level")) or rule.level
    if level is None:
        kind = values.text(result.get("kind")) or "fail"
        level = "warning" if kind == "fail" else "none"
    return _LEVELS.get(level.lower(), Severity.MEDIUM)


def _locations(result: Mapping[str, Any], position: str) -> list[tuple[FindingLocation, str, str]]:
    """Return each location with its snippet and its region as ``line:col-line:col``."""
    locations = _list(result.get("locations"), position, ".locations")
    places = []
    for index, item in enumerate(locations or [{}]):
        place = item if type(item) is dict else readers.expect_mapping(item, f"{position}.locations[{index}]")
        physical = readers.as_mapping(place.get("physicalLocation"))
        artifact = readers.as_mapping(physical.get("artifactLocation")) or readers.as_mapping(
            result.get("analysisTarget")
        )
        region = readers.as_mapping(physical.get("region"))
        uri = values.text(artifact.get("uri"))
        line_start = _line_number(region.get("startLine"))
        span = ""
        if region:
            get = region.get
            start = f"{get('startLine', '')}:{get('startColumn', '')}"
            span = f"{start}-{get('endLine', '')}:{get('endColumn', '')}"
        component = None
        logical = place.get("logicalLocations")
        if type(logical) is not list:  # absent, or not an array (an error)
            logical = readers.expect_list(logical, f"{position}.locations[{index}].logicalLocations")
        if logical and isinstance(logical[0], dict):
            component = values.text(logical[0].get("fullyQualifiedName")) or values.text(
                logical[0].get("name")
            )
        location = FindingLocation(
            file_path=_path(uri),
            line_start=line_start,
            line_end=_line_number(region.get("endLine")) or line_start,
            component=component,
        )
        places.append((location, _message_text(region.get("snippet")), span))
    return places


def _code_flow(result: Mapping[str, Any], position: str) -> str:
    """Return the result's first data flow (``codeFlows``) as numbered lines: where, and what passes."""
    flows = _list(result.get("codeFlows"), position, ".codeFlows")
    if not flows:
        return ""
    threads = readers.expect_list(readers.as_mapping(flows[0]).get("threadFlows"), f"{position}.codeFlows[0]")
    if not threads:
        return ""
    steps = readers.expect_list(
        readers.as_mapping(threads[0]).get("locations"), f"{position}.codeFlows[0].threadFlows[0]"
    )
    lines: list[str] = []
    for step in (steps or [])[:MAX_FLOW_STEPS]:
        location = readers.as_mapping(readers.as_mapping(step).get("location"))
        physical = readers.as_mapping(location.get("physicalLocation"))
        uri = _path(values.text(readers.as_mapping(physical.get("artifactLocation")).get("uri")))
        line = values.line_number(readers.as_mapping(physical.get("region")).get("startLine"))
        said = _message_text(location.get("message")) or _message_text(
            readers.as_mapping(physical.get("region")).get("snippet")
        )
        where = ":".join(str(part) for part in (uri, line) if part)
        lines.append(f"{len(lines) + 1}. {where or '?'}  {' '.join(said.split())[:MAX_FLOW_TEXT]}".rstrip())
    return "Data flow:\n" + "\n".join(lines) if lines else ""


def _cwe_numbers(properties: Mapping[str, Any], texts: list[str]) -> tuple[int, ...]:
    """Return the CWE numbers under a property bag's CWE keys and in ``texts``."""
    found = list(texts)
    for key in ("cwe", "CWE", "cwe_id", "cwe_ids", "cwes"):
        if key in properties:  # a bare number under a CWE key is a CWE number
            found.extend(_strings({key: properties[key]}))
    return values.cwe_ids(found)


def _taxa_cwes(targets: list[Any]) -> list[str]:
    """Return ``CWE-n`` for each reference to a taxon of the CWE taxonomy."""
    found = []
    for target in targets:
        if isinstance(target, dict):
            component = readers.as_mapping(target.get("toolComponent"))
            if str(component.get("name") or "").upper() == "CWE":
                found.append(f"CWE-{target.get('id')}")
    return found


def _tags(result: Mapping[str, Any], rule_tags: tuple[str, ...]) -> tuple[str, ...]:
    if "kind" not in result and "baselineState" not in result and "suppressions" not in result:
        return rule_tags  # the usual result; the rule's tags are already distinct
    tags = list(rule_tags)
    kind = values.text(result.get("kind"))
    if kind and kind != "fail":
        tags.append(f"kind:{kind}")
    baseline = values.text(result.get("baselineState"))
    if baseline:
        tags.append(f"baseline:{baseline}")
    if result.get("suppressions"):
        tags.append("suppressed")
    return tuple(dict.fromkeys(tags))


def _message(value: Any, rule: _Rule) -> str:
    """Return a result's message text, looked up in the rule by id and with its arguments."""
    message = readers.as_mapping(value)
    text = _message_text(message)
    if not text and message.get("id"):
        text = _message_text(rule.message_strings.get(str(message["id"])))
    arguments = message.get("arguments")
    if isinstance(arguments, list) and arguments:

        def argument(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return str(arguments[index]) if index < len(arguments) else match.group(0)

        text = _PLACEHOLDER.sub(argument, text)
    return text


def _message_text(value: Any) -> str:
    """Return the text of a SARIF message or multiformat string (plain text, else markdown)."""
    if value is None:  # no snippet, most often
        return ""
    message = readers.as_mapping(value)
    text = message.get("text") or message.get("markdown") or ""
    return text.strip() if type(text) is str else str(text).strip()


def _list(value: Any, position: str, key: str) -> list[Any]:
    """Return ``value`` if it is a JSON array (None counts as empty), else say where: ``position`` + ``key``.

    The position is only put together for the error (most values are arrays or absent).
    """
    if type(value) is list:
        return value
    return readers.expect_list(value, position + key)


def _as_int(value: Any) -> int | None:
    """Return ``value`` as an int (see values.as_int), most often already one."""
    return value if type(value) is int else values.as_int(value)


def _line_number(value: Any) -> int | None:
    """Return a line number (see values.line_number), most often already an int."""
    if type(value) is int:
        return value if value > 0 else None
    return values.line_number(value)


def _path(uri: str | None) -> str | None:
    """Return an artifact URI as a path: no ``file://`` scheme, percent-escapes decoded."""
    if not uri:
        return None
    path = unquote(uri.removeprefix("file://"))
    # file:///C:/src/a.c names the Windows path C:/src/a.c
    return path[1:] if _WINDOWS_DRIVE.match(path) else path


def _vector(version: str, *bags: Mapping[str, Any]) -> str | None:
    """Return the first CVSS vector of this version among the property bags' values."""
    for properties in bags:
        for value in properties.values():
            if isinstance(value, str) and value.strip().upper().startswith(version):
                return value
    return None


def _strings(properties: Mapping[str, Any]) -> list[str]:
    """Return the string and integer values of a property bag, flattening lists."""
    found: list[str] = []
    for value in properties.values():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str | int) and not isinstance(item, bool):
                found.append(str(item).strip())
    return found


PARSER = SarifParser()
