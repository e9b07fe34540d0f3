"""Mend (formerly WhiteSource) SCA and SAST JSON.

Variants, told apart by the array that holds the findings, all read in one pass:

* Unified Agent scan report (``-generateScanReport``): ``libraries``, each library
  with its ``vulnerabilities``; the library's name, ids and version are read where
  they stand (before its vulnerabilities, or by a second pass when written after);
* the vulnerabilities export of the legacy (SaaS) UI and API: ``vulnerabilities``,
  each naming its ``library``, ``project`` and ``product``;
* Mend Platform API 3.0 (``/api/v3.0/.../dependencies/findings``): ``response``,
  each entry a finding of one ``vulnerability`` in one ``component`` of a
  ``project``; the same API's SAST findings (an entry whose ``type`` is the rule,
  with its CWE, and whose ``sharedStep`` is the flagged code) are read too; a
  ``components`` array whose entries hold such a ``response`` is read as well.

One finding per vulnerability entry (per SAST finding). Entries of a library
without vulnerabilities are skipped without being built.

Severity: SCA entries take Mend's CVSS v3 rating (``cvss3_severity``) where given,
else the vulnerability's ``severity`` (CVSS v2 in the agent's report), else the
score's; SAST findings take the finding's (else the rule's) word.

Fingerprint: SCA: the project (where the report names it), the vulnerability id
(CVE, or Mend's ``WS-``/``MSC-`` id) and the library's group and artifact id with
its version taken out, so an upgrade that stays vulnerable stays the same finding.
SAST: the project, the rule, the file and the flagged code (not its line).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO, Literal

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "mend"
LIBRARY = "libraries.item"
LIBRARY_KEYS = ("name", "filename", "artifactId", "groupId", "version", "type")
ITEMS = (
    f"{LIBRARY}.vulnerabilities.item",
    "vulnerabilities.item",
    "response.item",
    "components.item.response.item",
)
ARRAYS = ("libraries", "vulnerabilities", "response", "components")
SHAPE: dict[str, Literal["object", "array"]] = {
    "": "object",
    "libraries": "array",
    "vulnerabilities": "array",
    "response": "array",
    "components": "array",
    f"{LIBRARY}.vulnerabilities": "array",
}
ONLY_EMPTY_VULNERABILITIES = re.compile(r'^\{\s*"vulnerabilities"\s*:\s*\[\s*\]\s*\}\s*$')
AGENT_MARKERS = ('"projectVitals"', '"keyUuid"', '"policyStatistics"', '"vulnerabilityStatistics"')
EXPORT_MARKERS = ('"cvss3_severity"', '"scoreMetadataVector"', '"topFix"', '"allFixes"', '"keyUuid"')
PLATFORM_MARKERS = (
    '"SECURITY_VULNERABILITY"',
    '"findingInfo"',
    '"componentType"',
    '"sharedStep"',
    '"scanId"',
    '"topFix"',
)
UPGRADE_PREFIX = re.compile(r"^\s*upgrade\s+to\s+version\s*:?\s*", re.IGNORECASE)


class MendParser(ReportParser):
    """Mend's SCA and SAST JSON: the agent's scan report, the legacy export, Platform API 3.0."""

    name = "mend"
    label = "Mend JSON"
    defectdojo_scan_types = ("Mend Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        if '"libraries"' in text and sum(marker in text for marker in AGENT_MARKERS) >= 2:
            return 95
        if '"response"' in text and '"supportToken"' in text:
            return 95 if any(marker in text for marker in PLATFORM_MARKERS) else 70
        if '"vulnerabilities"' in text and '"library"' in text:
            if sum(marker in text for marker in EXPORT_MARKERS) >= 2:
                return 90
        if ONLY_EMPTY_VULNERABILITIES.match(text):
            return 10  # what the export writes for a clean project: nothing else claims so bare a document
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        with readers.seekable(stream) as source:
            library_keys = [f"{LIBRARY}.{key}" for key in LIBRARY_KEYS]
            reader = readers.JsonReader(
                source,
                ITEMS,
                context=[*library_keys, "components.item.name"],
                late=library_keys,
                expect=SHAPE,
            )
            for record in reader:
                entry = readers.expect_mapping(record.value, record.position)
                if record.prefix.startswith("response") or record.prefix.startswith("components"):
                    yield _platform_entry(entry, record.position)
                else:
                    yield _vulnerability(entry, record.context, record.position)
            if not reader.seen & set(ARRAYS):
                raise MalformedReport(
                    "the report has no 'libraries', 'vulnerabilities' or 'response'; "
                    "it may be another tool's report",
                    position="top level",
                )


def _vulnerability(entry: Mapping[str, Any], library: Mapping[str, Any], position: str) -> NormalizedFinding:
    """Build the finding of a vulnerability of the agent's report or the legacy export."""
    own = entry.get("library")
    if own is not None:
        library = readers.expect_mapping(own, f"{position}.library")
    library_name = (
        values.text(library.get("filename"))
        or values.text(library.get("name"))
        or values.text(library.get("artifactId"))
    )
    paths = [
        str(location.get("path"))
        for location in readers.expect_list(entry.get("locations"), f"{position}.locations")
        if isinstance(location, dict) and values.text(location.get("path"))
    ] + [
        str(source.get("localPath"))
        for source in readers.expect_list(entry.get("sourceFiles"), f"{position}.sourceFiles")
        if isinstance(source, dict) and values.text(source.get("localPath"))
    ]
    words = (entry.get("cvss3_severity"), entry.get("severity"))
    scores = (entry.get("cvss3_score"), entry.get("score"))
    return _sca_finding(
        entry,
        position,
        vulnerability_id=values.text(entry.get("name")),
        description=values.text(entry.get("description")),
        library_name=library_name,
        group=values.text(library.get("groupId")),
        artifact=values.text(library.get("artifactId")) or values.text(library.get("name")),
        version=values.text(library.get("version")),
        library_type=values.text(library.get("type")),
        project=values.text(entry.get("project")),
        severity=_severity(words, values.score(scores[0]) or values.score(scores[1])),
        cvss3_score=values.score(entry.get("cvss3_score")),
        paths=paths,
        urls=[entry.get("url")],
    )


def _platform_entry(entry: Mapping[str, Any], position: str) -> NormalizedFinding:
    """Build the finding of a Platform API 3.0 entry, SCA or SAST."""
    if "component" in entry or "vulnerability" in entry:
        return _platform_vulnerability(entry, position)
    if isinstance(entry.get("type"), Mapping) or "sharedStep" in entry:
        return _sast_finding(entry, position)
    raise MalformedReport(
        "an entry of 'response' is neither a dependency nor a code finding; "
        "it may be another Mend API's response",
        position=position,
    )


def _platform_vulnerability(entry: Mapping[str, Any], position: str) -> NormalizedFinding:
    component = readers.expect_mapping(entry.get("component") or {}, f"{position}.component")
    vulnerability = readers.expect_mapping(entry.get("vulnerability") or {}, f"{position}.vulnerability")
    project = readers.as_mapping(entry.get("project"))
    application = readers.as_mapping(entry.get("application"))
    finding_info = readers.as_mapping(entry.get("findingInfo"))
    threat = readers.as_mapping(entry.get("threatAssessment"))
    scoring = [
        readers.expect_mapping(item, f"{position}.vulnerability.vulnerabilityScoring[{index}]")
        for index, item in enumerate(
            readers.expect_list(
                vulnerability.get("vulnerabilityScoring"), f"{position}.vulnerability.vulnerabilityScoring"
            )
        )
    ]
    cvss3 = next((item for item in scoring if str(item.get("type") or "").upper() == "CVSS_3"), {})
    words = (cvss3.get("severity"), vulnerability.get("severity"))
    score = values.score(cvss3.get("score")) or values.score(vulnerability.get("score"))
    status = values.text(finding_info.get("status"))
    extra_tags = [
        f"status:{status.lower()}" if status else "",
        f"dependency:{values.text(component.get('dependencyType'))}"
        if component.get("dependencyType")
        else "",
        "exploitable" if str(entry.get("exploitable")).lower() == "true" else "",
        f"exploit:{threat['exploitCodeMaturity'].lower()}"
        if values.text(threat.get("exploitCodeMaturity")) not in (None, "NOT_DEFINED")
        else "",
    ]
    return _sca_finding(
        entry,
        position,
        vulnerability_id=values.text(vulnerability.get("name")) or values.text(entry.get("name")),
        description=values.text(vulnerability.get("description")),
        library_name=values.text(component.get("name")) or values.text(component.get("artifactId")),
        group=values.text(component.get("groupId")),
        artifact=values.text(component.get("artifactId")) or values.text(component.get("name")),
        version=values.text(component.get("version")),
        library_type=values.text(component.get("libraryType")),
        project=values.text(project.get("name")),
        application=values.text(application.get("name")),
        severity=_severity(words, score),
        cvss3_score=score if cvss3 or str(vulnerability.get("type") or "").upper() == "CVSS_3" else None,
        paths=[path for path in [values.text(component.get("path"))] if path],
        urls=[],
        extra_tags=[tag for tag in extra_tags if tag],
    )


def _sca_finding(
    entry: Mapping[str, Any],
    position: str,
    *,
    vulnerability_id: str | None,
    description: str | None,
    library_name: str | None,
    group: str | None,
    artifact: str | None,
    version: str | None,
    library_type: str | None,
    project: str | None,
    severity: Severity,
    cvss3_score: float | None,
    paths: list[str],
    urls: list[object],
    application: str | None = None,
    extra_tags: list[str] | None = None,
) -> NormalizedFinding:
    """Build an SCA finding from what every variant says of a vulnerability in a library."""
    if vulnerability_id is None:
        raise MalformedReport("a vulnerability has no name (its CVE or Mend id)", position=position)
    vector, vector_score = values.cvss3(values.text(entry.get("scoreMetadataVector")))
    top_fix = readers.as_mapping(entry.get("topFix"))
    fixes = [top_fix, *(readers.as_mapping(fix) for fix in _list(entry.get("allFixes")))]
    references: list[object] = [*urls, *(fix.get("url") for fix in fixes)]
    for reference in _list(entry.get("references")):
        references.append(reference.get("url") if isinstance(reference, dict) else reference)
    remediation, fixed_version = _fix(top_fix)
    package = artifact
    return NormalizedFinding(
        title=text.title(f"{vulnerability_id} in {library_name}" if library_name else vulnerability_id),
        severity=severity,
        tool=TOOL,
        rule_id=vulnerability_id,
        description=text.clip(description or ""),
        advisory_ids=values.advisory_ids([vulnerability_id]),
        cvss_v3_vector=vector,
        cvss_v3_score=vector_score if vector is not None else cvss3_score,
        location=FindingLocation(
            file_path=paths[0] if paths else None,
            package=package,
            package_version=version,
            fixed_version=fixed_version,
            component=project,
        ),
        evidence=text.clip("\n".join(dict.fromkeys(paths))),
        remediation=text.clip(remediation),
        references=tuple(dict.fromkeys(str(value) for value in references if values.text(value))),
        tags=tuple(
            filter(
                None,
                [
                    library_type or "",
                    f"application:{application}" if application else "",
                    *(extra_tags or []),
                ],
            )
        ),
        fingerprint=grouping.fingerprint(
            TOOL, project, vulnerability_id, _unversioned(group, version), _unversioned(artifact, version)
        ),
    )


def _sast_finding(entry: Mapping[str, Any], position: str) -> NormalizedFinding:
    """Build the finding of a Mend SAST (Platform) finding."""
    rule = readers.expect_mapping(entry.get("type") or {}, f"{position}.type")
    step = readers.expect_mapping(entry.get("sharedStep") or {}, f"{position}.sharedStep")
    cwe = rule.get("cwe")
    rule_id = (
        values.text(rule.get("sarif")) or values.text(rule.get("commonId")) or values.text(rule.get("id"))
    )
    rule_name = values.text(rule.get("name")) or rule_id or "Mend SAST finding"
    file_path = values.text(step.get("file"))
    line = values.line_number(step.get("line"))
    snippet = values.text(step.get("snippet"))
    flows = [
        readers.expect_mapping(flow, f"{position}.dataFlows[{index}]")
        for index, flow in enumerate(readers.expect_list(entry.get("dataFlows"), f"{position}.dataFlows"))
    ]
    evidence = [f"{file_path}:{line}: {snippet}" if file_path and line else snippet or ""]
    for flow in flows[:1]:
        for step_index, item in enumerate(_list(flow.get("inputFlow"))):
            if isinstance(item, dict):
                evidence.append(
                    f"{step_index + 1}. {values.text(item.get('file')) or ''}:"
                    f"{values.line_number(item.get('line')) or ''} {values.text(item.get('snippet')) or ''}"
                )
    recommendations = [str(item) for item in _list(rule.get("recommendations")) if values.text(item)]
    words = (entry.get("severity"), rule.get("severity"))
    return NormalizedFinding(
        title=text.title(f"{rule_name} in {file_path}" if file_path else rule_name),
        severity=_severity(words, None),
        tool=TOOL,
        rule_id=rule_id,
        tool_finding_id=values.text(entry.get("id")),
        description=text.clip(
            "\n\n".join(
                part
                for part in (values.text(entry.get("description")), values.text(rule.get("description")))
                if part
            )
        ),
        cwe_ids=values.cwe_ids([cwe.get("id") if isinstance(cwe, dict) else cwe]),
        location=FindingLocation(
            file_path=file_path,
            line_start=line,
            line_end=line,
            component=values.text(entry.get("projectName")),
        ),
        evidence=text.clip("\n".join(part for part in evidence if part)),
        remediation=text.clip("\n".join(recommendations)),
        references=tuple(
            dict.fromkeys(str(value) for value in _list(rule.get("references")) if values.text(value))
        ),
        tags=tuple(
            filter(
                None,
                [
                    "sast",
                    values.text(rule.get("language")) or "",
                    "suppressed" if entry.get("suppressed") is True else "",
                ],
            )
        ),
        fingerprint=grouping.fingerprint(
            TOOL,
            values.text(entry.get("projectId")),
            rule_id,
            file_path,
            values.text(step.get("name")),
            " ".join((snippet or "").split()),
        ),
    )


def _severity(words: tuple[object, ...], score: float | None) -> Severity:
    """Return the first severity word given, else the score's."""
    for word in words:
        if values.text(word) is not None:
            return values.severity_from_word(word, values.severity_from_score(score))
    return values.severity_from_score(score)


def _fix(top_fix: Mapping[str, Any]) -> tuple[str, str | None]:
    """Return the remediation text of Mend's top fix and, for an upgrade, the version to upgrade to."""
    resolution = values.text(top_fix.get("fixResolution"))
    message = values.text(top_fix.get("message"))
    if resolution is None:
        return message or "", None
    if resolution.lower() in ("no_fix", "no fix"):
        return "No fix is available.", None
    remediation = resolution
    if message and not resolution.lower().startswith(message.lower()):
        remediation = f"{message}: {resolution}"
    is_upgrade = str(top_fix.get("type") or "").upper() == "UPGRADE_VERSION"
    return remediation, (UPGRADE_PREFIX.sub("", resolution) or None) if is_upgrade else None


def _unversioned(identifier: str | None, version: str | None) -> str | None:
    """Return a library id without its version (``commons-codec-1.6.jar`` -> ``commons-codec-.jar``)."""
    if not identifier or not version:
        return identifier
    return identifier.replace(version, "")


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


PARSER = MendParser()
