"""Coverity Connect's view API: the issues of a saved view, as JSON.

``GET /api/viewContents/issues/v1/<view>`` answers ``viewContentsV1``: paging
(``offset``, ``totalRows``), the view's ``columns`` and its ``rows``, one per
merged defect (CID), keyed by column name. Which columns a row has depends on
how the view was set up; the ones read are ``cid``, ``displayType`` (the title),
``displayImpact``, ``displayIssueKind``, ``checker``, ``cwe``, ``displayFile``,
``displayFunction``, ``displayComponent``, ``displayCategory``, ``status``,
``classification``, ``action``, ``occurrenceCount`` and ``externalReference``.
Rows are streamed.

Only security issues become findings, as in DefectDojo's "Coverity API": a row
whose ``displayIssueKind`` is ``Quality`` (a resource leak, a null dereference...)
is a code quality defect, not a vulnerability, and is skipped; ``Security`` and
``Various`` (a checker that reports both kinds) are read, and so is a row of a
view without the Issue Kind column, which cannot be told apart. Dismissed and
fixed issues are kept, their triage in tags (``status:dismissed``,
``classification:false-positive``, ``action:ignore``).

Severity: ``displayImpact`` (High, Medium, Low; Audit is info).

Fingerprint: the CID, which Coverity Connect keeps for a defect across every
snapshot of its streams.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "coverity_api"
_ROWS = "viewContentsV1.rows"
_IMPACTS = {"high": Severity.HIGH, "medium": Severity.MEDIUM, "low": Severity.LOW, "audit": Severity.INFO}
_SECURITY_KINDS = frozenset({"security", "various"})


class CoverityApiParser(ReportParser):
    """Coverity Connect's issues view, from its REST API."""

    name = "coverity_api"
    label = "Coverity Connect view API JSON"
    defectdojo_scan_types = ("Coverity API",)

    def detect(self, head: bytes) -> int:
        content = readers.head_text(head)
        return 100 if content.startswith("{") and '"viewContentsV1"' in content else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        reader = readers.JsonReader(
            stream, [f"{_ROWS}.item"], expect={"viewContentsV1": "object"}, required=[_ROWS]
        )
        for record in reader:
            row = readers.expect_mapping(record.value, record.position)
            kind = values.text(row.get("displayIssueKind"))
            if kind is not None and kind.lower() not in _SECURITY_KINDS:
                continue
            yield _finding(row, record.position)


def _finding(row: Mapping[str, Any], position: str) -> NormalizedFinding:
    cid = values.text(row.get("cid"))
    if cid is None:
        raise MalformedReport("the issue has no cid", position=position)
    checker = values.text(row.get("checker"))
    kind = values.text(row.get("displayType")) or checker or f"CID {cid}"
    details = [
        f"{label}: {value}"
        for label, column in (
            ("CID", "cid"),
            ("Type", "displayType"),
            ("Checker", "checker"),
            ("Category", "displayCategory"),
            ("Function", "displayFunction"),
            ("Status", "status"),
            ("Classification", "classification"),
            ("Action", "action"),
            ("Occurrences", "occurrenceCount"),
            ("External reference", "externalReference"),
        )
        if (value := values.text(row.get(column)))
    ]
    tags = [
        f"{column}:{value.lower().replace(' ', '-')}"
        for column in ("status", "classification", "action")
        if (value := values.text(row.get(column)))
    ]
    impact = str(row.get("displayImpact") or "").strip().lower()
    return NormalizedFinding(
        title=text.title(kind),
        severity=_IMPACTS.get(impact, Severity.INFO),
        tool=TOOL,
        rule_id=checker,
        tool_finding_id=cid,
        description=text.clip("\n".join(details)),
        cwe_ids=values.cwe_ids([row.get("cwe")]),
        location=FindingLocation(
            file_path=values.text(row.get("displayFile")),
            component=values.text(row.get("displayComponent")),
        ),
        tags=tuple(tags),
        fingerprint=grouping.fingerprint(TOOL, cid),
    )


PARSER = CoverityApiParser()
