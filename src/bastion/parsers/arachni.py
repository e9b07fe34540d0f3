"""Arachni: the JSON report (``arachni_reporter --reporter json scan.afr``).

The report (Arachni 1.x) holds the scan's ``version``, ``seed``, ``options`` and
``sitemap``, then ``issues``: one entry per check and place, with the check
(``check.shortname``), ``name``, ``severity``, ``cwe``, ``description``,
``remedy_guidance``, ``references`` (label to URL), ``tags``, the ``vector`` (the
element attacked: its ``action`` or ``url``, ``affected_input_name``, ``method``),
``proof`` and the request and response. As DefectDojo does, the issues of one check
are one finding: here per check and site (scheme and host), located and described by
the first issue; every other place (URL and input) is listed in its evidence and
counted by ``instances:N``. Older reports (Arachni 0.4) that list the places of an
issue in ``variations`` are read too: each variation is a place. The issues are
streamed; the findings come out when the report has been read.

Severity: Arachni's words (high, medium, low, informational). An issue Arachni
marks as not ``trusted`` (it may be a false positive) is tagged ``untrusted``.

Fingerprint: the check (``check.shortname``, else the issue's name) and the site's
scheme and host: the grouping key. Not the URLs or inputs, which the finding spans,
nor the seed and payloads (random per scan), nor ``digest`` (the tool_finding_id of
the first place).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO
from urllib.parse import urlsplit, urlunsplit

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "arachni"

SEVERITIES: Mapping[str, Severity] = {
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "informational": Severity.INFO,
    "info": Severity.INFO,
}
# The most of a proof or signature kept as evidence.
PROOF_LIMIT = 2000
# Arachni's texts are Markdown; longer ones are cut before they are made plain.
VALUE_LIMIT = 20_000


class ArachniParser(ReportParser):
    """Arachni's JSON report."""

    name = "arachni"
    label = "Arachni JSON"
    defectdojo_scan_types = ("Arachni Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{") or '"seed"' not in text:
            return 0
        if '"options"' not in text and '"issues"' not in text:
            return 0
        if "Arachni/v" in text or "Arachni::" in text or '"arachni_' in text:
            return 95
        if '"issues"' in text and '"sitemap"' in text:
            return 60
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        groups = grouping.FindingGroups()
        for position, item in readers.iter_json(stream, "issues.item", required=True):
            issue = readers.expect_mapping(item, position)
            places = _places(issue, position)
            finding = _finding(issue, places[0], position)
            for place in places:
                groups.add(finding.fingerprint, finding, _label(place))
        yield from groups.findings()


def _places(issue: Mapping[str, Any], position: str) -> list[Mapping[str, Any]]:
    """Return where the issue was found: the issue itself, or each of its (0.4) variations."""
    variations = readers.expect_list(issue.get("variations"), f"{position}.variations")
    places: list[Mapping[str, Any]] = [
        {**issue, **variation} for variation in variations if isinstance(variation, dict) and variation
    ]
    return places or [issue]


def _url(place: Mapping[str, Any]) -> str:
    vector = readers.as_mapping(place.get("vector"))
    for candidate in (
        vector.get("action"),
        vector.get("url"),
        place.get("url"),  # Arachni 0.4 and its variations
        readers.as_mapping(place.get("response")).get("url"),
        readers.as_mapping(place.get("request")).get("url"),
    ):
        url = values.text(candidate)
        if url:
            return url
    return ""


def _input(place: Mapping[str, Any]) -> str | None:
    vector = readers.as_mapping(place.get("vector"))
    return values.text(vector.get("affected_input_name") or place.get("var"))


def _label(place: Mapping[str, Any]) -> str:
    """Name one place: its URL and the input attacked."""
    parameter = _input(place)
    return f"{_url(place)} [{parameter}]" if parameter else _url(place)


def _finding(issue: Mapping[str, Any], place: Mapping[str, Any], position: str) -> NormalizedFinding:
    name = values.text(issue.get("name")) or ""
    check = readers.as_mapping(issue.get("check"))
    shortname = values.text(check.get("shortname")) or values.text(issue.get("mod_name")) or ""
    if not name:
        raise MalformedReport("issue has no name", position=position)
    url = _url(place)
    if not url:
        raise MalformedReport("issue has no URL (vector, request or response)", position=position)
    parts = urlsplit(url)
    vector = readers.as_mapping(place.get("vector"))
    severity_word = str(issue.get("severity") or "").strip().lower()
    references = readers.as_mapping(issue.get("references"))
    tags = [str(tag) for tag in readers.expect_list(issue.get("tags"), f"{position}.tags") if tag]
    if issue.get("trusted") is False:
        tags.append("untrusted")
    method = values.text(vector.get("method") or place.get("method"))
    evidence = [
        f"Proof: {str(place['proof'])[:PROOF_LIMIT]}" if values.text(place.get("proof")) else "",
        f"Signature: {str(place['signature'])[:PROOF_LIMIT]}" if values.text(place.get("signature")) else "",
        f"Element: {vector['type']} {method.upper() if method else ''}".rstrip()
        if values.text(vector.get("type"))
        else "",
    ]
    return NormalizedFinding(
        title=text.title(name),
        severity=SEVERITIES.get(severity_word, values.severity_from_word(severity_word)),
        tool=TOOL,
        rule_id=shortname or name,
        tool_finding_id=values.text(issue.get("digest")),
        description=text.clip(_plain(issue.get("description"))),
        cwe_ids=values.cwe_ids([issue.get("cwe")]),
        location=FindingLocation(url=url, host=parts.hostname, port=_port(url), parameter=_input(place)),
        evidence=text.clip("\n".join(filter(None, evidence))),
        remediation=text.clip(_plain(issue.get("remedy_guidance"))),
        references=tuple(
            dict.fromkeys(str(link).strip() for link in references.values() if values.text(link))
        ),
        tags=tuple(dict.fromkeys(tags)),
        fingerprint=grouping.fingerprint(
            TOOL, shortname or name, urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        ),
    )


def _plain(value: object) -> str:
    """Return Arachni's Markdown text with its lines folded into paragraphs."""
    raw = str(value or "")[:VALUE_LIMIT]
    paragraphs = (" ".join(block.split()) for block in raw.replace("\r", "").split("\n\n"))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _port(url: str) -> int | None:
    """Return the URL's explicit port; a malformed one is left out rather than refused."""
    try:
        return urlsplit(url).port
    except ValueError:
        return None


PARSER = ArachniParser()
