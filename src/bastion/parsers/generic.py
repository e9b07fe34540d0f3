"""Bastion generic findings: a CSV with a header row, or a JSON document.

The format is Bastion's own, for tools Bastion has no parser for; docs/formats/
generic.md is its reference. Both variants carry the same fields:

    title, severity, description, cve, cwe, file_path, line, url, host, port,
    package, package_version, fixed_version, rule_id, tool, fingerprint, references

``title`` and ``severity`` are required; a field Bastion does not know is refused
(by name), never silently dropped. The JSON is
``{"bastion_generic_version": 1, "tool": "...", "findings": [{...}, ...]}``,
streamed finding by finding; the version and tool are read where they stand (at
little cost when they come first, as the format asks). A stream that cannot seek
is copied to a temporary file first.

Severity: critical, high, medium, low or info (the usual synonyms — moderate,
informational, ... — are accepted); anything else is refused.

Fingerprint: the ``fingerprint`` field when given (kept as written, so a tool's
own stable ids carry over), else a hash of tool, rule_id, title and the location
(file_path, line, url, host, port, package). The package version is left out, so
an upgrade that is still vulnerable stays the same finding.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from contextlib import closing
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

FORMAT_VERSION = 1
FIELDS = (
    "title",
    "severity",
    "description",
    "cve",
    "cwe",
    "file_path",
    "line",
    "url",
    "host",
    "port",
    "package",
    "package_version",
    "fixed_version",
    "rule_id",
    "tool",
    "fingerprint",
    "references",
)
REQUIRED = ("title", "severity")
DEFAULT_TOOL = "generic"
_KNOWN = frozenset(FIELDS)
_LIST_SEPARATORS = re.compile(r"[\s,;|]+")
_MAX_FINGERPRINT = 128
_VERSION_KEY = "bastion_generic_version"


class GenericParser(ReportParser):
    """Bastion's generic CSV and JSON findings format."""

    name = "generic"
    label = "Bastion generic findings (CSV or JSON)"
    defectdojo_scan_types = ("Generic Findings Import",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("{"):
            return 100 if '"bastion_generic_version"' in text else 0
        first_line = text.split("\n", 1)[0].rstrip("\r")
        if "," not in first_line:  # title and severity are two columns at least
            return 0
        try:
            header = next(csv.reader([first_line]))
        except csv.Error:
            return 0
        columns = [column.strip().lower() for column in header]
        if set(REQUIRED) <= set(columns) and set(columns) <= _KNOWN:
            return 60
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        if first == b"{":
            with readers.seekable(source) as seekable:
                yield from _parse_json(seekable)
        else:
            yield from _parse_csv(source)


def _parse_json(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    reader = readers.JsonReader(stream, ["findings.item"], late=[_VERSION_KEY, "tool"])
    default_tool: str | None = None
    for record in reader:
        if default_tool is None:
            default_tool = _header_tool(record.context)
        finding = readers.expect_mapping(record.value, record.position)
        yield _finding(_json_values(finding, record.position), default_tool, record.position)
    if default_tool is None:  # no findings: the header must still be right
        _header_tool(reader.document_context())


def _header_tool(header: Mapping[str, Any]) -> str:
    """Check the document's version and return its default tool name."""
    version = header.get(_VERSION_KEY)
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise MalformedReport(
            f"{_VERSION_KEY} must be {FORMAT_VERSION}, found {version!r}", position=_VERSION_KEY
        )
    tool = header.get("tool")
    if tool is not None and not isinstance(tool, str):
        raise MalformedReport(f"tool must be a string, found {type(tool).__name__}", position="tool")
    return _tool_name(tool, "tool")


def _parse_csv(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    with closing(readers.iter_csv(stream)) as rows:
        yield from _csv_findings(rows)


def _csv_findings(rows: Iterator[tuple[int, list[str]]]) -> Iterator[NormalizedFinding]:
    first = next(rows, None)
    if first is None:
        raise MalformedReport(readers.EMPTY_REPORT)
    line, header = first
    columns = _header(header, f"line {line}")
    for line, row in rows:
        position = f"line {line}"
        if len(row) != len(columns):
            raise MalformedReport(
                f"the row has {len(row)} fields, the header {len(columns)}", position=position
            )
        values = {column: cell.strip() or None for column, cell in zip(columns, row, strict=True)}
        yield _finding(values, DEFAULT_TOOL, position)


def _header(header: list[str], position: str) -> list[str]:
    """Return the header's column names, refusing unknown, repeated or missing required ones."""
    columns = [column.strip().lower() for column in header]
    unknown = [column for column in columns if column not in _KNOWN]
    if unknown:
        raise MalformedReport(
            f"unknown columns: {', '.join(repr(column) for column in unknown)}; "
            f"known columns are {', '.join(FIELDS)}",
            position=position,
        )
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    if repeated:
        raise MalformedReport(f"repeated columns: {', '.join(repeated)}", position=position)
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        raise MalformedReport(f"missing required columns: {', '.join(missing)}", position=position)
    return columns


def _json_values(record: Mapping[str, object], position: str) -> dict[str, object]:
    """Return a JSON finding's fields, refusing unknown keys and values of the wrong type."""
    unknown = [str(key) for key in record if key not in _KNOWN]
    if unknown:
        raise MalformedReport(
            f"unknown keys: {', '.join(repr(key) for key in unknown)}; known keys are {', '.join(FIELDS)}",
            position=position,
        )
    values: dict[str, object] = {}
    for key, value in record.items():
        if value is None or value == "":
            continue
        is_list_field = key in ("cve", "cwe", "references")
        if isinstance(value, list) and is_list_field:
            if not all(isinstance(part, str | int) and not isinstance(part, bool) for part in value):
                raise MalformedReport(f"{key} must hold strings", position=f"{position}.{key}")
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            kind = "a string or an array of strings" if is_list_field else "a string"
            raise MalformedReport(
                f"{key} must be {kind}, found {type(value).__name__}", position=f"{position}.{key}"
            )
        values[key] = value
    return values


def _finding(fields: Mapping[str, object], default_tool: str, position: str) -> NormalizedFinding:
    title = _text(fields.get("title"))
    if not title:
        raise MalformedReport("title is required", position=position)
    severity = _severity(fields.get("severity"), position)
    tool = _tool_name(fields.get("tool"), position) if fields.get("tool") is not None else default_tool
    rule_id = _text(fields.get("rule_id")) or None
    line = _number(fields.get("line"), "line", position, 0, None)
    port = _number(fields.get("port"), "port", position, 0, 65535)
    location = FindingLocation(
        file_path=_text(fields.get("file_path")) or None,
        line_start=line,
        line_end=line,
        url=_text(fields.get("url")) or None,
        host=_text(fields.get("host")) or None,
        port=port,
        package=_text(fields.get("package")) or None,
        package_version=_text(fields.get("package_version")) or None,
        fixed_version=_text(fields.get("fixed_version")) or None,
    )
    given = _text(fields.get("fingerprint"))
    if len(given) > _MAX_FINGERPRINT:
        raise MalformedReport(f"fingerprint is longer than {_MAX_FINGERPRINT} characters", position=position)
    fingerprint = given or grouping.fingerprint(
        "generic",
        tool,
        rule_id,
        " ".join(title.split()).lower(),
        location.file_path,
        location.line_start,
        location.url,
        location.host,
        location.port,
        location.package,
    )
    return NormalizedFinding(
        title=text.title(title),
        severity=severity,
        tool=tool,
        rule_id=rule_id,
        advisory_ids=values.advisory_ids([*_parts(fields.get("cve")), rule_id]),
        cwe_ids=values.cwe_ids(_parts(fields.get("cwe"))),
        description=text.clip(_text(fields.get("description"))),
        location=location,
        remediation=f"Upgrade to {location.fixed_version}." if location.fixed_version else "",
        references=tuple(dict.fromkeys(_parts(fields.get("references"), urls=True))),
        fingerprint=fingerprint,
    )


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _parts(value: object, *, urls: bool = False) -> list[str]:
    """Split a list field: a JSON array, or one string separated by spaces (URLs) or , ; |."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(part).strip() for part in value if str(part).strip()]
    separators = re.compile(r"\s+") if urls else _LIST_SEPARATORS
    return [part for part in separators.split(str(value)) if part]


def _severity(value: object, position: str) -> Severity:
    word = _text(value).lower()
    if word not in values.SEVERITY_WORDS:
        raise MalformedReport(
            f"severity {_text(value)!r} is not one of critical, high, medium, low, info",
            position=position,
        )
    return values.SEVERITY_WORDS[word]


def _number(value: object, name: str, position: str, low: int, high: int | None) -> int | None:
    if value is None:
        return None
    number = values.as_int(value)
    if isinstance(value, float) and value.is_integer():
        number = int(value)
    if number is None or number < low or (high is not None and number > high):
        limit = f"{low}-{high}" if high is not None else f"{low} or more"
        raise MalformedReport(f"{name} must be a whole number {limit}, found {value!r}", position=position)
    return number


def _tool_name(value: object, position: str) -> str:
    name = " ".join(_text(value).lower().split())
    if len(name) > 100:
        raise MalformedReport("tool is longer than 100 characters", position=position)
    return name or DEFAULT_TOOL


PARSER = GenericParser()
