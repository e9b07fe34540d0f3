"""Retire.js JSON (``retire --outputformat json``), the 2.x+ object and the 1.x array.

Retire.js 2 and later write ``{"version", "start", "data": [...], "messages",
"errors", "time"}``; Retire.js 1 wrote the ``data`` array alone. Each entry of
``data`` is a scanned ``file`` (JavaScript files; dependency scans of old
versions have none) with ``results``: a detected library (``component``,
``version``, ``detection``) and its ``vulnerabilities``, each with ``severity``,
``identifiers`` (``summary``, ``CVE``, ``githubID``, ``issue``, ``bug``...),
``info`` (reference URLs), ``below``/``atOrAbove`` (the vulnerable range) and,
in recent versions, ``cwe``. Each vulnerability of a library in a file is one
finding; Retire.js lists some advisories twice under one summary and the same
references (two CVEs for one jQuery fix), which make one finding with both ids,
as DefectDojo counts them. The files are streamed one at a time.

Severity: Retire.js's words (low, medium, high, critical).

Fingerprint: the file, the library and the advisory's summary (else its ids). Not
the library's version, which changes while the same advisory stays open.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "retirejs"
# CWE-1395: Dependency on Vulnerable Third-Party Component, for advisories naming no CWE.
VULNERABLE_COMPONENT_CWE = 1395
ID_KEYS = ("CVE", "githubID", "osvdb", "issue", "bug", "PR", "retid", "gist", "tenable")


class RetireJsParser(ReportParser):
    """Retire.js's JSON report."""

    name = "retirejs"
    label = "Retire.js JSON"
    defectdojo_scan_types = ("Retire.js Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith(("{", "[")):
            return 0
        has_results = '"results"' in text and '"component"' in text
        if has_results and '"vulnerabilities"' in text and '"identifiers"' in text:
            return 90
        if text.startswith("{") and '"data"' in text and '"start"' in text and '"errors"' in text:
            return 60 if has_results or '"data": []' in text or '"data":[]' in text else 0
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, stream = readers.first_byte(stream)
        prefix = "item" if first == b"[" else "data.item"
        for position, item in readers.iter_json(stream, prefix, required=True):
            entry = readers.expect_mapping(item, position)
            if "results" not in entry:
                raise MalformedReport("a scanned file has no results", position=position)
            file_path = values.text(entry.get("file"))
            for number, result in enumerate(readers.expect_list(entry.get("results"), f"{position}.results")):
                where = f"{position}.results[{number}]"
                yield from _library_findings(readers.expect_mapping(result, where), where, file_path)


def _library_findings(
    result: Mapping[str, Any], where: str, file_path: str | None
) -> Iterator[NormalizedFinding]:
    component = values.text(result.get("component"))
    if component is None:
        raise MalformedReport("a result names no component", position=where)
    version = values.text(result.get("version"))
    merged: dict[tuple[str, tuple[str, ...]], list[Mapping[str, Any]]] = {}
    for number, item in enumerate(
        readers.expect_list(result.get("vulnerabilities"), f"{where}.vulnerabilities")
    ):
        vulnerability = readers.expect_mapping(item, f"{where}.vulnerabilities[{number}]")
        identifiers = readers.as_mapping(vulnerability.get("identifiers"))
        info = tuple(str(url) for url in readers.expect_list(vulnerability.get("info"), f"{where}.info"))
        summary = values.text(identifiers.get("summary")) or " ".join(_ids(identifiers))
        merged.setdefault((summary, info), []).append(vulnerability)
    for (summary, info), vulnerabilities in merged.items():
        yield _finding(component, version, file_path, summary, info, vulnerabilities)


def _finding(
    component: str,
    version: str | None,
    file_path: str | None,
    summary: str,
    info: tuple[str, ...],
    vulnerabilities: list[Mapping[str, Any]],
) -> NormalizedFinding:
    first = vulnerabilities[0]
    ids: list[str] = []
    cwes: list[object] = []
    for vulnerability in vulnerabilities:
        ids.extend(_ids(readers.as_mapping(vulnerability.get("identifiers"))))
        cwe = vulnerability.get("cwe")
        cwes.extend(cwe if isinstance(cwe, list) else [cwe])
    below, at_or_above = values.text(first.get("below")), values.text(first.get("atOrAbove"))
    vulnerable = " ".join(
        part for part in (f">={at_or_above}" if at_or_above else "", f"<{below}" if below else "") if part
    )
    label = f"{component}, {version}" if version else component
    lines = [summary]
    if vulnerable:
        lines.append(f"Vulnerable versions of {component}: {vulnerable}")
    if file_path:
        lines.append(f"Found in: {file_path}")
    if ids:
        lines.append("Identifiers: " + ", ".join(dict.fromkeys(ids)))
    cwe_ids = values.cwe_ids(cwes) or (VULNERABLE_COMPONENT_CWE,)
    severity = max(
        (values.severity_from_word(vulnerability.get("severity")) for vulnerability in vulnerabilities),
        key=lambda level: level.rank,
    )
    return NormalizedFinding(
        title=text.title(f"{summary} ({label})"),
        severity=severity,
        tool=TOOL,
        rule_id=next(iter(values.advisory_ids(ids)), None),
        advisory_ids=values.advisory_ids(ids),
        cwe_ids=cwe_ids,
        description=text.clip("\n\n".join(lines)),
        location=FindingLocation(
            file_path=file_path,
            package=component,
            package_version=version,
            fixed_version=below,
        ),
        remediation=f"Upgrade {component} to {below} or later." if below else "",
        references=tuple(dict.fromkeys(info)),
        tags=(f"vulnerable:{vulnerable}",) if vulnerable else (),
        fingerprint=grouping.fingerprint(TOOL, file_path, component, summary),
    )


def _ids(identifiers: Mapping[str, Any]) -> list[str]:
    """Return an advisory's identifiers other than its summary, as ``CVE-...``, ``issue 2432``."""
    found: list[str] = []
    for key in ID_KEYS:
        value = identifiers.get(key)
        for item in value if isinstance(value, list) else [value]:
            if item is None or isinstance(item, dict):
                continue
            item_text = str(item).strip()
            if item_text:
                found.append(item_text if key in ("CVE", "githubID") else f"{key} {item_text}")
    return found


PARSER = RetireJsParser()
