"""ESLint JSON (``eslint -f json`` and ``eslint -f json-with-metadata``).

Variants read: the ``json`` formatter's array of files, each with ``filePath`` and
its ``messages`` (ESLint 1 to 9; before ESLint 7 each message could carry the
flagged line as ``source``; since 8 a file may hold ``suppressedMessages``, which
are not findings), and ``json-with-metadata`` (ESLint 8+): the same array as
``results``, with ``metadata.rulesMeta`` (each rule's docs description and URL) and
``metadata.cwd``, read by a second pass because they stand after the results.

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

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

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
        first, source = readers.first_byte(stream)
        repeats = grouping.RepeatCounter()
        if first == b"{":
            reader = readers.JsonReader(source, ["results.item"], late=["metadata"], required=["results"])
            for record in reader:
                metadata = readers.as_mapping(record.context.get("metadata"))
                yield from _file(record.value, record.position, metadata, repeats)
            return
        for position, item in readers.iter_json(source, "item", required=True):
            yield from _file(item, position, {}, repeats)


def _file(
    item: object, position: str, metadata: Mapping[str, Any], repeats: grouping.RepeatCounter
) -> Iterator[NormalizedFinding]:
    entry = readers.expect_mapping(item, position)
    if "filePath" not in entry or "messages" not in entry:
        raise MalformedReport(
            "a result has no filePath or messages; it may be another tool's report", position=position
        )
    path = str(entry["filePath"])
    messages = readers.expect_list(entry["messages"], f"{position}.messages")
    if not messages:
        return
    source = entry.get("source")
    lines = source.splitlines() if isinstance(source, str) and len(source) <= SOURCE_LIMIT else []
    shown_path = _relative(path, values.text(metadata.get("cwd")))
    rules = readers.as_mapping(metadata.get("rulesMeta"))
    for number, value in enumerate(messages):
        where = f"{position}.messages[{number}]"
        message = readers.expect_mapping(value, where)
        yield _finding(message, shown_path, lines, rules, repeats)


def _finding(
    message: Mapping[str, Any],
    path: str,
    lines: list[str],
    rules: Mapping[str, Any],
    repeats: grouping.RepeatCounter,
) -> NormalizedFinding:
    rule_id = values.text(message.get("ruleId"))
    text_of_message = values.text(message.get("message")) or ""
    line = values.line_number(message.get("line"))
    end = values.line_number(message.get("endLine"))
    code = lines[line - 1] if line is not None and line <= len(lines) else str(message.get("source") or "")
    anchor = " ".join(code.split()) or text_of_message
    occurrence = repeats.number(grouping.fingerprint(rule_id, path, anchor), line)
    severity = values.as_int(message.get("severity"))
    meta = readers.as_mapping(rules.get(rule_id)) if rule_id else {}
    docs = readers.as_mapping(meta.get("docs"))
    column = values.as_int(message.get("column"))
    end_column = values.as_int(message.get("endColumn"))
    span = f"{line}:{column}-{end}:{end_column}" if line is not None and column is not None else ""
    is_fatal = message.get("fatal") is True
    return NormalizedFinding(
        title=text.title(text_of_message or rule_id),
        severity=SEVERITIES.get(severity, Severity.INFO) if severity is not None else Severity.INFO,
        tool=TOOL,
        rule_id=text.clip(rule_id, 500) if rule_id else None,
        description=text.clip(
            "\n\n".join(
                part for part in (text_of_message, values.text(docs.get("description")) or "") if part
            )
        ),
        location=FindingLocation(
            file_path=path,
            line_start=line,
            line_end=end if end is not None and line is not None and end >= line else line,
            component=values.text(message.get("nodeType")),
        ),
        evidence=text.clip(
            "\n".join(part for part in (f"{span}: {code.strip()}" if code.strip() else span,) if part)
        ),
        references=tuple(url for url in (values.text(docs.get("url")),) if url),
        tags=tuple(
            filter(
                None,
                [
                    "parse-error" if is_fatal else "",
                    f"message_id:{message['messageId']}" if message.get("messageId") else "",
                ],
            )
        ),
        fingerprint=grouping.fingerprint(TOOL, rule_id, path, anchor, *((occurrence,) if occurrence else ())),
    )


def _relative(path: str, cwd: str | None) -> str:
    """Return ``path`` relative to the directory ESLint ran in, when it lies below it."""
    if cwd:
        base = cwd.rstrip("/\\")
        if path.startswith((f"{base}/", f"{base}\\")):
            return path[len(base) + 1 :]
    return path


PARSER = EslintParser()
