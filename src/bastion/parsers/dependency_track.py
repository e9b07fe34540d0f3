"""Dependency-Track Finding Packaging Format (FPF) JSON, the project findings export.

An FPF document (``version`` 1.0 to 1.2, Dependency-Track 3.4 onwards) has
``meta`` (``application: "Dependency-Track"``, its version, the server's
``baseUrl``), the ``project`` and ``findings``: one entry per vulnerability of
one component, with the ``component`` (``name``, ``version``, ``purl``...), the
``vulnerability`` (``vulnId``, ``source``, ``severity``, ``cvssV3Vector``/
``cvssV3BaseScore``, ``cvssV4Vector``/``cvssV4Score`` since 4.13, ``cweId`` and
``cwes``, ``aliases`` since 4.5, ``description``, ``recommendation``,
``references``), the ``analysis`` (``state``, ``isSuppressed``) and ``matrix``
(project:component:vulnerability UUIDs). Each entry is one finding, as
Dependency-Track lists it; a project exported with no findings may leave out
``findings``, which is then a report without findings (its ``meta`` still says
Dependency-Track). The findings are streamed one at a time.

Severity: Dependency-Track's word (CRITICAL, HIGH, MEDIUM, LOW, INFO); UNASSIGNED
takes the CVSS v3 (then v4) base score, else info. An analysis ``state`` other than
NOT_SET (FALSE_POSITIVE, NOT_AFFECTED, EXPLOITABLE...) and a suppression are kept
as tags, so they are not lost.

Fingerprint: the component's purl (else its name and version) and the vulnerability's
source and id. Not Dependency-Track's UUIDs, which differ between servers and are
new when a project is re-created.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "dependency_track"
APPLICATION = re.compile(r'"application"\s*:\s*"Dependency-Track"')
# The alias keys Dependency-Track writes, one per vulnerability source.
# A URL in the Markdown of ``references``: "* [https://...](https://...)".
MARKDOWN_URL = re.compile(r"https?://[^\s\[\]()<>\"']+")
ALIAS_KEYS = ("cveId", "ghsaId", "osvId", "sonatypeId", "snykId", "gsdId", "vulnDbId", "internalId")


class DependencyTrackParser(ReportParser):
    """Dependency-Track's Finding Packaging Format export."""

    name = "dependency_track"
    label = "Dependency-Track FPF JSON"
    defectdojo_scan_types = ("Dependency Track Finding Packaging Format (FPF) Export",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        if APPLICATION.search(text):
            return 100
        if '"findings"' in text and '"matrix"' in text and '"vulnId"' in text:
            return 85
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        if not source.seekable():  # the shape is checked as the report is read, once
            yield from _read_checking(source)
            return
        start = source.tell()
        count = 0
        # The findings in C, one at a time (JsonReader's checks of the shape cost a third
        # of the parse): the shape is checked afterwards, when there are none.
        for position, value in readers.iter_json(source, "findings.item"):
            count += 1
            yield _finding(readers.expect_mapping(value, position), position)
        if not count:
            _check_empty(source, first, start)


def _read_checking(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    """Read the findings of a report that cannot be read twice, checking its shape as it goes."""
    reader = readers.JsonReader(
        stream,
        ["findings.item"],
        context=["meta.application"],
        expect={"": "object", "findings": "array"},
    )
    for record in reader:
        yield _finding(readers.expect_mapping(record.value, record.position), record.position)
    if "findings" in reader.seen or "findings.item" in reader.seen:
        return
    if reader.document_context().get("meta.application") != "Dependency-Track":
        raise readers.not_a_report("findings")


def _check_empty(stream: BinaryIO, first: bytes, start: int) -> None:
    """Refuse a document without findings unless it is an FPF object (its findings empty or null)."""
    if first != b"{":
        kinds = {b"[": "list", b'"': "str", b"t": "bool", b"f": "bool", b"n": "NoneType"}
        raise MalformedReport(f"expected an object, found {kinds.get(first, 'float')}", position="top level")
    found = readers.read_values(stream, ["findings", "meta.application"], start=start)
    findings = found.get("findings")
    if findings is not None and not isinstance(findings, list):
        raise MalformedReport(f"expected an array, found {type(findings).__name__}", position="findings")
    if "findings" not in found and found.get("meta.application") != "Dependency-Track":
        raise readers.not_a_report("findings")


def _finding(entry: Mapping[str, Any], position: str) -> NormalizedFinding:
    component = readers.expect_mapping(entry.get("component"), f"{position}.component")
    vulnerability = readers.expect_mapping(entry.get("vulnerability"), f"{position}.vulnerability")
    analysis = readers.as_mapping(entry.get("analysis"))
    name = values.text(component.get("name"))
    vuln_id = values.text(vulnerability.get("vulnId"))
    if name is None:
        raise MalformedReport("a finding's component has no name", position=f"{position}.component")
    if vuln_id is None:
        raise MalformedReport("a finding's vulnerability has no vulnId", position=f"{position}.vulnerability")
    version = values.text(component.get("version"))
    purl = values.text(component.get("purl"))
    source = values.text(vulnerability.get("source")) or ""
    aliases = _aliases(vulnerability.get("aliases"), f"{position}.vulnerability.aliases")
    v3_vector, v3_score = values.cvss3(values.text(vulnerability.get("cvssV3Vector")))
    if v3_score is None:
        v3_score = values.score(vulnerability.get("cvssV3BaseScore"))
    v4_vector, v4_score = values.cvss4(values.text(vulnerability.get("cvssV4Vector")))
    if v4_score is None:
        v4_score = values.score(vulnerability.get("cvssV4Score"))
    severity = _severity(vulnerability.get("severity"), v3_score, v4_score)
    cwes: list[object] = [vulnerability.get("cweId")]
    cwes += [cwe.get("cweId") for cwe in vulnerability.get("cwes") or [] if isinstance(cwe, dict)]
    label = f"{name}:{version}" if version else name
    summary = values.text(vulnerability.get("title"))
    description = "\n\n".join(
        part
        for part in (
            summary,
            values.text(vulnerability.get("subtitle")),
            values.text(vulnerability.get("description")),
            f"Package URL: {purl}" if purl else None,
        )
        if part
    )
    tags = [f"source:{source}"] if source else []
    state = values.text(analysis.get("state"))
    if state and state != "NOT_SET":
        tags.append(f"analysis:{state.lower()}")
    if analysis.get("isSuppressed") is True:
        tags.append("suppressed")
    epss = values.text(vulnerability.get("epssScore"))
    if epss:
        tags.append(f"epss:{epss}")
    return NormalizedFinding(
        title=text.title(
            f"{label} affected by {vuln_id} ({source})" if source else f"{label} affected by {vuln_id}"
        ),
        severity=severity,
        tool=TOOL,
        rule_id=vuln_id,
        tool_finding_id=values.text(vulnerability.get("uuid")),
        advisory_ids=values.advisory_ids([vuln_id, *aliases]),
        cwe_ids=values.cwe_ids(cwes),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        cvss_v4_vector=v4_vector,
        cvss_v4_score=v4_score,
        description=text.clip(description),
        location=FindingLocation(package=name, package_version=version, component=purl),
        remediation=text.clip(vulnerability.get("recommendation")),
        references=tuple(dict.fromkeys(MARKDOWN_URL.findall(str(vulnerability.get("references") or "")))),
        tags=tuple(tags),
        fingerprint=grouping.fingerprint(TOOL, purl or f"{name}@{version or ''}", source, vuln_id),
    )


def _aliases(aliases: object, position: str) -> list[str]:
    """Return the ids of the ``aliases`` array: one object per alias set, one key per source."""
    found: list[str] = []
    for entry in readers.expect_list(aliases, position):
        if isinstance(entry, dict):
            found.extend(str(entry[key]) for key in ALIAS_KEYS if entry.get(key))
    return found


def _severity(word: object, v3_score: float | None, v4_score: float | None) -> Severity:
    if isinstance(word, str) and word.strip().lower() in values.SEVERITY_WORDS:
        return values.severity_from_word(word)
    if word is not None and str(word).strip().upper().startswith("INFO"):
        return Severity.INFO
    return values.severity_from_score(v3_score if v3_score is not None else v4_score)


PARSER = DependencyTrackParser()
