"""govulncheck JSON (``govulncheck -json`` / ``-format json``), protocol v1 and the older object.

Since govulncheck 1.0 (2023) the report is a stream of JSON messages, one object
after another (some tools wrap them in an array: both are read): ``config``
(scanner, database, scan level), ``progress``, ``SBOM`` (1.1+), ``osv`` (an OSV
record) and ``finding`` (``osv`` id, ``fixed_version``, ``trace``: frames from
the vulnerable symbol, ``trace[0]``, to the caller in the scanned code). govulncheck
writes the OSV record of every vulnerability known for the modules the code
requires, whatever their version; only the ``finding`` messages say that the
code is affected: at module level (the required version is vulnerable), package
level (a vulnerable package is imported) or symbol level (vulnerable code is
reached). So each OSV record with finding messages makes one finding per module
the findings name, at the deepest level they reach; a record without any is not
a vulnerability of the scanned code and yields nothing (DefectDojo, which makes a
finding of every record, counts those too). The messages are streamed twice:
once for the finding messages, which come after the records, then for the records.

Before 1.0 (govulncheck 0.x, 2022-2023) the report was one object whose ``Vulns``
list the vulnerabilities, each with its ``OSV`` record and either ``Modules``
(``Path``, ``FoundVersion``, ``FixedVersion``, ``Packages`` with ``CallStacks``)
or the ``ModPath``/``RequireSink``/``CallSink`` of the oldest releases, whose
versions sit in ``Requires.Modules``. That object holds the whole call graph in
one value and is read whole; each OSV id and module is one finding.

Severity: govulncheck rates nothing and the Go vulnerability database states no
severity, so a finding takes the CVSS base score of its OSV ``severity`` when a
record has one, else info (as DefectDojo rates them). The reach is in the tags
(``reach:symbol``, ``reach:package``, ``reach:module``): triage by it.

Fingerprint: the module path and the OSV id. Not the versions, the reach or the
call sites, which change with every build while the vulnerability stays open.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import ijson

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "govulncheck"
CONFIG = re.compile(r'"config"\s*:\s*\{[^{}]*"scanner_name"\s*:\s*"govulncheck"')
LEVELS = {"module": 0, "package": 1, "symbol": 2}
# The most call sites one finding lists.
TRACE_LIMIT = 50


@dataclass
class _Reach:
    """What the finding messages of one OSV id say about one module."""

    module: str
    version: str | None = None
    fixed_version: str | None = None
    level: str = "module"
    package: str | None = None
    symbol: str | None = None
    file_path: str | None = None
    line: int | None = None
    traces: dict[str, None] = field(default_factory=dict)

    def add(self, finding: Mapping[str, Any], frames: list[Mapping[str, Any]]) -> None:
        vulnerable = frames[0]
        self.version = self.version or values.text(vulnerable.get("version"))
        self.fixed_version = self.fixed_version or values.text(finding.get("fixed_version"))
        level = (
            "symbol" if vulnerable.get("function") else "package" if vulnerable.get("package") else "module"
        )
        if LEVELS[level] > LEVELS[self.level]:
            self.level = level
            self.package = values.text(vulnerable.get("package"))
            self.symbol = _symbol(vulnerable)
        elif self.package is None:
            self.package = values.text(vulnerable.get("package"))
        if level != "symbol" or len(self.traces) >= TRACE_LIMIT:
            return
        caller = next(
            (frame for frame in reversed(frames) if isinstance(frame.get("position"), Mapping)), None
        )
        if caller is None:
            return
        place = readers.as_mapping(caller.get("position"))
        file_path = values.text(place.get("filename"))
        line = values.line_number(place.get("line"))
        if self.file_path is None and file_path:
            self.file_path, self.line = file_path, line
        self.traces[f"{file_path}:{line or '?'}: {_symbol(caller)} calls {_symbol(vulnerable)}"] = None


class GovulncheckParser(ReportParser):
    """govulncheck's JSON output: the v1 message stream (or array) and the 0.x object."""

    name = "govulncheck"
    label = "govulncheck JSON"
    defectdojo_scan_types = ("Govulncheck Scanner",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith(("[", "{")):
            if CONFIG.search(text):
                return 100
            if text.startswith("{") and '"Vulns"' in text and '"OSV"' in text:
                return 80
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, stream = readers.first_byte(stream)
        if not first:
            raise MalformedReport(readers.EMPTY_REPORT)
        with readers.seekable(stream) as source:
            start = source.tell()
            if first == b"{" and _is_legacy(source, start):
                yield from _legacy_findings(readers.load_json(source))
                return
            reaches: dict[str, dict[str, _Reach]] = {}
            has_config = False
            for position, message in _messages(source, first):
                has_config = has_config or "config" in message
                if "finding" in message:
                    _add_finding(reaches, message["finding"], f"{position}.finding")
            if not has_config:
                raise readers.not_a_report("config")
            source.seek(start)
            done: set[str] = set()
            for position, message in _messages(source, first):
                if "osv" not in message:
                    continue
                record = readers.expect_mapping(message["osv"], f"{position}.osv")
                osv_id = values.text(record.get("id"))
                if osv_id is None:
                    raise MalformedReport("an OSV record has no id", position=f"{position}.osv")
                if osv_id in done or osv_id not in reaches:
                    continue
                done.add(osv_id)
                for reach in reaches[osv_id].values():
                    yield _finding(osv_id, record, reach)
            for osv_id, modules in reaches.items():
                if osv_id not in done:  # a finding whose record the report left out
                    for reach in modules.values():
                        yield _finding(osv_id, {}, reach)


def _is_legacy(source: BinaryIO, start: int) -> bool:
    """Tell the 0.x object (``Vulns``) from the v1 stream by its first key."""
    with readers.rewound(source, start) as again:
        try:
            for _prefix, event, value in ijson.parse(again, multiple_values=True):
                if event == "map_key":
                    return str(value) in ("Vulns", "Calls", "Imports", "Requires")
        except (ijson.JSONError, ValueError):
            return False
    return False


def _messages(source: BinaryIO, first: bytes) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Yield each message of the stream (or of the array), as ``[n]`` by its place."""
    is_array = first == b"["
    count = 0
    with readers.depth_checked(source) as checked:
        try:
            items = ijson.items(
                checked, "item" if is_array else "", multiple_values=not is_array, use_float=True
            )
            for item in items:
                position = f"[{count}]"
                yield position, readers.expect_mapping(item, position)
                count += 1
        except (ijson.JSONError, ValueError) as error:
            detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise MalformedReport(f"invalid JSON: {detail}", position=f"[{count}]") from error


def _add_finding(reaches: dict[str, dict[str, _Reach]], value: object, position: str) -> None:
    finding = readers.expect_mapping(value, position)
    osv_id = values.text(finding.get("osv"))
    frames = [
        readers.expect_mapping(frame, f"{position}.trace[{index}]")
        for index, frame in enumerate(readers.expect_list(finding.get("trace"), f"{position}.trace"))
    ]
    if osv_id is None or not frames:
        raise MalformedReport("a finding has no osv id or no trace", position=position)
    module = values.text(frames[0].get("module")) or ""
    by_module = reaches.setdefault(osv_id, {})
    by_module.setdefault(module, _Reach(module)).add(finding, frames)


def _finding(osv_id: str, record: Mapping[str, Any], reach: _Reach) -> NormalizedFinding:
    aliases = [str(alias) for alias in record.get("aliases") or [] if isinstance(alias, str)]
    summary = values.text(record.get("summary")) or ""
    details = values.text(record.get("details")) or ""
    v3_vector, v3_score, v4_vector, v4_score = _cvss(record.get("severity"))
    score = v3_score if v3_score is not None else v4_score
    severity = values.severity_from_score(score) if score is not None else Severity.INFO
    database = readers.as_mapping(record.get("database_specific"))
    references = [values.text(database.get("url")) or f"https://pkg.go.dev/vuln/{osv_id}"]
    references += [
        str(reference["url"])
        for reference in record.get("references") or []
        if isinstance(reference, dict) and reference.get("url")
    ]
    label = f"{reach.module}@{reach.version}" if reach.version else reach.module
    parts = [summary, details]
    if reach.symbol:
        parts.append(f"Vulnerable symbol reached: {reach.symbol}")
    elif reach.package:
        parts.append(f"Vulnerable package imported: {reach.package}")
    fixed = reach.fixed_version
    return NormalizedFinding(
        title=text.title(f"{osv_id} in {label}" + (f": {summary}" if summary else "")),
        severity=severity,
        tool=TOOL,
        rule_id=osv_id,
        advisory_ids=values.advisory_ids([osv_id, *aliases]),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        cvss_v4_vector=v4_vector,
        cvss_v4_score=v4_score,
        description=text.clip("\n\n".join(part for part in parts if part)),
        location=FindingLocation(
            file_path=reach.file_path,
            line_start=reach.line,
            package=reach.module or None,
            package_version=reach.version,
            fixed_version=fixed,
            component=reach.package,
        ),
        evidence=text.clip("Call sites:\n" + "\n".join(f"- {trace}" for trace in reach.traces))
        if reach.traces
        else "",
        remediation=f"Upgrade {reach.module} to {fixed}." if fixed else "",
        references=tuple(dict.fromkeys(references)),
        tags=(f"reach:{reach.level}", *(f"alias:{alias}" for alias in aliases)),
        fingerprint=grouping.fingerprint(TOOL, reach.module, osv_id),
    )


def _legacy_findings(document: Any) -> Iterator[NormalizedFinding]:
    """Yield the findings of a govulncheck 0.x object, one per OSV id and module."""
    report = readers.expect_mapping(document, "top level")
    if "Vulns" not in report:
        raise readers.not_a_report("Vulns")
    requires = readers.as_mapping(readers.as_mapping(report.get("Requires")).get("Modules"))
    found: dict[tuple[str, str], tuple[Mapping[str, Any], _Reach]] = {}
    for index, item in enumerate(readers.expect_list(report["Vulns"], "Vulns")):
        position = f"Vulns[{index}]"
        vuln = readers.expect_mapping(item, position)
        record = readers.expect_mapping(vuln.get("OSV"), f"{position}.OSV")
        osv_id = values.text(record.get("id"))
        if osv_id is None:
            raise MalformedReport("an OSV record has no id", position=f"{position}.OSV")
        for module in _legacy_modules(vuln, requires, position):
            key = (osv_id, module.module)
            if key in found:
                kept = found[key][1]
                if LEVELS[module.level] > LEVELS[kept.level]:
                    kept.level, kept.package, kept.symbol = module.level, module.package, module.symbol
                continue
            found[key] = (record, module)
    for (osv_id, _module), (record, reach) in found.items():
        yield _finding(osv_id, record, reach)


def _legacy_modules(vuln: Mapping[str, Any], requires: Mapping[str, Any], position: str) -> list[_Reach]:
    """Return the modules one 0.x ``Vulns`` entry names, with what reaches them."""
    modules = readers.expect_list(vuln.get("Modules"), f"{position}.Modules")
    reaches: list[_Reach] = []
    for number, item in enumerate(modules):
        entry = readers.expect_mapping(item, f"{position}.Modules[{number}]")
        reach = _Reach(
            str(entry.get("Path") or ""),
            version=values.text(entry.get("FoundVersion")),
            fixed_version=values.text(entry.get("FixedVersion")),
        )
        for package in entry.get("Packages") or []:
            if not isinstance(package, dict):
                continue
            stacks = package.get("CallStacks") or []
            level = "symbol" if stacks else "package"
            if LEVELS[level] > LEVELS[reach.level]:
                reach.level, reach.package = level, values.text(package.get("Path"))
                symbol = stacks[0].get("Symbol") if isinstance(stacks[0], dict) else None
                reach.symbol = values.text(symbol) if stacks else None
        reaches.append(reach)
    if reaches or not vuln.get("ModPath"):
        return reaches
    # The oldest shape: one entry per symbol, the version behind RequireSink.
    required = readers.as_mapping(requires.get(str(vuln.get("RequireSink"))))
    has_call = bool(vuln.get("CallSink"))
    return [
        _Reach(
            str(vuln["ModPath"]),
            version=values.text(required.get("Version")),
            level="symbol" if has_call else "package" if vuln.get("ImportSink") else "module",
            package=values.text(vuln.get("PkgPath")),
            symbol=values.text(vuln.get("Symbol")) if has_call else None,
        )
    ]


def _symbol(frame: Mapping[str, Any]) -> str:
    """Return a frame's symbol as govulncheck prints it: ``pkg.Receiver.Function``."""
    package = str(frame.get("package") or frame.get("module") or "")
    receiver = str(frame.get("receiver") or "").lstrip("*")
    function = str(frame.get("function") or "")
    return ".".join(part for part in (package, receiver, function) if part)


def _cvss(severities: object) -> tuple[str | None, float | None, str | None, float | None]:
    """Return the CVSS v3 and v4 vectors and scores of an OSV ``severity`` array."""
    v3: tuple[str | None, float | None] = (None, None)
    v4: tuple[str | None, float | None] = (None, None)
    for entry in severities if isinstance(severities, list) else []:
        if not isinstance(entry, dict):
            continue
        kind, score = str(entry.get("type") or ""), str(entry.get("score") or "")
        if kind == "CVSS_V3" and v3[0] is None:
            v3 = values.cvss3(score)
        elif kind == "CVSS_V4" and v4[0] is None:
            v4 = values.cvss4(score)
    return v3[0], v3[1], v4[0], v4[1]


PARSER = GovulncheckParser()
