"""Checkmarx One JSON: the results API, the scan report, and the GitLab SAST export.

Three layouts are read, told apart by their top-level keys:

- the results API (``/api/results``, ``cx results show --report-format json``):
  ``results`` of ``type`` ``sast``, ``kics``, ``sca`` and ``sca-container``, each
  with a ``data`` object of its own shape, ``totalCount`` and ``scanID``. Results
  of other types (not security findings DefectDojo reads either) are skipped;
- the scan report (``reportType``, ``scanInformation``): SAST results under
  ``scanResults.resultsList`` (a query with its ``vulnerabilities``), IaC results
  under ``iacScanResults.technology`` (queries with their ``resultsList``), SCA
  results under ``scaScanResults.packages`` (a package, ``packageId`` and
  ``packageVersion``, with its ``packageCategory`` entries, one per CWE, each
  with its ``categoryResults``: ``cve``, ``severity``, ``state``, ``description``,
  ``references``), and ``vulnerabilityDetails`` giving each CWE's risk and
  recommendations, written after the results and read by a second pass;
- the GitLab SAST export (``vulnerabilities`` with ``location``, from the
  ``CxOne`` analyzer), one finding per vulnerability.

Every layout is streamed (the scan report a query or an SCA package at a time,
with its results, in the one pass that reads the rest). A SAST result is located
at the sink of its data flow (the last node, or the report's
``destinationFileName``), the flow in its evidence; a
scan report's description has its ``@SourceFile``-style placeholders filled
in. Severity: the result's ``severity`` (CRITICAL, HIGH, MEDIUM, LOW, INFO).
Triage survives as ``state:...`` tags (``state:to-verify``,
``state:not-exploitable``...).

Fingerprint: for SAST, the query, the sink file and Checkmarx's
``similarityId`` (stable across scans for one data flow); for IaC (KICS), the
query, the file and ``similarityId``; for SCA, the package identifier
(``Maven-group:artifact-1.2``: the results API's ``packageIdentifier``, the scan
report's ``packageId``) and the advisory, the same in both layouts. The
GitLab export, which has no similarity id, is anchored on the query and file,
its repeats numbered apart by line.
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

TOOL = "checkmarx_one"
# The scan report's queries, each read whole with its results (one record, not one per
# result with the query's fields as context); what of a query its results need.
_REPORT_SAST = "scanResults.resultsList.item"
_REPORT_IAC = "iacScanResults.technology.item.queries.item"
_REPORT_SCA = "scaScanResults.packages.item"
_SAST_QUERY_KEYS = ("queryName", "queryId", "queryPath", "cweId", "description", "queryDescriptionLink")
_IAC_QUERY_KEYS = ("queryName", "description", "category")
_PLACEHOLDER = re.compile(r"@(Source|Destination)(File|Line|Method|Element)\b")
# A run of 19 digits or more, and what stands next to one that is part of a float or an
# exponent: an integer of 19 digits or more standing alone is the only number that may be
# beyond 64 bits. (Found by a plain run, its neighbours looked at after: twice as fast as
# a pattern with lookarounds.) And a backslash with the byte it escapes.
_DIGIT_RUN = re.compile(rb"\d{19,}")
_BEFORE_FRACTION = frozenset(b".eE+-")
_AFTER_FRACTION = frozenset(b".eE")
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_DIGITS = b"0123456789"
_INT64_MAX = 2**63 - 1
_CARRY_LIMIT = 1024 * 1024
_PLACEHOLDER_FIELDS = {
    "File": "FileName",
    "Line": "Line",
    "Method": "Method",
    "Element": "Node",
}


class CheckmarxOneParser(ReportParser):
    """Checkmarx One's results, as its API, its scan report or its GitLab export give them."""

    name = "checkmarx_one"
    label = "Checkmarx One JSON"
    defectdojo_scan_types = ("Checkmarx One Scan",)

    def detect(self, head: bytes) -> int:
        content = readers.head_text(head)
        if not content.startswith("{"):
            return 0
        if '"reportType"' in content and ('"scanInformation"' in content or '"iacScanResults"' in content):
            return 95
        if '"results"' in content and ('"scanID"' in content or '"cxOneScan"' in content):
            return 90
        if '"results"' in content and '"similarityId"' in content and '"firstFoundAt"' in content:
            return 85
        if '"vulnerabilities"' in content and re.search(
            r'"id":\s*"CxOne-|"cxOneScan"|"Checkmarx-sast"', content
        ):
            return 100
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        with readers.seekable(stream) as source:
            reader = readers.JsonReader(
                cast(BinaryIO, io.BufferedReader(_BigIntegersQuoted(source))),
                ["results.item", "vulnerabilities.item", _REPORT_SAST, _REPORT_IAC, _REPORT_SCA],
                context=["iacScanResults.technology.item.name"],
                late=["vulnerabilityDetails"],
                # The scan report's parts, objects: seen even when they hold no result.
                expect={
                    "": "object",
                    "results": "array",
                    "vulnerabilities": "array",
                    "scanResults": "object",
                    "iacScanResults": "object",
                    "scaScanResults": "object",
                },
            )
            repeats = grouping.RepeatCounter()
            for record in reader:
                if record.prefix == _REPORT_SAST:
                    yield from _report_query(record, "vulnerabilities", _SAST_QUERY_KEYS, repeats)
                    continue
                if record.prefix == _REPORT_IAC:
                    yield from _report_query(record, "resultsList", _IAC_QUERY_KEYS, repeats)
                    continue
                if record.prefix == _REPORT_SCA:
                    yield from _report_package(record)
                    continue
                item = readers.expect_mapping(record.value, record.position)
                finding: NormalizedFinding | None
                if record.prefix == "results.item":
                    finding = _api_result(item, record.position, repeats)
                else:
                    finding = _gitlab(item, record.position, repeats)
                if finding is not None:
                    yield finding
            layouts = {"results", "vulnerabilities", "scanResults", "iacScanResults", "scaScanResults"}
            if not layouts & {prefix.split(".", 1)[0] for prefix in reader.seen}:
                raise MalformedReport(
                    "the report has no 'results', 'vulnerabilities' or 'scanResults'; "
                    "it may be another tool's report",
                    position="top level",
                )


class _BigIntegersQuoted(io.RawIOBase):
    """The report with integers beyond 64 bits written as strings.

    Checkmarx One writes query ids as unsigned 64-bit numbers
    (``"queryId": 14517067005933136034``), which the C JSON reader refuses as an
    overflow; quoted, they stay the ids they are. Strings pass through untouched.
    """

    def __init__(self, source: BinaryIO) -> None:
        super().__init__()
        self._source = source
        self._carry = b""
        self._ready = b""
        self._is_done = False
        self._in_string = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        while not self._ready and not self._is_done:
            chunk = self._source.read(256 * 1024) or b""
            if not chunk:
                self._is_done = True
                self._ready, self._carry = self._carry, b""
                break
            self._ready = self._filtered(self._carry + chunk)
        size = min(len(view), len(self._ready))
        view[:size] = self._ready[:size]
        self._ready = self._ready[size:]
        return size

    def _filtered(self, data: bytes) -> bytes:
        """Return what can be passed on of ``data``, keeping for later the digits (or the
        backslashes) it ends with, which may go on in the next chunk.

        Only the long integers are looked at: whether one stands in a string is told by
        the parity of the quotes before it, escapes taken out. Linear in the chunk.
        """
        end = len(data) - (len(data) - len(data.rstrip(_DIGITS)) or len(data) - len(data.rstrip(b"\\")))
        if len(data) - end > _CARRY_LIMIT:
            end = len(data)  # no number is that long: the JSON reader will say what it is
        parts: list[bytes] = []
        position = 0
        for found in _DIGIT_RUN.finditer(data, 0, end):
            start, stop = found.span()
            previous = data[start - 1] if start else -1
            following = data[stop] if stop < end else -1
            if previous in _BEFORE_FRACTION or following in _AFTER_FRACTION:
                continue  # the digits of a float or an exponent
            self._pass(data[position:start], parts)
            value = found.group()
            if not self._in_string and int(value) > _INT64_MAX:
                value = b'"' + value + b'"'
            parts.append(value)
            position = found.end()
        self._pass(data[position:end], parts)
        self._carry = data[end:]
        return b"".join(parts)

    def _pass(self, segment: bytes, parts: list[bytes]) -> None:
        """Pass ``segment`` on unchanged, noting whether it leaves a string open."""
        plain = _ESCAPE.sub(b"", segment) if b"\\" in segment else segment
        if plain.count(b'"') % 2:
            self._in_string = not self._in_string
        parts.append(segment)


def _state_tags(item: Mapping[str, Any], kind: str) -> tuple[str, ...]:
    tags = [kind]
    if state := values.text(item.get("state")):
        tags.append(f"state:{state.lower().replace('_', '-').replace(' ', '-')}")
    if status := values.text(item.get("status")):
        tags.append(f"status:{status.lower()}")
    return tuple(tags)


def _severity(item: Mapping[str, Any]) -> Severity:
    return values.severity_from_word(item.get("severity"), Severity.MEDIUM)


def _api_result(
    result: Mapping[str, Any], position: str, repeats: grouping.RepeatCounter
) -> NormalizedFinding | None:
    kind = values.text(result.get("type"))
    data = readers.as_mapping(result.get("data"))
    details = readers.as_mapping(result.get("vulnerabilityDetails"))
    if kind == "sast":
        return _api_sast(result, data, details, position, repeats)
    if kind == "kics":
        return _api_kics(result, data)
    if kind in {"sca", "sca-container"}:
        return _api_sca(result, data, details, kind)
    return None


def _flow(nodes: list[Mapping[str, Any]]) -> str:
    lines = []
    for number, node in enumerate(nodes, start=1):
        place = f"{node.get('fileName')}:{node.get('line')}"
        name = node.get("name") or node.get("node") or ""
        lines.append(f"{number}. {place} {name}".rstrip())
        if code := values.text(node.get("code")):
            lines.append(f"   {code}")
    return "Data flow:\n" + "\n".join(lines) if lines else ""


def _api_sast(
    result: Mapping[str, Any],
    data: Mapping[str, Any],
    details: Mapping[str, Any],
    position: str,
    repeats: grouping.RepeatCounter,
) -> NormalizedFinding:
    query = values.text(data.get("queryName"))
    if not query:
        raise MalformedReport("the SAST result names no query", position=f"{position}.data")
    nodes = [
        readers.as_mapping(node) for node in readers.expect_list(data.get("nodes"), f"{position}.data.nodes")
    ]
    sink = nodes[-1] if nodes else {}
    sink_file = values.text(sink.get("fileName"))
    line = values.line_number(sink.get("line"))
    similarity = values.text(result.get("similarityId"))
    language = values.text(data.get("languageName"))
    tags = _state_tags(result, "sast")
    return NormalizedFinding(
        title=text.title(query.replace("_", " ")),
        severity=_severity(result),
        tool=TOOL,
        rule_id=values.text(data.get("queryId")) or query,
        tool_finding_id=values.text(result.get("id")) or similarity,
        description=text.clip(values.text(result.get("description")) or ""),
        cwe_ids=values.cwe_ids([details.get("cweId")]),
        location=FindingLocation(file_path=sink_file, line_start=line, line_end=line),
        evidence=text.clip(_flow(nodes)),
        tags=(*tags, f"language:{language.lower()}") if language else tags,
        fingerprint=_numbered(repeats, grouping.fingerprint(TOOL, query, sink_file, similarity), line),
    )


def _api_kics(result: Mapping[str, Any], data: Mapping[str, Any]) -> NormalizedFinding:
    query = values.text(data.get("queryName")) or values.text(result.get("description")) or "IaC finding"
    file_name = values.text(data.get("filename")) or values.text(data.get("fileName"))
    line = values.line_number(data.get("line"))
    similarity = values.text(result.get("similarityId"))
    expected = values.text(data.get("expectedValue"))
    actual = values.text(data.get("value")) or values.text(data.get("actualValue"))
    platform = values.text(data.get("platform"))
    tags = _state_tags(result, "kics")
    return NormalizedFinding(
        title=text.title(query),
        severity=_severity(result),
        tool=TOOL,
        rule_id=values.text(data.get("queryId")) or query,
        tool_finding_id=values.text(result.get("id")) or similarity,
        description=text.clip(values.text(result.get("description")) or ""),
        location=FindingLocation(file_path=file_name, line_start=line, line_end=line),
        evidence=text.clip(_expected_actual(expected, actual)),
        tags=(*tags, f"platform:{platform.lower()}") if platform else tags,
        fingerprint=grouping.fingerprint(TOOL, "kics", query, file_name, similarity),
    )


def _expected_actual(expected: str | None, actual: str | None) -> str:
    parts = [f"Expected: {expected}" if expected else "", f"Actual: {actual}" if actual else ""]
    return "\n".join(part for part in parts if part)


def _api_sca(
    result: Mapping[str, Any], data: Mapping[str, Any], details: Mapping[str, Any], kind: str
) -> NormalizedFinding:
    advisory = (
        values.text(details.get("cveName"))
        or values.text(result.get("cveId"))
        or values.text(result.get("id"))
        or "unknown advisory"
    )
    identifier = values.text(data.get("packageIdentifier"))
    package = values.text(data.get("packageName"))
    version = values.text(data.get("packageVersion"))
    if identifier and not package:
        package, version = _package_identifier(identifier)
    fixed = values.text(data.get("recommendedVersion"))
    references = tuple(
        dict.fromkeys(
            url
            for entry in readers.expect_list(data.get("packageData"), "data.packageData")
            if (url := values.text(readers.as_mapping(entry).get("url")))
        )
    )
    package_data = readers.as_mapping(data.get("scaPackageData"))
    locations = [str(location) for location in package_data.get("locations") or [] if location]
    score = values.score(details.get("cvssScore"))
    label = f"{package}:{version}" if package and version else package or identifier or "a package"
    return NormalizedFinding(
        title=text.title(f"{advisory} in {label}"),
        severity=_severity(result),
        tool=TOOL,
        rule_id=advisory,
        tool_finding_id=values.text(result.get("id")),
        description=text.clip(values.text(result.get("description")) or ""),
        advisory_ids=values.advisory_ids([advisory, *references]),
        cwe_ids=values.cwe_ids([details.get("cweId")]),
        cvss_v3_score=score,
        location=FindingLocation(
            file_path=locations[0] if locations else None,
            package=package,
            package_version=version,
            fixed_version=fixed,
        ),
        remediation=f"Upgrade {package} to {fixed} or later." if package and fixed else "",
        references=references,
        tags=_state_tags(result, kind),
        fingerprint=grouping.fingerprint(TOOL, "sca", identifier or f"{package}@{version}", advisory),
    )


def _package_identifier(identifier: str) -> tuple[str | None, str | None]:
    """Split Checkmarx SCA's ``Maven-group:artifact-1.4.5`` or ``Npm-jquery-2.1.4``."""
    ecosystem, separator, rest = identifier.partition("-")
    if not separator or not rest:
        return identifier, None
    name, dash, version = rest.rpartition("-")
    if dash and name and version[:1].isdigit():
        return name, version
    return rest, None


def _report_query(
    record: readers.JsonRecord, results: str, keys: tuple[str, ...], repeats: grouping.RepeatCounter
) -> Iterator[NormalizedFinding]:
    """Yield the findings of a scan report's query, one per result in its ``results`` array."""
    query = record.value
    if not isinstance(query, dict) or not isinstance(query.get(results), list):
        return  # not a query, or one without results
    context = {**record.context, **{key: query[key] for key in keys if key in query}}
    for index, value in enumerate(query[results]):
        position = f"{record.position}.{results}[{index}]"
        item = readers.expect_mapping(value, position)
        if record.prefix == _REPORT_SAST:
            yield _report_sast(item, context, position, repeats)
        else:
            yield _report_iac(item, context)


def _report_sast(
    item: Mapping[str, Any], context: Mapping[str, Any], position: str, repeats: grouping.RepeatCounter
) -> NormalizedFinding:
    query = values.text(context.get("queryName"))
    if not query:
        raise MalformedReport("the SAST result's query has no name", position=position)
    sink_file = values.text(item.get("destinationFileName"))
    line = values.line_number(item.get("destinationLine"))
    nodes = [readers.as_mapping(node) for node in readers.expect_list(item.get("nodes"), f"{position}.nodes")]
    similarity = values.text(item.get("similarityId"))
    cwe = values.as_int(context.get("cweId"))
    cwe_entry = _cwe_details(context.get("vulnerabilityDetails"), cwe)
    description = _PLACEHOLDER.sub(
        lambda match: str(
            item.get(f"{match.group(1).lower()}{_PLACEHOLDER_FIELDS[match.group(2)]}") or match.group(0)
        ),
        values.text(context.get("description")) or "",
    )
    cause = values.text(cwe_entry.get("cause"))
    link = values.text(context.get("queryDescriptionLink"))
    return NormalizedFinding(
        title=text.title(query.replace("_", " ")),
        severity=_severity(item),
        tool=TOOL,
        rule_id=values.text(context.get("queryId")) or query,
        tool_finding_id=similarity,
        description=text.clip("\n\n".join(part for part in (description, cause) if part)),
        cwe_ids=values.cwe_ids([cwe]),
        location=FindingLocation(file_path=sink_file, line_start=line, line_end=line),
        evidence=text.clip(_flow(nodes)),
        remediation=text.clip(values.text(cwe_entry.get("generalRecommendations")) or ""),
        references=(link,) if link and link.startswith(("http://", "https://")) else (),
        tags=_state_tags(item, "sast"),
        fingerprint=_numbered(repeats, grouping.fingerprint(TOOL, query, sink_file, similarity), line),
    )


def _numbered(repeats: grouping.RepeatCounter, anchor: str, line: int | None) -> str:
    """Return the anchor, numbered when one flow's id repeats at another sink line."""
    number = repeats.number(anchor, line)
    return grouping.fingerprint(anchor, number) if number else anchor


def _cwe_details(details: object, cwe: int | None) -> Mapping[str, Any]:
    """Return the scan report's entry for a CWE in ``vulnerabilityDetails``."""
    if cwe is None or not isinstance(details, list):
        return {}
    return next((entry for entry in details if isinstance(entry, dict) and entry.get("cweId") == cwe), {})


def _report_iac(item: Mapping[str, Any], context: Mapping[str, Any]) -> NormalizedFinding:
    technology = values.text(context.get("name")) or "IaC"
    query = values.text(context.get("queryName")) or "IaC finding"
    file_name = values.text(item.get("fileName"))
    category = values.text(context.get("category"))
    link = values.text(item.get("resultViewerLink"))
    tags = _state_tags(item, "iac")
    details = [values.text(context.get("description")) or "", f"Issue type: {item.get('issueType')}"]
    return NormalizedFinding(
        title=text.title(f"{technology}: {query}"),
        severity=_severity(item),
        tool=TOOL,
        rule_id=query,
        description=text.clip("\n\n".join(part for part in details if part)),
        location=FindingLocation(file_path=file_name, component=technology),
        evidence=text.clip(
            _expected_actual(values.text(item.get("expectedValue")), values.text(item.get("actualValue")))
        ),
        references=(link,) if link and link.startswith(("http://", "https://")) else (),
        tags=(*tags, f"category:{category.lower()}") if category else tags,
        # The viewer link's result-id is KICS's similarity id for the result.
        fingerprint=grouping.fingerprint(
            TOOL, "kics", query, file_name, (link or "").rsplit("result-id=", 1)[-1]
        ),
    )


def _report_package(record: readers.JsonRecord) -> Iterator[NormalizedFinding]:
    """Yield the findings of a scan report's SCA package, one per result of each of its CWEs."""
    package = readers.expect_mapping(record.value, record.position)
    identifier = values.text(package.get("packageId"))
    name = values.text(package.get("packageName"))
    version = values.text(package.get("packageVersion"))
    if identifier and not name:
        name, version = _package_identifier(identifier)
    if not name:
        raise MalformedReport("the SCA package has no packageName or packageId", position=record.position)
    categories = readers.expect_list(package.get("packageCategory"), f"{record.position}.packageCategory")
    for category_index, entry in enumerate(categories):
        where = f"{record.position}.packageCategory[{category_index}]"
        category = readers.expect_mapping(entry, where)
        cwe = category.get("categoryName")
        results = readers.expect_list(category.get("categoryResults"), f"{where}.categoryResults")
        for index, value in enumerate(results):
            position = f"{where}.categoryResults[{index}]"
            result = readers.expect_mapping(value, position)
            yield _report_sca(result, name, version, identifier, cwe, position)


def _report_sca(
    result: Mapping[str, Any],
    package: str,
    version: str | None,
    identifier: str | None,
    cwe: object,
    position: str,
) -> NormalizedFinding:
    advisory = values.text(result.get("cve")) or values.text(result.get("vulnerabilityId"))
    if not advisory:
        raise MalformedReport("the SCA result names no vulnerability (cve)", position=position)
    references = tuple(
        dict.fromkeys(
            url
            for entry in readers.expect_list(result.get("references"), f"{position}.references")
            if (url := values.text(readers.as_mapping(entry).get("url")))
            and url.startswith(("http://", "https://"))
        )
    )
    fixed = values.text(result.get("recommendedVersion")) or values.text(result.get("fixedVersion"))
    label = f"{package}:{version}" if version else package
    return NormalizedFinding(
        title=text.title(f"{advisory} in {label}"),
        severity=_severity(result),
        tool=TOOL,
        rule_id=advisory,
        tool_finding_id=values.text(result.get("resultId")),
        description=text.clip(values.text(result.get("description")) or ""),
        advisory_ids=values.advisory_ids([advisory, *references]),
        cwe_ids=values.cwe_ids([cwe]),
        cvss_v3_score=values.score(result.get("cvssScore")),
        location=FindingLocation(package=package, package_version=version, fixed_version=fixed),
        remediation=f"Upgrade {package} to {fixed} or later." if fixed else "",
        references=references,
        tags=_state_tags(result, "sca"),
        fingerprint=grouping.fingerprint(TOOL, "sca", identifier or f"{package}@{version}", advisory),
    )


def _gitlab(item: Mapping[str, Any], position: str, repeats: grouping.RepeatCounter) -> NormalizedFinding:
    location = readers.as_mapping(item.get("location"))
    query = values.text(item.get("name")) or values.text(item.get("message"))
    if not query:
        raise MalformedReport("the vulnerability has no name", position=position)
    file_name = values.text(location.get("file"))
    line = values.line_number(location.get("start_line"))
    identifiers = [
        readers.as_mapping(entry) for entry in readers.expect_list(item.get("identifiers"), position)
    ]
    references = tuple(
        url for entry in identifiers if (url := values.text(entry.get("url"))) and url.startswith("http")
    )
    cwe_values = [entry.get("value") for entry in identifiers if str(entry.get("type", "")).lower() == "cwe"]
    return NormalizedFinding(
        title=text.title(query.replace("_", " ")),
        severity=_severity(item),
        tool=TOOL,
        rule_id=query,
        tool_finding_id=values.text(identifiers[0].get("value")) if identifiers else None,
        description=text.clip(values.text(item.get("description")) or ""),
        cwe_ids=values.cwe_ids(cwe_values),
        location=FindingLocation(
            file_path=file_name,
            line_start=line,
            line_end=values.line_number(location.get("end_line")) or line,
        ),
        remediation=text.clip(values.text(item.get("solution")) or ""),
        references=references,
        tags=("sast",),
        fingerprint=_numbered(repeats, grouping.fingerprint(TOOL, query, file_name), line),
    )


PARSER = CheckmarxOneParser()
