"""SonarQube JSON: the Web API's issue and hotspot searches, and ``sonar-report`` JSON.

Three shapes are read, told apart by their findings array:

- ``/api/issues/search``: ``issues`` with ``rule``, ``component``, ``project``,
  ``textRange``, ``hash`` and, after them, ``components`` naming each file's path;
- ``/api/hotspots/search``: ``hotspots`` with ``ruleKey`` and
  ``vulnerabilityProbability``, and ``components`` likewise;
- ``sonar-report --save-report-json`` (the "detailed" report): a ``rules`` map of
  rule names and HTML descriptions, then ``issues``.

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

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
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
                if isinstance(rule, Mapping)
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
    label = "SonarQube JSON"
    defectdojo_scan_types = ("SonarQube Scan", "SonarQube Scan detailed")

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
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
    text_range = text_range if isinstance(text_range, Mapping) else {}
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
        if isinstance(impact, Mapping)
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


PARSER = SonarqubeParser()
