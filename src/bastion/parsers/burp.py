"""Burp Suite issues: the XML export and the REST API's scan JSON.

Two shapes are read:

* the XML export ("Report issues" / "Save selected issues" as XML), ``<issues>``
  holding ``<issue>`` elements, streamed;
* the JSON of Burp's REST API (``GET /v0.1/scan/{task_id}``, Burp Suite Professional
  and Enterprise's scanner API): ``issue_events``, each ``{"type": "issue_found",
  "issue": {...}}`` with ``name``, ``type_index`` (the XML's ``<type>``, the same
  number), ``serial_number``, ``origin`` (the XML's ``<host>``), ``path``,
  ``severity`` (``high``, ``medium``, ``low``, ``info``), ``confidence``,
  ``description``, ``remediation`` and ``evidence`` request/response segments
  (base64). Events of other types are not findings. Streamed one event at a time.

Burp lists one ``<issue>`` per place an issue type was seen; a finding is one issue
type on one host (``<type>`` + ``<host>``), located at the host (and at the path
when there is only one), its issues kept as instances: their locations, details
and request/response pairs (base64-decoded, clipped) go into the description and
evidence, and ``instances:N`` counts them. Severity is Burp's word (High, Medium,
Low, Information); "False positive" becomes info, tagged ``false-positive``.

Fingerprint: issue type and host URL, the same as the grouping key. Not the serial
number, which Burp draws anew on every scan, nor the paths, which come and go
with the crawl.

The export starts with a DOCTYPE whose internal subset only declares elements and
attribute lists; it is dropped (``readers.iter_xml(drop_doctype=True)``). One that
declares an entity is refused.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from bastion.contracts.finding import MAX_TEXT, FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

# The most of one decoded request or response kept as evidence.
MESSAGE_LIMIT = 4000
# The most instances listed for one finding; later ones are only counted.
INSTANCE_LIMIT = 1000

# The REST API's severity words, as the XML export writes them.
_JSON_SEVERITIES = {"high": "High", "medium": "Medium", "low": "Low", "info": "Information"}
_PARAMETER = re.compile(r"\[(.+?) (?:\w+ )?(?:parameter|cookie|header)\]\s*$")


@dataclass
class _Group:
    """One issue type on one host, and the issues Burp reported for it."""

    issue_type: str
    name: str
    host: str
    ip: str
    severity: str
    confidence: str
    serial: str
    background: str
    remediation: str
    references: list[str]
    cwe_ids: tuple[int, ...]
    locations: list[str] = field(default_factory=list)
    paths: set[str] = field(default_factory=set)
    serials: set[str] = field(default_factory=set)
    details: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    size: int = 0
    count: int = 0


class BurpParser(ReportParser):
    """Burp Suite's XML export of issues."""

    name = "burp"
    label = "Burp Suite XML/JSON"
    defectdojo_scan_types = ("Burp Scan", "Burp REST API")

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if "<issues burpVersion=" in text:
            return 100
        if "<!DOCTYPE issues" in text and "<serialNumber>" in text:
            return 90
        if text.startswith("{") and '"issue_events"' in text:
            return 90 if any(key in text for key in ('"type_index"', '"scan_status"', '"task_id"')) else 0
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream)
        if readers.head_text(head).startswith("{"):
            yield from _parse_json(source)
            return
        attributes = readers.root_attributes(readers.head_text(head), "issues")
        tool_version = attributes.get("burpVersion") or None
        groups: dict[tuple[str, str], _Group] = {}
        issues = readers.iter_xml(source, ("issue",), roots=("issues",), drop_doctype=True)
        for index, element in enumerate(issues):
            _add_issue(groups, element, f"issue[{index}]")
        for group in groups.values():
            yield _finding(group, tool_version)


def _add_issue(groups: dict[tuple[str, str], _Group], issue: Element, position: str) -> None:
    issue_type = readers.child_text(issue, "type")
    name = readers.child_text(issue, "name")
    if not issue_type or not name:
        raise MalformedReport("an issue needs a <type> and a <name>", position=position)
    host_element = next((child for child in issue if readers.local_name(child.tag) == "host"), None)
    host = (host_element.text or "").strip() if host_element is not None else ""
    key = (issue_type, host.rstrip("/"))
    group = groups.get(key)
    if group is None:
        classifications = readers.child_text(issue, "vulnerabilityClassifications")
        group = _Group(
            issue_type=issue_type,
            name=name,
            host=host,
            ip=host_element.get("ip", "") if host_element is not None else "",
            severity=readers.child_text(issue, "severity"),
            confidence=readers.child_text(issue, "confidence"),
            serial=readers.child_text(issue, "serialNumber"),
            background=text.html_text(readers.child_text(issue, "issueBackground")),
            remediation="\n\n".join(
                filter(
                    None,
                    (
                        text.html_text(readers.child_text(issue, "remediationDetail")),
                        text.html_text(readers.child_text(issue, "remediationBackground")),
                    ),
                )
            ),
            references=text.urls(readers.child_text(issue, "references")) + text.urls(classifications),
            cwe_ids=values.cwe_ids([classifications]),
        )
        groups[key] = group
    serial = readers.child_text(issue, "serialNumber")
    if serial and serial in group.serials:
        return  # the export repeats an issue it already listed
    group.serials.add(serial)
    group.count += 1
    if group.count > INSTANCE_LIMIT or group.size > MAX_TEXT:
        return
    location = readers.child_text(issue, "location") or readers.child_text(issue, "path")
    group.locations.append(location)
    group.paths.add(readers.child_text(issue, "path"))
    detail = text.html_text(readers.child_text(issue, "issueDetail"))
    items = [
        (child.text or "").strip()
        for holder in issue
        if readers.local_name(holder.tag) == "issueDetailItems"
        for child in holder
    ]
    detail = "\n".join(filter(None, [detail, *(f"- {item}" for item in items if item)]))
    if detail:
        group.details.append(f"{location}:\n{detail}")
    group.size += len(detail)
    for pair in issue:
        if readers.local_name(pair.tag) != "requestresponse":
            continue
        messages = {readers.local_name(part.tag): _message(part) for part in pair}
        exchange = "\n".join(
            f"--- {kind} ---\n{messages[kind]}" for kind in ("request", "response") if messages.get(kind)
        )
        if exchange:
            group.evidence.append(f"{location}\n{exchange}")
            group.size += len(exchange)


def _parse_json(source: BinaryIO) -> Iterator[NormalizedFinding]:
    """Yield the findings of a REST API scan answer, grouped as the XML's are."""
    groups: dict[tuple[str, str], _Group] = {}
    for position, event in readers.iter_json(source, "issue_events.item", required=True):
        event = readers.expect_mapping(event, position)
        if event.get("type", "issue_found") != "issue_found":
            continue
        issue = readers.expect_mapping(event.get("issue"), f"{position}.issue")
        _add_json_issue(groups, issue, f"{position}.issue")
    for group in groups.values():
        yield _finding(group, None)


def _add_json_issue(groups: dict[tuple[str, str], _Group], issue: Mapping[str, Any], position: str) -> None:
    issue_type = values.text(issue.get("type_index")) or ""
    name = values.text(issue.get("name")) or ""
    if not issue_type or not name:
        raise MalformedReport("an issue needs a type_index and a name", position=position)
    host = values.text(issue.get("origin")) or ""
    key = (issue_type, host.rstrip("/"))
    serial = values.text(issue.get("serial_number")) or ""
    group = groups.get(key)
    if group is None:
        classifications = str(issue.get("vulnerability_classifications") or "")
        group = groups[key] = _Group(
            issue_type=issue_type,
            name=name,
            host=host,
            ip="",
            severity=_JSON_SEVERITIES.get(
                str(issue.get("severity") or "").lower(), str(issue.get("severity") or "")
            ),
            confidence=str(issue.get("confidence") or ""),
            serial=serial,
            background=text.html_text(str(issue.get("issue_background") or "")),
            remediation="\n\n".join(
                text.html_text(str(issue.get(field_name) or ""))
                for field_name in ("remediation", "remediation_background")
                if issue.get(field_name)
            ),
            references=text.urls(str(issue.get("references") or "")) + text.urls(classifications),
            cwe_ids=values.cwe_ids([classifications]),
        )
    if serial and serial in group.serials:
        return
    group.serials.add(serial)
    group.count += 1
    if group.count > INSTANCE_LIMIT or group.size > MAX_TEXT:
        return
    path = values.text(issue.get("path")) or ""
    location = values.text(issue.get("caption")) or path
    group.locations.append(location)
    group.paths.add(path)
    detail = text.html_text(str(issue.get("description") or ""))
    if detail:
        group.details.append(f"{location}:\n{detail}")
        group.size += len(detail)
    for index, evidence in enumerate(readers.expect_list(issue.get("evidence"), f"{position}.evidence")):
        pair = evidence.get("request_response") if isinstance(evidence, dict) else None
        if not isinstance(pair, dict):
            continue
        messages = {
            kind: _segments(pair.get(kind), f"{position}.evidence[{index}]")
            for kind in ("request", "response")
        }
        exchange = "\n".join(f"--- {kind} ---\n{message}" for kind, message in messages.items() if message)
        if exchange:
            group.evidence.append(f"{location}\n{exchange}")
            group.size += len(exchange)


def _segments(segments: object, position: str) -> str:
    """Return a REST API request or response as text, clipped.

    Burp splits a message into segments, each its own base64 (``DataSegment``, and
    ``HighlightSegment`` for the part that shows the issue); ``SnipSegment`` marks
    bytes Burp left out.
    """
    parts: list[str] = []
    size = 0
    for segment in readers.expect_list(segments, position):
        if not isinstance(segment, dict) or size > MESSAGE_LIMIT:
            continue
        if segment.get("type") == "SnipSegment":
            parts.append("…")
            continue
        encoded = "".join(str(segment.get("data") or "")[: MESSAGE_LIMIT * 2].split())
        encoded = encoded[: len(encoded) // 4 * 4]
        try:
            decoded = base64.b64decode(encoded, validate=True).decode("utf-8", "replace")
        except ValueError:
            decoded = encoded  # not base64 after all: keep the text as written
        parts.append(decoded)
        size += len(decoded)
    return text.clip("".join(parts).replace("\x00", ""), MESSAGE_LIMIT).strip()


def _message(element: Element) -> str:
    """Return a request or response as text, decoded from base64 when marked so, clipped."""
    message = element.text or ""
    if element.get("base64") == "true":
        compact = "".join(message[: MESSAGE_LIMIT * 2].split())
        if len(message) > MESSAGE_LIMIT * 2:  # decode whole 4-character groups of the prefix
            compact = compact[: len(compact) // 4 * 4]
        try:
            message = base64.b64decode(compact, validate=True).decode("utf-8", "replace")
        except ValueError:
            pass  # not base64 after all: keep the text as written
    return text.clip(message.replace("\x00", ""), MESSAGE_LIMIT).strip()


def _finding(group: _Group, tool_version: str | None) -> NormalizedFinding:
    try:
        address = urlsplit(group.host) if "://" in group.host else None
        port = address.port if address is not None else None
    except ValueError:  # a bad port or IPv6 literal: keep the host as written
        address, port = None, None
    scheme = address.scheme.lower() if address is not None else ""
    if port is None and scheme in ("http", "https"):
        port = 80 if scheme == "http" else 443
    single = len(set(group.locations)) == 1
    path = next(iter(group.paths)) if len(group.paths) == 1 else ""
    parameter = _PARAMETER.search(group.locations[0]) if single else None
    affected = "\n".join(f"- {location}" for location in group.locations)
    if group.count > len(group.locations):
        affected += f"\n- … and {group.count - len(group.locations)} more"
    description = "\n\n".join(
        filter(
            None,
            (
                group.background,
                f"Host: {group.host}" + (f" ({group.ip})" if group.ip else ""),
                f"Affected locations:\n{affected}" if affected else "",
                *group.details,
            ),
        )
    )
    is_false_positive = group.severity.lower() == "false positive"
    tags = [f"confidence:{group.confidence.lower()}"] if group.confidence else []
    if is_false_positive:
        tags.append("false-positive")
    tags.append(f"instances:{group.count}")
    return NormalizedFinding(
        title=text.title(group.name),
        severity=values.severity_from_word(group.severity),
        tool="burp",
        tool_version=tool_version,
        rule_id=text.clip(group.issue_type, 500),
        tool_finding_id=text.clip(group.serial, 500) or None,
        cwe_ids=group.cwe_ids,
        description=text.clip(description),
        remediation=text.clip(group.remediation),
        location=FindingLocation(
            url=group.host.rstrip("/") + path if group.host else path or None,
            parameter=parameter.group(1) if parameter else None,
            host=(address.hostname if address is not None else group.host) or None,
            port=port,
            protocol=scheme or None,
        ),
        evidence=text.clip("\n\n".join(group.evidence)),
        references=tuple(group.references),
        tags=tuple(tags),
        fingerprint=grouping.fingerprint("burp", group.issue_type, group.host.rstrip("/")),
    )


PARSER = BurpParser()
