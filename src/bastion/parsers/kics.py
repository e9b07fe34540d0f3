"""KICS JSON (``kics scan --report-formats json``): ``queries`` (one per failed
query), each with the ``files`` where it matched; one finding per file match.

Severity: KICS's own words (CRITICAL, HIGH, MEDIUM, LOW, INFO); TRACE → info.

Fingerprint: query id, file name and search key (the path KICS walked to the
flagged attribute, ``module.aws_reverse_proxy.basic_auth_password``) — not the
line, which moves as the file is edited. KICS's own ``similarity_id`` is kept as
the tool's finding id. The KICS version is the report's first key, read in the
same pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser


class KicsParser(ReportParser):
    """KICS's JSON report."""

    name = "kics"
    label = "KICS JSON"
    defectdojo_scan_types = ("KICS Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        if '"kics_version"' in text:
            return 95
        markers = ('"queries"', '"queries_total"', '"files_scanned"')
        return 90 if all(marker in text for marker in markers) else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        for record in readers.JsonReader(
            stream, ["queries.item"], late=["kics_version"], required=["queries"]
        ):
            version = values.text(record.context.get("kics_version"))
            query = readers.expect_mapping(record.value, record.position)
            matches = readers.expect_list(query.get("files"), f"{record.position}.files")
            for number, match in enumerate(matches):
                place = readers.expect_mapping(match, f"{record.position}.files[{number}]")
                yield _finding(query, place, version)


def _finding(query: Mapping[str, Any], place: Mapping[str, Any], version: str | None) -> NormalizedFinding:
    query_id = str(query["query_id"])
    query_name = str(query.get("query_name") or "")
    category = str(query.get("category") or "")
    platform = str(query.get("platform") or "") or None
    path = str(place["file_name"])
    line = values.as_int(place.get("line"))
    search_key = str(place.get("search_key") or "")
    expected = str(place.get("expected_value") or "")
    actual = str(place.get("actual_value") or "")
    details = [
        str(query.get("description") or ""),
        f"Expected: {expected}" if expected else "",
        f"Actual: {actual}" if actual else "",
        f"Resource: {place['resource_type']} {place.get('resource_name') or ''}".rstrip()
        if place.get("resource_type")
        else "",
        f"Search key: {search_key}" if search_key else "",
    ]
    remediation = place.get("remediation")
    return NormalizedFinding(
        title=text.title(f"{category}: {query_name}" if category else query_name, fallback=query_id),
        severity=_severity(query.get("severity")),
        tool="kics",
        tool_version=version,
        rule_id=query_id,
        tool_finding_id=str(place.get("similarity_id") or "") or None,
        description=text.clip("\n\n".join(part for part in details if part)),
        cwe_ids=values.cwe_ids([query["cwe"]] if query.get("cwe") else []),
        location=FindingLocation(file_path=path, line_start=line, line_end=line, component=platform),
        evidence=text.clip(search_key),
        remediation=text.clip(
            f"{place.get('remediation_type') or 'change'}: {remediation}" if remediation else expected
        ),
        references=tuple(str(url) for url in (query.get("query_url"),) if url and url != "https://kics.io/"),
        tags=tuple(
            tag
            for tag in (
                f"category:{category}" if category else "",
                f"platform:{platform}" if platform else "",
                f"issue:{place['issue_type']}" if place.get("issue_type") else "",
            )
            if tag
        ),
        fingerprint=grouping.fingerprint("kics", query_id, path, search_key),
    )


def _severity(word: object) -> Severity:
    if str(word or "").strip().lower() == "trace":
        return Severity.INFO
    return values.severity_from_word(word)


PARSER = KicsParser()
