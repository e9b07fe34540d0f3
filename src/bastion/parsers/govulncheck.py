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
finding of every record, counts those too). A finding message may come after its
record, and the last one of a module may raise its reach: the findings come out
once the stream has been read. Meanwhile what the finding messages say and where
each record stands wait on disk (:class:`_Waiting`), so memory stays level however
many there are; the records with finding messages are then read again, by where
they stand. The stream is read once, split into its messages where govulncheck
ends them (a ``}`` starting a line) and each built by orjson; a stream written
otherwise (an array, other line breaks) is read by ijson, twice: once for the
finding messages, then for the records.

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
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import ijson
import orjson

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "govulncheck"
CONFIG = re.compile(r'"config"\s*:\s*\{[^{}]*"scanner_name"\s*:\s*"govulncheck"')
LEVELS = {"module": 0, "package": 1, "symbol": 2}
# The most call sites one finding lists.
TRACE_LIMIT = 50
# Where govulncheck ends a message: its closing brace starts a line (no line break stands in a string).
MESSAGE_END = re.compile(rb"\n\}")
READ_BYTES = 256 * 1024
# The longest message split out of the stream; a longer one (or none found) and ijson reads the stream.
MESSAGE_LIMIT = 16 * 1024 * 1024
BLANK = b" \t\r\n"
# Finding messages and records noted at once (one executemany).
BATCH = 1000


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

    def take(self, step: _Step) -> None:
        """Add what one finding message says (see :func:`_step`)."""
        version, fixed_version, level, package, symbol, file_path, line, trace = step
        self.version = self.version or version
        self.fixed_version = self.fixed_version or fixed_version
        if LEVELS[level] > LEVELS[self.level]:
            self.level, self.package, self.symbol = level, package, symbol
        elif self.package is None:
            self.package = package
        if trace is None or len(self.traces) >= TRACE_LIMIT:
            return
        if self.file_path is None and file_path:
            self.file_path, self.line = file_path, values.line_number(line)
        self.traces[trace] = None


# What one finding message says of its module: version, fixed version, level, package,
# symbol, and for a symbol reached from the scanned code, the caller's file, line and trace
# (the line as text: SQLite holds no integer past 64 bits).
_Step = tuple[str | None, str | None, str, str | None, str, str | None, str | None, str | None]


class _Unsplit(Exception):  # noqa: N818 - a signal, not an error
    """The stream is not split as govulncheck writes it: ijson reads it instead."""


class _Waiting:
    """What must wait for the end of the stream, in a private temporary SQLite database.

    The steps of the finding messages (see :func:`_step`), by OSV id, in the order
    they came, and the records read (the first one of each id) by where they stand
    in the stream. The database is unlinked as it is opened (``sqlite3.connect("")``)
    and its page cache bounded: memory stays level however long the stream.
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2048;"
            "PRAGMA temp_store = FILE;"
            "CREATE TABLE steps (seq INTEGER PRIMARY KEY, osv TEXT NOT NULL, module TEXT NOT NULL,"
            " version, fixed_version, level, package, symbol, file_path, line, trace);"
            "CREATE TABLE records"
            " (seq INTEGER PRIMARY KEY, osv TEXT NOT NULL UNIQUE, at INTEGER, size INTEGER);"
            "BEGIN;"
        )
        self._steps: list[tuple[Any, ...]] = []
        self._records: list[tuple[int, str, int, int]] = []

    def add(self, osv_id: str, module: str, step: _Step) -> None:
        """Note one finding message's step for the module of an OSV id."""
        self._steps.append((osv_id, module, *step))
        if len(self._steps) >= BATCH:
            self._flush()

    def note_record(self, seq: int, osv_id: str, at: int, size: int) -> None:
        """Note where a record stands (the message's bytes); a later one of the same id is ignored."""
        self._records.append((seq, osv_id, at, size))
        if len(self._records) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._steps:
            self._db.executemany(
                "INSERT INTO steps"
                " (osv, module, version, fixed_version, level, package, symbol, file_path, line, trace)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self._steps,
            )
            self._steps = []
        if self._records:
            self._db.executemany(
                "INSERT OR IGNORE INTO records (seq, osv, at, size) VALUES (?, ?, ?, ?)", self._records
            )
            self._records = []

    def finish(self) -> None:
        """Write what is noted and index it: the stream has been read."""
        self._flush()
        self._db.execute("CREATE INDEX steps_by_osv ON steps (osv, seq)")

    def claim(self, seq: int, osv_id: str) -> bool:
        """Tell whether a record read again is the first of an OSV id with finding messages."""
        if self._db.execute("SELECT 1 FROM steps WHERE osv = ? LIMIT 1", (osv_id,)).fetchone() is None:
            return False
        claimed = self._db.execute("INSERT OR IGNORE INTO records (seq, osv) VALUES (?, ?)", (seq, osv_id))
        return claimed.rowcount == 1

    def records(self, before: int | None) -> Iterator[tuple[str, int, int, dict[str, _Reach]]]:
        """Yield each record with finding messages, in stream order: OSV id, place, size and reaches.

        ``before``: the number of the message to stop at (the records after it are not read).
        """
        rows = self._db.execute(
            "SELECT r.osv, r.at, r.size,"
            " module, version, fixed_version, level, package, symbol, file_path, line, trace"
            " FROM records r JOIN steps s ON s.osv = r.osv"
            " WHERE r.seq < ? ORDER BY r.seq, s.seq",
            (before if before is not None else 2**62,),
        )
        current: tuple[str, int, int] | None = None
        reaches: dict[str, _Reach] = {}
        for osv_id, at, size, *step in rows:
            if current is not None and current[0] != osv_id:
                yield (*current, reaches)
                reaches = {}
            current = (osv_id, at, size)
            _take(reaches, step)
        if current is not None:
            yield (*current, reaches)

    def unrecorded(self) -> Iterator[str]:
        """Yield the OSV ids with finding messages but no record, in the order of their first message."""
        rows = self._db.cursor().execute(
            "SELECT osv FROM steps WHERE osv NOT IN (SELECT osv FROM records) GROUP BY osv ORDER BY MIN(seq)"
        )
        for (osv_id,) in rows:
            yield osv_id

    def reaches(self, osv_id: str) -> dict[str, _Reach]:
        """Return what the finding messages of an OSV id say, by module, in the order they came."""
        reaches: dict[str, _Reach] = {}
        for step in self._db.execute(
            "SELECT module, version, fixed_version, level, package, symbol, file_path, line, trace"
            " FROM steps WHERE osv = ? ORDER BY seq",
            (osv_id,),
        ):
            _take(reaches, step)
        return reaches

    def close(self) -> None:
        self._db.close()


def _take(reaches: dict[str, _Reach], row: Sequence[Any]) -> None:
    """Add a step kept by :class:`_Waiting` (its module first) to the reach of its module."""
    module, *step = row
    reach = reaches.get(module)
    if reach is None:
        reach = reaches[module] = _Reach(module)
    reach.take(tuple(step))


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
            if first == b"{":
                waiting = _Waiting()
                try:
                    deferred = _read_split(source, waiting)
                except _Unsplit:
                    waiting.close()  # ijson reads the stream again, from its start
                else:
                    try:
                        yield from _split_findings(source, waiting, deferred)
                    finally:
                        waiting.close()
                    return
                source.seek(start)
            waiting = _Waiting()
            try:
                yield from _streamed_findings(source, first, waiting)
            finally:
                waiting.close()


def _read_split(source: BinaryIO, waiting: _Waiting) -> tuple[int, MalformedReport] | None:
    """Read the stream once, split into its messages; raise _Unsplit when it is not split so.

    Returns the first damaged record (its message's number and the error), which
    ijson's second read would meet after the findings of the records before it, or None.
    """
    has_config = False
    deferred: tuple[int, MalformedReport] | None = None
    for count, (at, piece) in enumerate(_pieces(source)):
        readers.check_depth(piece)  # orjson's own limit is 1,024 levels
        try:
            message = orjson.loads(piece)
        except orjson.JSONDecodeError as error:
            raise _Unsplit from error  # ijson reads it, and says where and what is wrong
        if type(message) is not dict:  # never: a JSON value that ends with "}" is an object
            readers.expect_mapping(message, f"[{count}]")
        has_config = has_config or "config" in message
        if "finding" in message:
            _add_finding(waiting, message["finding"], f"[{count}].finding")
        if "osv" in message and deferred is None:
            try:
                osv_id = _record_id(message, f"[{count}]")
            except MalformedReport as error:
                deferred = (count, error)
                continue
            waiting.note_record(count, osv_id, at, len(piece))
    if not has_config:
        raise readers.not_a_report("config")
    return deferred


def _split_findings(
    source: BinaryIO, waiting: _Waiting, deferred: tuple[int, MalformedReport] | None
) -> Iterator[NormalizedFinding]:
    """Yield the findings of a stream read by :func:`_read_split`, each record read again where it stands."""
    waiting.finish()
    for osv_id, at, size, reaches in waiting.records(deferred[0] if deferred else None):
        source.seek(at)
        record = orjson.loads(source.read(size))["osv"]
        for reach in reaches.values():
            yield _finding(osv_id, record, reach)
    if deferred is not None:
        raise deferred[1]
    for osv_id in waiting.unrecorded():  # a finding whose record the report left out
        for reach in waiting.reaches(osv_id).values():
            yield _finding(osv_id, {}, reach)


def _streamed_findings(source: BinaryIO, first: bytes, waiting: _Waiting) -> Iterator[NormalizedFinding]:
    """Yield the findings of a stream ijson reads: once for the finding messages, then for the records."""
    start = source.tell()
    has_config = False
    for position, message in _messages(source, first):
        has_config = has_config or "config" in message
        if "finding" in message:
            _add_finding(waiting, message["finding"], f"{position}.finding")
    if not has_config:
        raise readers.not_a_report("config")
    waiting.finish()
    source.seek(start)
    for count, (position, message) in enumerate(_messages(source, first)):
        if "osv" not in message:
            continue
        osv_id = _record_id(message, position)
        if not waiting.claim(count, osv_id):
            continue
        record = message["osv"]
        for reach in waiting.reaches(osv_id).values():
            yield _finding(osv_id, record, reach)
    for osv_id in waiting.unrecorded():  # a finding whose record the report left out
        for reach in waiting.reaches(osv_id).values():
            yield _finding(osv_id, {}, reach)


def _pieces(source: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Yield each message's bytes, with where they start, split where govulncheck ends a message.

    Raises _Unsplit for a stream not split so (a message longer than MESSAGE_LIMIT, or
    something else after the last one). A piece is a message only if orjson reads it as one:
    a piece cut at another brace is no JSON value, so no wrong split goes unseen.
    """
    buffer, base, start, searched = b"", source.tell(), 0, 0
    while True:
        for found in MESSAGE_END.finditer(buffer, searched):  # faster than bytes.find, "\n" being frequent
            end = found.end()
            yield base + start, buffer[start:end]
            start = end
        if len(buffer) - start > MESSAGE_LIMIT:
            raise _Unsplit
        searched = max(len(buffer) - 1, start)  # the line break may end this buffer
        chunk = source.read(READ_BYTES)
        if not chunk:
            break
        buffer = buffer[start:] + chunk
        base, searched, start = base + start, searched - start, 0
    if buffer[start:].strip(BLANK):
        raise _Unsplit


def _is_mapping(value: object) -> bool:
    """Tell whether a value is a JSON object (``dict`` first: far cheaper than the ABC check)."""
    return type(value) is dict or isinstance(value, Mapping)


def _record_id(message: Mapping[str, Any], position: str) -> str:
    """Return the OSV id of a message's record."""
    record = message["osv"]
    if type(record) is not dict:  # the usual case, first: no position to write
        record = readers.expect_mapping(record, f"{position}.osv")
    osv_id = values.text(record.get("id"))
    if osv_id is None:
        raise MalformedReport("an OSV record has no id", position=f"{position}.osv")
    return osv_id


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


def _add_finding(waiting: _Waiting, value: object, position: str) -> None:
    finding = readers.expect_mapping(value, position)
    osv_id = values.text(finding.get("osv"))
    frames = readers.expect_list(finding.get("trace"), f"{position}.trace")
    if not all(type(frame) is dict for frame in frames):  # the usual case, first: no position to write
        frames = [
            readers.expect_mapping(frame, f"{position}.trace[{index}]") for index, frame in enumerate(frames)
        ]
    if osv_id is None or not frames:
        raise MalformedReport("a finding has no osv id or no trace", position=position)
    waiting.add(osv_id, values.text(frames[0].get("module")) or "", _step(finding, frames))


def _step(finding: Mapping[str, Any], frames: list[Mapping[str, Any]]) -> _Step:
    """Return what one finding message says of its module (see _Reach.take)."""
    vulnerable = frames[0]
    symbol = _symbol(vulnerable)
    level = "symbol" if vulnerable.get("function") else "package" if vulnerable.get("package") else "module"
    file_path, line, trace = None, None, None
    caller = None
    if level == "symbol":
        caller = next((frame for frame in reversed(frames) if _is_mapping(frame.get("position"))), None)
    if caller is not None:
        place = readers.as_mapping(caller.get("position"))
        file_path = values.text(place.get("filename"))
        line = values.line_number(place.get("line"))
        trace = f"{file_path}:{line or '?'}: {_symbol(caller)} calls {symbol}"
    return (
        values.text(vulnerable.get("version")),
        values.text(finding.get("fixed_version")),
        level,
        values.text(vulnerable.get("package")),
        symbol,
        file_path,
        str(line) if line else None,
        trace,
    )


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
