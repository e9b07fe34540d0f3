"""ESLint JSON (``eslint -f json`` and ``eslint -f json-with-metadata``).

Variants read: the ``json`` formatter's array of files, each with ``filePath`` and
its ``messages`` (ESLint 1 to 9; before ESLint 7 each message could carry the
flagged line as ``source``; since 8 a file may hold ``suppressedMessages``, which
are not findings), and ``json-with-metadata`` (ESLint 8+): the same array as
``results``, with ``metadata.rulesMeta`` (each rule's docs description and URL) and
``metadata.cwd``, read by a second pass because they stand after the results.

The messages are streamed one at a time (a generated or bundled file can have
thousands). A file's ``source``, which ESLint writes after its messages, is read
by a second reader walking the same report alongside (a stream that cannot seek is
copied to a temporary file first): memory follows the largest source or message,
never a file's count of messages.

A finding is a message: its rule (``ruleId``; none for a fatal parsing error,
tagged ``parse-error``), file, line and column span. Files without messages yield
nothing. An empty array (no files linted) is claimed weakly by detection: pip-audit
before 2.0 writes the same for no dependencies, and its claim is the stronger.

Severity: ESLint's levels as DefectDojo maps them: 2 (error) is high, 1 (warning)
medium, anything else info.

Fingerprint: rule id, file path (relative to ``metadata.cwd`` when the report
gives it) and the flagged line's text with whitespace folded (from the file's
``source``, or the message's own ``source``), else the message; the same code
flagged by one rule at several lines of a file is numbered in report order (see
``RepeatCounter``) — never the line number itself.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO, cast

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "eslint"
SEVERITIES: Mapping[int, Severity] = {2: Severity.HIGH, 1: Severity.MEDIUM}
_EMPTY_ARRAY = re.compile(r"^\[\s*\]\s*$")
# The most of a file's source split to find flagged lines; a larger file's lines are not read.
SOURCE_LIMIT = 5_000_000


class EslintParser(ReportParser):
    """ESLint's JSON report, plain and with metadata."""

    name = "eslint"
    label = "ESLint JSON"
    defectdojo_scan_types = ("ESLint Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        has_file = '"filePath"' in text and '"messages"' in text
        if text.startswith("[") and has_file:
            return 90 if '"errorCount"' in text or '"warningCount"' in text else 70
        if text.startswith("{") and has_file and '"results"' in text:
            return 90
        if text.startswith("{") and '"results"' in text and '"rulesMeta"' in text:
            return 85
        return 5 if _EMPTY_ARRAY.match(text) else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, stream = readers.first_byte(stream)
        base = "results.item" if first == b"{" else "item"
        with readers.seekable(stream) as source:
            reader = readers.JsonReader(
                _view(source),
                [f"{base}.filePath", f"{base}.messages.item"],
                late=["metadata"] if base != "item" else [],
                expect={
                    "": "object" if base != "item" else "array",
                    base: "object",
                    f"{base}.messages": "array",
                },
                required=["results"] if base != "item" else [],
            )
            sources = _Sources(_view(source), f"{base}.source")
            repeats = grouping.RepeatCounter()
            current: _File | None = None
            for record in reader:
                index = record.indexes[0]
                if record.prefix.endswith(".filePath"):
                    current = _File(index, str(record.value))
                    continue
                if current is None or current.index != index:
                    raise MalformedReport(
                        "a result has no filePath or messages; it may be another tool's report",
                        position=record.position.rpartition(".messages[")[0],
                    )
                if current.lines is None:
                    metadata = readers.as_mapping(record.context.get("metadata"))
                    current.read(sources.of(index), metadata)
                message = readers.expect_mapping(record.value, record.position)
                yield _finding(message, current.shown_path, current.lines or [], current.rules, repeats)
            if reader.seen & {f"{base}.filePath", base} and f"{base}.messages" not in reader.seen:
                position = "results[0]" if base != "item" else "[0]"
                raise MalformedReport(
                    "a result has no filePath or messages; it may be another tool's report", position=position
                )


class _File:
    """The file whose messages are being read: its path as shown, its source's lines."""

    def __init__(self, index: int, path: str) -> None:
        self.index = index
        self.path = path
        self.shown_path = path
        self.lines: list[str] | None = None  # read at its first message
        self.rules: Mapping[str, Any] = {}

    def read(self, source: object, metadata: Mapping[str, Any]) -> None:
        """Take the file's source and the report's metadata, at the file's first message."""
        has_lines = isinstance(source, str) and len(source) <= SOURCE_LIMIT
        self.lines = source.splitlines() if has_lines and isinstance(source, str) else []
        self.shown_path = _relative(self.path, values.text(metadata.get("cwd")))
        self.rules = readers.as_mapping(metadata.get("rulesMeta"))


class _Sources:
    """The files' ``source`` values, read in file order by a reader of their own."""

    def __init__(self, stream: BinaryIO, prefix: str) -> None:
        self._records = iter(readers.JsonReader(stream, [prefix]))
        self._next: readers.JsonRecord | None = None
        self._done = False

    def of(self, index: int) -> object:
        """Return the source of the file at ``index`` (None if it has none)."""
        while not self._done and (self._next is None or self._next.indexes[0] < index):
            self._next = next(self._records, None)
            self._done = self._next is None
        if self._next is not None and self._next.indexes[0] == index:
            return self._next.value
        return None


class _View(io.RawIOBase):
    """A stream that can seek, read from a position of its own: two readers can share a report."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream = stream
        self._position = stream.tell()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self._position
        elif whence == io.SEEK_END:
            offset += self._stream.seek(0, io.SEEK_END)
        self._position = offset
        return offset

    def readinto(self, buffer: Any) -> int:
        self._stream.seek(self._position)
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)


def _view(stream: BinaryIO) -> BinaryIO:
    return cast(BinaryIO, io.BufferedReader(_View(stream), buffer_size=256 * 1024))


def _finding(
    message: Mapping[str, Any],
    path: str,
    lines: list[str],
    rules: Mapping[str, Any],
    repeats: grouping.RepeatCounter,
) -> NormalizedFinding:
    rule_id = values.text(message.get("ruleId"))
    text_of_message = values.text(message.get("message")) or ""
    line = _line_number(message.get("line"))
    end = _line_number(message.get("endLine"))
    code = lines[line - 1] if line is not None and line <= len(lines) else str(message.get("source") or "")
    anchor = " ".join(code.split()) or text_of_message
    occurrence = repeats.number(grouping.fingerprint(rule_id, path, anchor), line)
    severity = _int(message.get("severity"))
    docs = _docs(rules, rule_id)
    column = _int(message.get("column"))
    end_column = _int(message.get("endColumn"))
    span = f"{line}:{column}-{end}:{end_column}" if line is not None and column is not None else ""
    flagged = code.strip()
    rule_description = values.text(docs.get("description"))
    url = values.text(docs.get("url"))
    tags = ["parse-error"] if message.get("fatal") is True else []
    if message.get("messageId"):
        tags.append(f"message_id:{message['messageId']}")
    return NormalizedFinding(
        title=text.title(text_of_message or rule_id),
        severity=SEVERITIES.get(severity, Severity.INFO) if severity is not None else Severity.INFO,
        tool=TOOL,
        rule_id=text.clip(rule_id, 500) if rule_id else None,
        description=text.clip(
            f"{text_of_message}\n\n{rule_description}"
            if text_of_message and rule_description
            else text_of_message or rule_description or ""
        ),
        location=FindingLocation(
            file_path=path,
            line_start=line,
            line_end=end if end is not None and line is not None and end >= line else line,
            component=values.text(message.get("nodeType")),
        ),
        evidence=text.clip(f"{span}: {flagged}" if flagged else span),
        references=(url,) if url else (),
        tags=tuple(tags),
        fingerprint=grouping.fingerprint(TOOL, rule_id, path, anchor, *((occurrence,) if occurrence else ())),
    )


def _int(value: object) -> int | None:
    """Return values.as_int(value), the usual int first."""
    return value if type(value) is int else values.as_int(value)


def _line_number(value: object) -> int | None:
    """Return values.line_number(value), the usual int first."""
    number = _int(value)
    return number if number is not None and number > 0 else None


def _docs(rules: Mapping[str, Any], rule_id: str | None) -> Mapping[str, Any]:
    """Return a rule's ``docs`` in ``metadata.rulesMeta`` (empty when the report has none)."""
    if not rules or not rule_id:
        return {}
    return readers.as_mapping(readers.as_mapping(rules.get(rule_id)).get("docs"))


def _relative(path: str, cwd: str | None) -> str:
    """Return ``path`` relative to the directory ESLint ran in, when it lies below it."""
    if cwd:
        base = cwd.rstrip("/\\")
        if path.startswith((f"{base}/", f"{base}\\")):
            return path[len(base) + 1 :]
    return path


PARSER = EslintParser()
