"""Semgrep JSON (``semgrep --json``), Community Edition and AppSec Platform output.

Findings are the ``results`` array, streamed: Code (SAST) results, and Supply Chain
(SCA) results, which carry ``extra.sca_info`` (the dependency matched in a lockfile
or manifest, whether the vulnerable code is reachable) and ``sca-*`` metadata (the
advisory's severity, its fixed versions). A second shape is the AppSec Platform's
Supply Chain export (``/api/v1/deployments/{id}/ssc-vulns``): a ``vulns`` array of
``advisory`` (``ruleId``, ``severity``, ``references``), ``matchedDependency``,
``dependencyFileLocation``, ``closestSafeDependency`` and ``exposureType``.

The ``results`` report states its Semgrep version at the end of the document, so
it is read by a second pass when the stream can seek.

Severity: Semgrep's legacy levels map as Semgrep itself renamed them in 2024:
``ERROR`` is high, ``WARNING`` medium and ``INFO`` low; the current levels
(``CRITICAL``, ``HIGH``, ``MEDIUM``, ``LOW``) map word for word; ``INVENTORY`` and
``EXPERIMENT`` (rules that report rather than warn) are info.

Repeats: when a rule is loaded twice (the same rule in two ``--config`` rulesets)
Semgrep reports the same match twice, with the same rule, file and span; the repeat
is dropped. Matches that differ in span are all kept.

Supply Chain: severity is the advisory's (``sca-severity``; ``MODERATE`` is
medium), the package and version come from the matched dependency, the fixed
version from ``sca-fix-versions`` (or ``closestSafeDependency``), tags say
``reachable``/``unreachable`` and the transitivity. Their fingerprint: rule id, file
path and package name (not the lockfile line, which changes with every version
bump, nor the version); a reachable match in code keeps the code fingerprint below.

Fingerprint: rule id (``check_id``), file path and the matched lines with
whitespace folded — not the line number, which moves whenever lines are added above.
When the lines are withheld (``"requires login"``) Semgrep's own match fingerprint
stands in for them, else the span. The same code matched by the same rule at
several places in one file is numbered in report order (the first keeps the plain
fingerprint), so each place keeps its own fingerprint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

_WITHHELD = "requires login"
_SEVERITIES: Mapping[str, Severity] = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "error": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "warning": Severity.MEDIUM,
    "low": Severity.LOW,
    "info": Severity.LOW,
    "inventory": Severity.INFO,
    "experiment": Severity.INFO,
}
_PLATFORM_EXPORT = re.compile(r'^\{\s*"vulns"\s*:')
_SCA_SEVERITIES: Mapping[str, Severity] = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "moderate": Severity.MEDIUM,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
}
_CHECK_ID = re.compile(r'"check_id"\s*:')
_EMPTY = re.compile(r'^\{\s*"results"\s*:\s*\[\s*\]\s*,\s*"errors"\s*:')
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


class SemgrepParser(ReportParser):
    """Semgrep's JSON report."""

    name = "semgrep"
    label = "Semgrep JSON"
    defectdojo_scan_types = ("Semgrep JSON Report",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("{") and '"vulns"' in text and '"advisory"' in text and '"ruleId"' in text:
            if '"matchedDependency"' in text or '"dependencyFileLocation"' in text:
                return 90
        if not text.startswith("{") or '"results"' not in text:
            return 0
        # Keys only Semgrep's report has, at the top level or in each result's "extra".
        if any(key in text for key in ('"interfile_languages_used"', '"skipped_rules"')):
            return 95
        if _CHECK_ID.search(text) and '"extra"' in text and '"start"' in text:
            return 90
        # An empty report is just {"results": [], "errors": []}: a weak claim.
        return 20 if _EMPTY.match(text) else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, stream = readers.peek(stream, 4096)
        if _PLATFORM_EXPORT.match(readers.head_text(head)):
            for position, vuln in readers.iter_json(stream, "vulns.item", required=True):
                yield _platform_vuln(readers.expect_mapping(vuln, position), position)
            return
        seen: set[str] = set()
        repeats = grouping.RepeatCounter()
        for record in readers.JsonReader(stream, ["results.item"], late=["version"], required=["results"]):
            position = record.position
            version = values.text(record.context.get("version"))
            result = readers.expect_mapping(record.value, position)
            check_id = str(result["check_id"])
            path = str(result["path"])
            start = readers.expect_mapping(result.get("start") or {}, f"{position}.start")
            end = readers.expect_mapping(result.get("end") or {}, f"{position}.end")
            span = "{}:{}-{}:{}".format(
                start.get("line", ""), start.get("col", ""), end.get("line", ""), end.get("col", "")
            )
            match = grouping.fingerprint(check_id, path, span)[:32]  # 128 bits is plenty
            if match in seen:
                continue
            seen.add(match)
            yield _finding(result, position, check_id, path, span, version, repeats)


def _finding(
    result: Mapping[str, Any],
    position: str,
    check_id: str,
    path: str,
    span: str,
    version: str | None,
    repeats: grouping.RepeatCounter,
) -> NormalizedFinding:
    extra = readers.expect_mapping(result.get("extra") or {}, f"{position}.extra")
    metadata = readers.expect_mapping(extra.get("metadata") or {}, f"{position}.extra.metadata")
    message = str(extra.get("message") or "").strip()
    lines = str(extra.get("lines") or "")
    lines = "" if lines.strip() == _WITHHELD else lines
    match_id = str(extra.get("fingerprint") or "")
    match_id = "" if match_id.strip() == _WITHHELD else match_id
    start = values.line_number(readers.expect_mapping(result.get("start") or {}, position).get("line"))
    end = values.line_number(readers.expect_mapping(result.get("end") or {}, position).get("line"))
    package, package_version = _dependency(extra)
    sca = extra.get("sca_info")
    sca = sca if isinstance(sca, dict) else None
    fixed = _fixed_version(metadata.get("sca-fix-versions"), package) if sca else None
    if sca is not None and package and _is_dependency_match(sca, path):
        anchor = f"package:{package}"  # the lockfile line changes with every version bump
    else:
        anchor = " ".join(lines.split()) or match_id or span
    occurrence = repeats.number(grouping.fingerprint(check_id, path, anchor), start)
    # The first place keeps the plain anchor; later ones add their number.
    place = (occurrence,) if occurrence else ()
    return NormalizedFinding(
        title=text.title(_first_sentence(message) or check_id),
        severity=_severity(extra, metadata, is_sca=sca is not None),
        tool="semgrep",
        tool_version=version,
        rule_id=check_id,
        tool_finding_id=match_id or None,
        description=text.clip(message),
        advisory_ids=values.advisory_ids(
            [
                check_id,
                *_values(metadata.get("cve")),
                *_values(metadata.get("ghsa")),
                *_values(metadata.get("sca-vuln-database-identifier")),
            ]
        ),
        cwe_ids=values.cwe_ids(_values(metadata.get("cwe"))),
        location=FindingLocation(
            file_path=path,
            line_start=start,
            line_end=end,
            package=package,
            package_version=package_version,
            fixed_version=fixed,
        ),
        evidence=text.clip(lines),
        remediation=text.clip(extra.get("fix") or (f"Upgrade {package} to {fixed}." if fixed else "")),
        references=tuple(
            dict.fromkeys(
                [
                    *_values(metadata.get("references")),
                    *_values(metadata.get("source-rule-url")),
                    *_values(metadata.get("shortlink")),
                ]
            )
        ),
        tags=(*_tags(extra, metadata), *_sca_tags(sca)),
        fingerprint=grouping.fingerprint("semgrep", check_id, path, anchor, *place),
    )


def _severity(extra: Mapping[str, Any], metadata: Mapping[str, Any], *, is_sca: bool) -> Severity:
    """Return a Supply Chain result's advisory severity, else the rule's level."""
    if is_sca:
        advisory = _SCA_SEVERITIES.get(str(metadata.get("sca-severity") or "").strip().lower())
        if advisory is not None:
            return advisory
    return _SEVERITIES.get(str(extra.get("severity") or "").strip().lower(), Severity.INFO)


def _is_dependency_match(sca: Mapping[str, Any], path: str) -> bool:
    """Tell a match on the lockfile or manifest from a reachable match in the code."""
    match = sca.get("dependency_match")
    lockfile = match.get("lockfile") if isinstance(match, dict) else None
    return sca.get("reachable") is not True or lockfile == path


def _fixed_version(fixes: object, package: str | None) -> str | None:
    """Return the fixed version ``sca-fix-versions`` gives the package (``[{"pkg": "1.2"}]``)."""
    found: list[str] = []
    for entry in fixes if isinstance(fixes, list) else []:
        if not isinstance(entry, dict):
            continue
        for name, version in entry.items():
            if version and (package is None or str(name) == package):
                found.append(str(version))
    return ", ".join(dict.fromkeys(found)) or None


def _sca_tags(sca: Mapping[str, Any] | None) -> tuple[str, ...]:
    if sca is None:
        return ()
    tags = ["supply-chain", "reachable" if sca.get("reachable") is True else "unreachable"]
    match = sca.get("dependency_match")
    found = match.get("found_dependency") if isinstance(match, dict) else None
    transitivity = found.get("transitivity") if isinstance(found, dict) else None
    if isinstance(transitivity, str) and transitivity:
        tags.append(f"transitivity:{transitivity.lower()}")
    return tuple(tags)


def _platform_vuln(vuln: Mapping[str, Any], position: str) -> NormalizedFinding:
    """Build the finding of one entry of the AppSec Platform's Supply Chain export."""
    advisory = readers.as_mapping(vuln.get("advisory"))
    rule_id = values.text(advisory.get("ruleId"))
    if rule_id is None:
        raise MalformedReport("a vuln has no advisory.ruleId", position=position)
    references = readers.as_mapping(advisory.get("references"))
    dependency = readers.as_mapping(vuln.get("matchedDependency"))
    package = values.text(dependency.get("name"))
    package_version = values.text(dependency.get("versionSpecifier"))
    safe = values.text(readers.as_mapping(vuln.get("closestSafeDependency")).get("versionSpecifier"))
    where = readers.as_mapping(vuln.get("dependencyFileLocation"))
    path = values.text(where.get("path"))
    repository = values.text(vuln.get("repositoryName"))
    exposure = (values.text(vuln.get("exposureType")) or "").lower()
    transitivity = (values.text(vuln.get("transitivity")) or "").lower()
    description = values.text(advisory.get("description")) or ""
    return NormalizedFinding(
        title=text.title(values.text(vuln.get("title")) or values.text(advisory.get("title")) or rule_id),
        severity=_SCA_SEVERITIES.get(str(advisory.get("severity") or "").strip().lower(), Severity.INFO),
        tool="semgrep",
        rule_id=rule_id,
        description=text.clip(description),
        advisory_ids=values.advisory_ids(
            [*_values(references.get("cveIds")), *_values(references.get("urls"))]
        ),
        cwe_ids=values.cwe_ids(_values(references.get("cweIds"))),
        location=FindingLocation(
            file_path=path,
            line_start=values.line_number(where.get("startLine")),
            package=package,
            package_version=package_version,
            fixed_version=safe,
            component=repository,
        ),
        remediation=f"Upgrade {package or 'the package'} to {safe}." if safe else "",
        references=tuple(dict.fromkeys(_values(references.get("urls")))),
        tags=tuple(filter(None, ["supply-chain", exposure, transitivity and f"transitivity:{transitivity}"])),
        fingerprint=grouping.fingerprint("semgrep", rule_id, repository, path, f"package:{package}"),
    )


def _dependency(extra: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """Return the package and version a Supply Chain finding is about."""
    sca = extra.get("sca_info")
    if not isinstance(sca, dict):
        return None, None
    match = sca.get("dependency_match")
    found = match.get("found_dependency") if isinstance(match, dict) else None
    if not isinstance(found, dict):
        return None, None
    package = found.get("package")
    version = found.get("version")
    return (str(package) if package else None), (str(version) if version else None)


def _tags(extra: Mapping[str, Any], metadata: Mapping[str, Any]) -> tuple[str, ...]:
    tags = [
        f"{key}:{str(metadata[key]).lower()}"
        for key in ("category", "confidence", "likelihood", "impact")
        if isinstance(metadata.get(key), str) and metadata[key]
    ]
    if extra.get("is_ignored") is True:
        tags.append("ignored")
    return tuple(tags)


def _first_sentence(message: str) -> str:
    folded = " ".join(message.split())
    return _SENTENCE_END.split(folded, maxsplit=1)[0]


def _values(value: Any) -> list[str]:
    """Return a metadata value that may be a string or a list of strings, as a list."""
    values = value if isinstance(value, list) else [value]
    return [str(item).strip() for item in values if isinstance(item, str | int) and item]


PARSER = SemgrepParser()
