"""SonarQube: the Web API's issue and hotspot searches, and ``sonar-report`` JSON and HTML.

Four shapes are read; the JSON ones are told apart by their findings array:

- ``/api/issues/search``: ``issues`` with ``rule``, ``component``, ``project``,
  ``textRange``, ``hash`` and, after them, ``components`` naming each file's path;
- ``/api/hotspots/search``: ``hotspots`` with ``ruleKey`` and
  ``vulnerabilityProbability``, and ``components`` likewise;
- ``sonar-report --save-report-json`` (the "detailed" report): a ``rules`` map of
  rule names and HTML descriptions, then ``issues``;
- ``sonar-report`` HTML (its default output, "SonarQube Vulnerability Report"): a
  "Detail of the Detected Vulnerabilities" table (Rule, Severity, Component, Line,
  Description, Message, a hidden Key; some versions add Status or Type), then a
  "Known Security Rules" table of rule descriptions. Tables are found by their
  header cells, not their place; a table inside a cell is that cell's text. The
  HTML is read with the standard library's ``html.parser`` (a tokenizer: nothing is
  fetched, no script runs), fed in chunks, and refused beyond HTML_LIMIT bytes;
  its rows are kept until the rules table, which follows them, has been read.

The findings are streamed. What they refer to — the ``rules`` map, each
component's path and the server URL — is read where it stands; the components
come after the findings in the API's answers, so a second pass over the report
reads them (a stream that cannot seek is copied to a temporary file first).

Severity: issues' ``BLOCKER`` is critical, ``CRITICAL`` high, ``MAJOR`` medium,
``MINOR`` low and ``INFO`` info; without it (SonarQube 10's standard mode), the worst
of the ``impacts`` severities (``BLOCKER``, ``HIGH``, ``MEDIUM``, ``LOW``, ``INFO``).
Hotspots rate by ``vulnerabilityProbability`` (``HIGH``, ``MEDIUM``, ``LOW``).

Fingerprint: rule key, the file (or component) and SonarQube's ``hash`` of the
flagged line's content — not the line number, which moves whenever lines are added
above. Without a hash (hotspots, ``sonar-report``, findings on the project rather
than a file) the issue ``key`` stands in: SonarQube keeps it from one analysis to
the next. A vulnerable dependency reported by the Dependency-Check plugin
(``Filename: x.jar | Reference: CVE-...``) is anchored on the package name and its
advisory ids instead, as its issues are all on the project.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, BinaryIO, Literal

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

_SEVERITIES: Mapping[str, Severity] = {
    "blocker": Severity.CRITICAL,
    "critical": Severity.HIGH,
    "major": Severity.MEDIUM,
    "minor": Severity.LOW,
    "info": Severity.INFO,
}
_IMPACTS: Mapping[str, Severity] = {
    "blocker": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "info": Severity.INFO,
}
# A dependency named as ``name-1.2.3.jar`` (the Dependency-Check plugin's "Filename").
_ARCHIVE = re.compile(r"^(?P<name>.+?)-(?P<version>\d[\w.+-]*?)\.(?:jar|war|ear|aar|zip|tgz|gem)$")
# The largest HTML report read, and the most text kept of one table cell.
HTML_LIMIT = 64 * 1024 * 1024
CELL_LIMIT = 200_000
HTML_CHUNK = 64 * 1024
_HTML_MARKERS = ("SonarQube Vulnerability Report", "Detail of the Detected Vulnerabilities")
# Where a cell's text breaks a line: the end of these elements.
_BLOCK_TAGS = frozenset({"p", "br", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "div", "tr", "details"})
SHAPE: Mapping[str, Literal["object", "array"]] = {
    "": "object",
    "issues": "array",
    "hotspots": "array",
    "rules": "object",
    "components": "array",
}


@dataclass
class _Survey:
    """What the findings refer to, from elsewhere in the document."""

    rules: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    base_url: str | None = None
    project: str | None = None

    @classmethod
    def of(cls, context: Mapping[str, Any]) -> _Survey:
        """Read the rules map, the components' paths and the server URL."""
        survey = cls(
            rules={
                str(key): rule
                for key, rule in readers.as_mapping(context.get("rules")).items()
                if isinstance(rule, dict)
            },
            base_url=(values.text(context.get("sonarBaseURL")) or "").rstrip("/") or None,
            project=values.text(context.get("sonarComponent")),
        )
        for component in context.get("components") or []:
            component = readers.as_mapping(component)
            key = component.get("key")
            path = component.get("path")
            if not path and component.get("qualifier") in {"FIL", "UTS"}:  # files, test files
                path = component.get("longName")
            if isinstance(key, str) and isinstance(path, str) and path:
                survey.paths[key] = path
        return survey


class SonarqubeParser(ReportParser):
    """SonarQube's issues and hotspots, from its Web API or from sonar-report."""

    name = "sonarqube"
    label = "SonarQube JSON/HTML"
    defectdojo_scan_types = ("SonarQube Scan", "SonarQube Scan detailed")

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("<"):
            is_html = text[:200].lower().startswith(("<!doctype html", "<html"))
            return 90 if is_html and any(marker in text for marker in _HTML_MARKERS) else 0
        if not text.startswith("{"):
            return 0
        if any(key in text for key in ('"sonarComponent"', '"sonarBaseURL"', '"hotspotKeys"')):
            return 95
        if '"hotspots"' in text and '"vulnerabilityProbability"' in text:
            return 95
        api_keys = ('"issues"', '"rule"', '"component"', '"project"')
        paging_keys = ('"paging"', '"effortTotal"', '"textRange"')
        if all(key in text for key in api_keys) and any(key in text for key in paging_keys):
            return 85
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, stream = readers.first_byte(stream)
        if first == b"<":
            yield from _parse_html(stream)
            return
        with readers.seekable(stream) as source:
            reader = readers.JsonReader(
                source,
                ["issues.item", "hotspots.item"],
                late=["rules", "components", "sonarBaseURL", "sonarComponent"],
                expect=SHAPE,
            )
            survey: _Survey | None = None
            for record in reader:
                survey = survey or _Survey.of(record.context)
                finding = readers.expect_mapping(record.value, record.position)
                is_hotspot = record.prefix == "hotspots.item"
                yield _finding(finding, record.position, survey, is_hotspot=is_hotspot)
            if not {"issues", "hotspots"} & reader.seen:
                raise MalformedReport("no issues or hotspots array", position="top level")


def _finding(
    record: Mapping[str, Any], position: str, survey: _Survey, *, is_hotspot: bool
) -> NormalizedFinding:
    rule_value = (record.get("ruleKey") or record.get("rule")) if is_hotspot else record.get("rule")
    if not isinstance(rule_value, str) or not rule_value.strip():
        raise MalformedReport("the finding names no rule", position=position)
    rule_key = rule_value.strip()
    key = values.text(record.get("key"))
    component = str(record.get("component") or "")
    project = values.text(record.get("project")) or survey.project
    rule = survey.rules.get(rule_key, {})
    rule_name = values.text(rule.get("name")) or values.text(record.get("description"))
    message = str(record.get("message") or "").strip()
    rule_text = text.html_text(str(rule.get("htmlDesc") or ""))
    tags = [str(tag) for tag in readers.expect_list(record.get("tags"), f"{position}.tags")]

    text_range = record.get("textRange")
    text_range = text_range if isinstance(text_range, dict) else {}
    line_start = values.line_number(record.get("line")) or values.line_number(text_range.get("startLine"))
    line_end = values.line_number(text_range.get("endLine")) or line_start
    path = survey.paths.get(component)
    if path is None and component and component != project:
        path = component.removeprefix(f"{project}:") if project else component
    dependency = _dependency_check(message)
    package, package_version = _package(dependency.get("filename"))
    advisories = values.advisory_ids([message])

    line_hash = values.text(record.get("hash"))
    heading = None
    if package and advisories:
        # A vulnerable dependency: the package and its advisories name it, run after run.
        heading = f"{', '.join(advisories)} in {dependency['filename']}"
        anchor = f"{package} {' '.join(advisories)}"
    else:
        anchor = line_hash or key or ""
    return NormalizedFinding(
        title=text.title(heading or message or rule_name or rule_key),
        severity=_severity(record, is_hotspot=is_hotspot),
        tool="sonarqube",
        rule_id=rule_key,
        tool_finding_id=key,
        description=text.clip(
            "\n\n".join(dict.fromkeys(part for part in (message, rule_name, rule_text) if part))
        ),
        advisory_ids=advisories,
        cwe_ids=values.cwe_ids([message, *tags, rule_text]),
        location=FindingLocation(
            file_path=path,
            line_start=line_start,
            line_end=line_end,
            component=project or (component or None),
            package=package,
            package_version=package_version,
        ),
        references=_references(survey.base_url, rule_key),
        tags=tuple(dict.fromkeys(_tags(record, tags))),
        fingerprint=grouping.fingerprint("sonarqube", rule_key, path or component, anchor),
    )


def _severity(record: Mapping[str, Any], *, is_hotspot: bool) -> Severity:
    if is_hotspot:
        probability = str(record.get("vulnerabilityProbability") or "").strip().lower()
        return _IMPACTS.get(probability, Severity.MEDIUM)
    severity = _SEVERITIES.get(str(record.get("severity") or "").strip().lower())
    if severity is not None:
        return severity
    impacts = record.get("impacts")
    rated = [
        _IMPACTS.get(str(impact.get("severity") or "").strip().lower(), Severity.INFO)
        for impact in (impacts if isinstance(impacts, list) else [])
        if isinstance(impact, dict)
    ]
    return max(rated, key=lambda rating: rating.rank, default=Severity.INFO)


def _dependency_check(message: str) -> dict[str, str]:
    """Return the ``Key: value`` fields of a Dependency-Check plugin message, lower-cased keys.

    Its messages read ``Filename: x.jar | Reference: CVE-... | CVSS Score: 6.4 | ...``.
    """
    if not message.startswith("Filename:"):
        return {}
    fields: dict[str, str] = {}
    for part in message.split(" | "):
        name, separator, value = part.partition(":")
        if separator:
            fields.setdefault(name.strip().lower(), value.strip())
    return fields


def _package(filename: str | None) -> tuple[str | None, str | None]:
    """Return the name and version in ``name:version`` or ``name-1.2.3.jar``."""
    if not filename:
        return None, None
    archive = _ARCHIVE.match(filename)
    if archive:
        return archive["name"], archive["version"]
    name, separator, version = filename.rpartition(":")
    if separator and name and version:
        return name, version
    return filename, None


def _references(base_url: str | None, rule_key: str) -> tuple[str, ...]:
    if not base_url:
        return ()
    return (f"{base_url}/coding_rules?open={rule_key}&rule_key={rule_key}",)


def _tags(record: Mapping[str, Any], tags: list[str]) -> list[str]:
    found = list(tags)
    for name in ("type", "status", "resolution", "securityCategory"):
        value = values.text(record.get(name))
        if value:
            found.append(f"{name.lower()}:{value.lower()}")
    return found


class _Tables(HTMLParser):
    """Collect the rows of an HTML document's outermost tables, as text cells.

    A row's cells are plain text (tags dropped, entities decoded, block elements
    ending lines); a table inside a cell adds its text to that cell. Each table is
    a list of rows, its header row first.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._depth = 0  # tables open, the outermost counted as 1
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._size = 0
        self._skipped = 0  # inside <style> or <script>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skipped += 1
        elif tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append([])
        elif self._depth == 1 and tag == "tr":
            self._row = []
        elif self._depth == 1 and tag in ("td", "th") and self._row is not None:
            self._cell, self._size = [], 0
        elif tag == "br":
            self._text("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skipped = max(0, self._skipped - 1)
        elif tag == "table":
            self._depth = max(0, self._depth - 1)
            self._text("\n")
        elif self._depth == 1 and tag in ("td", "th") and self._row is not None and self._cell is not None:
            lines = (" ".join(line.split()) for line in "".join(self._cell).splitlines())
            self._row.append("\n".join(line for line in lines if line))
            self._cell = None
        elif self._depth == 1 and tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag in _BLOCK_TAGS:
            self._text("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipped:
            self._text(data)

    def _text(self, data: str) -> None:
        if self._cell is not None and self._size < CELL_LIMIT:
            self._cell.append(data[: CELL_LIMIT - self._size])
            self._size += len(data)


def _parse_html(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    """Yield the findings of sonar-report's HTML report (see the module docstring)."""
    tables = _Tables()
    size = 0
    while chunk := stream.read(HTML_CHUNK):
        size += len(chunk)
        if size > HTML_LIMIT:
            raise MalformedReport(f"the HTML report is larger than the limit of {HTML_LIMIT:,} bytes")
        tables.feed(chunk.decode("utf-8", "replace"))
    tables.close()
    issues: list[dict[str, str]] = []
    rules: dict[str, Mapping[str, Any]] = {}
    found_issue_table = False
    for rows in tables.tables:
        header = [cell.strip().lower() for cell in rows[0]] if rows else []
        body = [dict(zip(header, row, strict=False)) for row in rows[1:]]
        if {"rule", "severity", "component"} <= set(header):
            found_issue_table = True
            issues.extend(body)
        elif header == ["rule", "description"]:
            for row in body:
                rule = (row.get("rule") or "").strip()
                if rule:
                    rules[rule] = {
                        "htmlDesc": "<br>".join(map(html.escape, row.get("description", "").splitlines()))
                    }
    if not found_issue_table:
        raise MalformedReport(
            "no table of issues (Rule, Severity, Component); it may be another tool's report",
            position="top level",
        )
    survey = _Survey(rules=rules)
    for index, row in enumerate(issues):
        position = f"issue[{index}]"
        record = {
            "rule": row.get("rule", ""),
            "severity": row.get("severity"),
            "component": row.get("component"),
            "line": row.get("line"),
            "description": row.get("description"),
            "message": row.get("message"),
            "key": row.get("key"),
            "status": row.get("status"),
            "type": row.get("type"),
        }
        yield _finding(record, position, survey, is_hotspot=False)


PARSER = SonarqubeParser()
