"""MobSF: the static analysis JSON report (``/api/v1/report_json``) and mobsfscan's JSON (``--json``).

MobSF's report describes one app (Android APK or iOS IPA) in sections; a finding
is, as DefectDojo reads them:

* ``permissions``: each permission the app asks for (a map by name in Android
  reports, a list of ``name``/``status``/``reason`` in iOS ones): ``dangerous`` is
  high, every other status info;
* ``manifest_analysis`` (a list with ``stat``/``desc`` before MobSF 3.5, a
  ``manifest_findings`` list with ``severity``/``description`` since), and the older
  ``manifest`` list;
* ``code_analysis``: each rule (a map by rule id; since 3.5 under ``findings``)
  with the files and lines it matched: located at the first, every file listed;
* ``binary_analysis``: the checks of each native library (a list per library), or
  the binary's findings (a map by finding; since 3.5 under ``findings``);
* ``certificate_analysis.certificate_findings`` (``[severity, description, title]``),
  ``insecure_connections`` (older reports), ``android_api`` (the APIs the code calls,
  by rule), and the older iOS ``findings`` map.

Each native library's check is its own finding (located at the library), as
DefectDojo makes it. Entries of one section with the same rule (a permission or a
manifest title listed twice) are one finding, counted by ``instances:N``. MobSF's
``ats_analysis``, ``niap_analysis``, trackers and secrets are not read (DefectDojo
does not import them either). Unlike DefectDojo, the pre-3.5 ``manifest_analysis``
list is read: DefectDojo's parser only reads the 3.5 map and drops those findings
("Debug Enabled For App" among them).

mobsfscan's report (``results``: rule id to ``files`` and ``metadata``) gives one
finding per rule and file, at the first line matched, as DefectDojo does.

Severity: MobSF's high, warning (its middle level, medium), medium, low, info;
secure, good and hotspot are info. mobsfscan's ERROR, WARNING, INFO are high,
medium, low.

Fingerprint: the app (package name or bundle id, else file name), the section and
the rule (permission, manifest title, rule id, library and check): not MobSF's
texts, scores or hashes, which change between versions and builds. For mobsfscan, the rule and the file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO, Literal

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "mobsf"

SEVERITIES: Mapping[str, Severity] = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "info": Severity.INFO,
    "secure": Severity.INFO,
    "good": Severity.INFO,
    "hotspot": Severity.INFO,
}
MOBSFSCAN_SEVERITIES: Mapping[str, Severity] = {
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "info": Severity.LOW,
}
# CWE-919, Weaknesses in Mobile Applications: DefectDojo's CWE for findings that name none.
MOBILE_WEAKNESS = 919
# The most places (files, libraries) one finding lists in its evidence.
PLACE_LIMIT = 200
APP_KEYS = ("package_name", "bundle_id", "file_name", "app_name")
# The sections read, and the JSON type each has in any MobSF version.
SECTIONS: Mapping[str, Literal["object", "array", "object or array"]] = {
    "permissions": "object or array",
    "insecure_connections": "array",
    "certificate_analysis": "object",
    "manifest_analysis": "object or array",
    "manifest": "array",
    "code_analysis": "object",
    "binary_analysis": "object or array",
    "android_api": "object",
    "findings": "object",
    "results": "object",
}
ITEMS = (
    "permissions.*",
    "permissions.item",
    "insecure_connections.item",
    "certificate_analysis.certificate_findings.item",
    "manifest_analysis.item",
    "manifest_analysis.manifest_findings.item",
    "manifest.item",
    "code_analysis.*",
    "binary_analysis.item",
    "binary_analysis.*",
    "android_api.*",
    "findings.*",
    "results.*",
)


class MobsfParser(ReportParser):
    """MobSF report JSON and mobsfscan JSON."""

    name = "mobsf"
    label = "MobSF / mobsfscan JSON"
    defectdojo_scan_types = ("MobSF Scan", "Mobsfscan Scan")

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        if '"mobsfscan_version"' in text:
            return 100
        markers = (
            '"dwd_dir"',
            '"host_os"',
            '"average_cvss"',
            '"security_score"',
            '"apkid"',
            '"android_api"',
            '"ios_api"',
            '"exported_activities"',
            '"bundle_id"',
            '"Static Analysis"',
            '"package_name"',
        )
        found = sum(marker in text for marker in markers)
        if '"app_type"' in text and '"file_name"' in text and (found or '"md5"' in text):
            return 90
        return 80 if found >= 3 else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        reader = readers.JsonReader(stream, ITEMS, late=APP_KEYS, expect=SECTIONS)
        groups = grouping.FindingGroups()
        for record in reader:
            app = next((str(record.context[key]) for key in APP_KEYS if record.context.get(key)), "")
            for finding, place in _findings(record, app):
                groups.add(finding.fingerprint, finding, place)
        if not reader.seen & set(SECTIONS):
            raise MalformedReport(
                "the report has no MobSF section (permissions, code_analysis...) nor mobsfscan 'results'; "
                "it may be another tool's report",
                position="top level",
            )
        yield from groups.findings()


def _findings(record: readers.JsonRecord, app: str) -> Iterator[tuple[NormalizedFinding, str]]:
    section = record.prefix.split(".", 1)[0]
    value = record.value
    key = record.key or ""
    position = record.position
    if record.prefix == "results.*":
        yield from _mobsfscan(key, readers.expect_mapping(value, position), position)
    elif section == "permissions":
        yield _permission(key, readers.expect_mapping(value, position), app, position)
    elif section == "insecure_connections":
        urls = "\n".join(part.strip() for part in str(value).split(",") if part.strip())
        yield _make(app, "insecure_connections", "Insecure Connections", Severity.LOW, urls), app
    elif section == "certificate_analysis":
        entry = readers.expect_list(value, position)
        if len(entry) >= 2:
            title = str(entry[2] if len(entry) >= 3 else entry[1])
            yield (
                _make(app, "certificate_analysis", title, _severity(entry[0]), str(entry[1]), rule=title),
                app,
            )
    elif section in ("manifest_analysis", "manifest"):
        yield _manifest(readers.expect_mapping(value, position), app, section)
    elif section in ("code_analysis", "android_api"):
        if key == "findings" and section == "code_analysis":
            for rule, entry in readers.expect_mapping(value, position).items():
                yield _code(str(rule), readers.as_mapping(entry), app, section)
        elif key != "summary" and isinstance(value, dict) and value.get("metadata"):
            yield _code(key, value, app, section)
    elif section == "binary_analysis":
        yield from _binary(record, app)
    elif section == "findings":
        yield _old_finding(key, readers.expect_mapping(value, position), app)


def _severity(word: object) -> Severity:
    return SEVERITIES.get(str(word or "").strip().lower(), Severity.INFO)


def _make(
    app: str,
    section: str,
    title: str,
    severity: Severity,
    description: str,
    *,
    rule: str | None = None,
    cwe: object = None,
    file_path: str | None = None,
    line: int | None = None,
    evidence: str = "",
    tags: tuple[str, ...] = (),
) -> NormalizedFinding:
    """Build a finding of the app; ``rule`` (else the section) is its identity in the fingerprint."""
    cwe_ids = values.cwe_ids([cwe]) or (MOBILE_WEAKNESS,)
    return NormalizedFinding(
        title=text.title(text.html_text(title)),
        severity=severity,
        tool=TOOL,
        rule_id=text.clip(rule or section, 500),
        description=text.clip(text.html_text(description) if "<" in description else description.strip()),
        cwe_ids=cwe_ids,
        location=FindingLocation(component=app or None, file_path=file_path or None, line_start=line),
        evidence=text.clip(evidence),
        tags=(f"category:{section}", *tags),
        fingerprint=grouping.fingerprint(TOOL, app, section, rule or title),
    )


def _permission(
    name: str, details: Mapping[str, Any], app: str, position: str
) -> tuple[NormalizedFinding, str]:
    name = name or str(details.get("name") or "")
    if not name:
        raise MalformedReport("permission has no name", position=position)
    status = str(details.get("status") or "")
    description = "\n\n".join(
        filter(
            None,
            [
                f"Permission: {name} ({status})" if status else f"Permission: {name}",
                str(details.get("info") or ""),
                str(details.get("description") or ""),
                f"Reason: {details['reason']}" if details.get("reason") else "",
            ],
        )
    )
    severity = Severity.HIGH if status == "dangerous" else Severity.INFO
    return _make(app, "permissions", name, severity, description, rule=name), app


def _manifest(entry: Mapping[str, Any], app: str, section: str) -> tuple[NormalizedFinding, str]:
    title = str(entry.get("title") or entry.get("name") or "")
    rule = str(entry.get("rule") or "")
    components = [str(component) for component in entry.get("component") or [] if component]
    finding = _make(
        app,
        section,
        title,
        _severity(entry.get("severity") or entry.get("stat")),
        str(entry.get("description") or entry.get("desc") or ""),
        rule=" ".join(text.html_text(title or rule).split()),
        evidence="\n".join(f"- {component}" for component in components[:PLACE_LIMIT]),
    )
    return finding, app


def _files(entry: Mapping[str, Any]) -> list[tuple[str, int | None]]:
    """Return the (file, first line) pairs a rule matched: ``{"path": "3,12"}`` or a list."""
    files = entry.get("files")
    if isinstance(files, dict):
        return [(str(path), values.line_number(str(lines).split(",", 1)[0])) for path, lines in files.items()]
    if isinstance(files, list):
        found = []
        for item in files:
            if isinstance(item, dict) and item.get("file_path"):
                lines = item.get("match_lines") or []
                found.append((str(item["file_path"]), values.line_number(lines[0] if lines else None)))
        return found
    return []


def _code(rule: str, entry: Mapping[str, Any], app: str, section: str) -> tuple[NormalizedFinding, str]:
    metadata = readers.as_mapping(entry.get("metadata"))
    files = _files(entry)
    listing = [f"- {path}:{line}" if line else f"- {path}" for path, line in files[:PLACE_LIMIT]]
    if len(files) > PLACE_LIMIT:
        listing.append(f"- … and {len(files) - PLACE_LIMIT} more")
    description = str(metadata.get("description") or rule)
    tags = tuple(
        f"{name}:{metadata[name]}" for name in ("masvs", "owasp-mobile") if values.text(metadata.get(name))
    )
    first_path, first_line = files[0] if files else (None, None)
    finding = _make(
        app,
        section,
        description,
        _severity(metadata.get("severity")),
        description,
        rule=str(metadata.get("id") or rule),
        cwe=metadata.get("cwe"),
        file_path=first_path,
        line=first_line,
        evidence=f"Files ({len(files)}):\n" + "\n".join(listing) if files else "",
        tags=tags,
    )
    return finding, app


def _binary(record: readers.JsonRecord, app: str) -> Iterator[tuple[NormalizedFinding, str]]:
    value = readers.expect_mapping(record.value, record.position)
    if record.prefix == "binary_analysis.item":
        library = str(value.get("name") or "")
        for check, details in value.items():
            if check == "name" or not isinstance(details, dict):
                continue
            description = str(details.get("description") or check)
            title = description.split(".", 1)[0]
            finding = _make(
                app,
                "binary_analysis",
                title,
                _severity(details.get("severity")),
                description,
                rule=f"{library}:{check}",
                file_path=library,
                evidence=f"Library: {library}" if library else "",
            )
            yield finding, library or app
        return
    key = record.key or ""
    entries = value.items() if key == "findings" else [(key, value)] if key != "summary" else []
    for name, details in entries:
        details = readers.as_mapping(details)
        if not details.get("severity") and not details.get("detailed_desc"):
            continue
        tags = tuple(
            f"{tag}:{details[tag]}" for tag in ("masvs", "owasp-mobile") if values.text(details.get(tag))
        )
        finding = _make(
            app,
            "binary_analysis",
            str(name),
            _severity(details.get("severity")),
            str(details.get("detailed_desc") or details.get("description") or name),
            rule=str(name),
            cwe=details.get("cwe"),
            tags=tags,
        )
        yield finding, app


def _old_finding(title: str, entry: Mapping[str, Any], app: str) -> tuple[NormalizedFinding, str]:
    paths = [str(path) for path in entry.get("path") or [] if path]
    finding = _make(
        app,
        "findings",
        title,
        _severity(entry.get("level")),
        title,
        rule=title,
        file_path=paths[0] if paths else None,
        evidence="\n".join(f"- {path}" for path in paths[:PLACE_LIMIT]),
    )
    return finding, app


def _mobsfscan(
    rule: str, result: Mapping[str, Any], position: str
) -> Iterator[tuple[NormalizedFinding, str]]:
    metadata = readers.as_mapping(result.get("metadata"))
    description = str(metadata.get("description") or rule)
    severity = MOBSFSCAN_SEVERITIES.get(str(metadata.get("severity") or "").lower(), Severity.INFO)
    files = readers.expect_list(result.get("files"), f"{position}.files")
    places: dict[str, tuple[int | None, str]] = {}
    for item in files:
        item = readers.as_mapping(item)
        path = str(item.get("file_path") or "")
        lines = item.get("match_lines") or []
        if path not in places:
            line = values.line_number(lines[0] if isinstance(lines, list) and lines else None)
            places[path] = (line, str(item.get("match_string") or ""))
    references = tuple(text.urls(str(metadata.get("reference") or "")))
    tags = tuple(
        f"{name}:{metadata[name]}" for name in ("masvs", "owasp-mobile") if values.text(metadata.get(name))
    )
    for path, (line, snippet) in places.items() or {"": (None, "")}.items():
        yield (
            NormalizedFinding(
                title=text.title(rule),
                severity=severity,
                tool=TOOL,
                rule_id=rule,
                description=text.clip(description),
                cwe_ids=values.cwe_ids([metadata.get("cwe")]),
                location=FindingLocation(file_path=path or None, line_start=line),
                evidence=text.clip(snippet, 2000),
                references=references,
                tags=("mobsfscan", *tags),
                fingerprint=grouping.fingerprint(TOOL, "mobsfscan", rule, path),
            ),
            f"{path}:{line}" if line else path,
        )


PARSER = MobsfParser()
