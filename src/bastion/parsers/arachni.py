"""Arachni: the JSON and XML reports (``arachni_reporter --reporter json|xml scan.afr``).

The JSON report (Arachni 1.x) holds the scan's ``version``, ``seed``, ``options`` and
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

The XML report (Arachni 1.x, ``--reporter=xml``) is the same report as elements: a
``<report>`` root naming Arachni's schema (``xsi:noNamespaceSchemaLocation``), then
``version``, ``seed``, ``options`` (YAML text), ``sitemap`` entries and ``<issues>``,
each ``<issue>`` with ``name``, ``description``, ``remedy_guidance``, ``severity``,
``check`` (``shortname``), ``cwe``, ``digest``, ``references`` (``<reference title=
url=>``), ``vector`` (``type``, ``url``, ``action``, ``method``,
``affected_input_name``), ``page`` (its ``request`` and ``response`` URLs),
``signature``, ``proof`` and ``trusted``; Arachni 1.0 may list ``variations`` as
the JSON's 0.4 reports do. Each ``<issue>`` is read as the JSON's issue would be, so
an issue has the same finding, and the same fingerprint, in either report. The
issues and sitemap entries are streamed, each freed once read.

Severity: Arachni's words (high, medium, low, informational). An issue Arachni
marks as not ``trusted`` (it may be a false positive) is tagged ``untrusted``.

Fingerprint: the check (``check.shortname``, else the issue's name) and the site's
scheme and host: the grouping key, in the JSON and XML reports alike. Not the URLs or
inputs, which the finding spans, nor the seed and payloads (random per scan), nor
``digest`` (the tool_finding_id of the first place).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO
from urllib.parse import SplitResult, urlsplit, urlunsplit
from xml.etree.ElementTree import Element

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
# What in an XML report's head shows it is Arachni's: its schema, or the fields only it writes.
_XML_MARKERS = ("/components/reporters/xml/schema.xsd", "<seed>", "<sitemap")


class ArachniParser(ReportParser):
    """Arachni's JSON and XML reports."""

    name = "arachni"
    label = "Arachni JSON/XML"
    defectdojo_scan_types = ("Arachni Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("<"):
            if "<report" not in text or "Arachni" not in text:
                return 0
            if "Arachni/arachni/" in text and "/reporters/xml/schema.xsd" in text:
                return 95
            return 80 if "<seed>" in text and "Arachni/v" in text else 0
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
        head, source = readers.peek(stream)
        text = readers.head_text(head)
        groups = grouping.FindingGroups()
        for issue, position in _xml_issues(text, source) if text.startswith("<") else _json_issues(source):
            places = _places(issue, position)
            finding = _finding(issue, places[0], position)
            for place in places:
                groups.add(finding.fingerprint, finding, _label(place))
        yield from groups.findings()


def _json_issues(source: BinaryIO) -> Iterator[tuple[Mapping[str, Any], str]]:
    for position, item in readers.iter_json(source, "issues.item", required=True, split=True):
        yield readers.expect_mapping(item, position), position


def _xml_issues(head: str, source: BinaryIO) -> Iterator[tuple[Mapping[str, Any], str]]:
    """Yield each ``<issue>`` of an XML report as the JSON report writes it."""
    if not any(marker in head for marker in _XML_MARKERS):
        raise MalformedReport(
            "the report names no Arachni schema, seed or sitemap; it may be another tool's report",
            position="top level",
        )
    index = 0
    for element in readers.iter_xml(source, ("issue", "entry"), roots=("report",)):
        if readers.local_name(element.tag) == "issue":
            yield _xml_issue(element), f"issue[{index}]"
            index += 1


def _xml_issue(issue: Element) -> dict[str, Any]:
    """Return an XML ``<issue>`` in the JSON report's shape (see the module docstring)."""
    record: dict[str, Any] = {
        name: readers.child_text(issue, name)
        for name in (
            "name",
            "description",
            "remedy_guidance",
            "severity",
            "cwe",
            "digest",
            "signature",
            "proof",
        )
    }
    record["check"] = {"shortname": readers.child_text(readers.child(issue, "check"), "shortname")}
    record["references"] = {
        reference.get("title") or reference.get("url") or "": reference.get("url") or ""
        for reference in readers.children(readers.child(issue, "references"), "reference")
    }
    trusted = readers.child_text(issue, "trusted").lower()
    if trusted in ("true", "false"):
        record["trusted"] = trusted == "true"
    vector = _xml_vector(readers.child(issue, "vector"))
    record["vector"] = vector
    record.update(_xml_page(readers.child(issue, "page")))
    record["variations"] = [
        {
            "vector": {**vector, **_xml_vector(readers.child(variation, "vector"))},
            **_xml_page(readers.child(variation, "page")),
            **{name: readers.child_text(variation, name) for name in ("signature", "proof")},
        }
        for variation in readers.children(readers.child(issue, "variations"), "variation")
    ]
    return record


def _xml_vector(vector: Element | None) -> dict[str, str]:
    fields = ("type", "url", "action", "method", "affected_input_name")
    return {name: value for name in fields if (value := readers.child_text(vector, name))}


def _xml_page(page: Element | None) -> dict[str, dict[str, str]]:
    """Return the URLs of a page's request and response, as the JSON's ``request`` and ``response``."""
    return {
        kind: {"url": url}
        for kind in ("request", "response")
        if (url := readers.child_text(readers.child(page, kind), "url"))
    }


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
    origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
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
        description=_clipped_plain(issue.get("description")),
        cwe_ids=values.cwe_ids([issue.get("cwe")]),
        location=FindingLocation(url=url, host=parts.hostname, port=_port(parts), parameter=_input(place)),
        evidence=text.clip("\n".join(filter(None, evidence))),
        remediation=_clipped_plain(issue.get("remedy_guidance")),
        references=tuple(
            dict.fromkeys(str(link).strip() for link in references.values() if values.text(link))
        ),
        tags=tuple(dict.fromkeys(tags)),
        fingerprint=_fingerprint(shortname or name, origin),
    )


def _clipped_plain(value: object) -> str:
    """Return Arachni's Markdown text with its lines folded into paragraphs, clipped."""
    raw = str(value or "")[:VALUE_LIMIT]
    return _cached_plain(raw) if len(raw) <= _CACHED_CHARACTERS else _plain(raw)


def _plain(raw: str) -> str:
    paragraphs = (" ".join(block.split()) for block in raw.replace("\r", "").split("\n\n"))
    return text.clip("\n\n".join(paragraph for paragraph in paragraphs if paragraph))


# The issues of a check share its texts and, on one site, its fingerprint: each is made once
# for the next issues of the check. Up to this many, each text this short at most.
_CACHED_TEXTS = 128
_CACHED_CHARACTERS = 16_384
_cached_plain = functools.lru_cache(maxsize=_CACHED_TEXTS)(_plain)


def _fingerprint(check: str, origin: str) -> str:
    if len(check) + len(origin) <= _CACHED_CHARACTERS:
        return _cached_fingerprint(check, origin)
    return grouping.fingerprint(TOOL, check, origin)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _cached_fingerprint(check: str, origin: str) -> str:
    return grouping.fingerprint(TOOL, check, origin)


def _port(parts: SplitResult) -> int | None:
    """Return the URL's explicit port; a malformed one is left out rather than refused."""
    try:
        return parts.port
    except ValueError:
        return None


PARSER = ArachniParser()
