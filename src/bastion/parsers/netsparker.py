"""Netsparker (Invicti): the JSON report (``Generated``, ``Target``, ``Vulnerabilities``).

Netsparker's "Vulnerabilities (JSON)" export, also written by Invicti after the rename,
lists one entry of ``Vulnerabilities`` per check and place: its ``Type`` (the check,
``CookieNotMarkedAsSecure``), ``Name``, ``Url``, ``Severity``, ``Classification``
(``Cwe``, ``Cvss`` / ``Cvss31`` / ``Cvss40`` with ``Vector``), the HTTP request and
response, and texts in HTML. As DefectDojo does, the entries of one check are one
finding: here per check and site (scheme and host), located and described by the
first entry, every other URL listed in its evidence and counted by ``instances:N``.
The findings come out when the report has been read; the entries are streamed.
Both the older export (``Cvss`` only, ``State`` absent) and the current one
(``Cvss31``, ``Cvss40``, ``State``, ``KnownVulnerabilities``) are read. Acunetix 360
writes the same shape and names itself in it: that report is Acunetix's.

Severity: Netsparker's words (Critical, High, Medium, Low); ``Information`` and
``BestPractice`` are info. ``State`` ``FalsePositive`` is tagged ``false-positive``,
``AcceptedRisk`` ``accepted-risk``.

Fingerprint: the check (``Type``, else ``Name``) and the site's scheme and host:
the grouping key. Not the URLs (their query carries the attack payload, random per
scan), nor ``LookupId`` (the tool_finding_id), dates or texts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, BinaryIO
from urllib.parse import SplitResult, urlsplit, urlunsplit

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "netsparker"

SEVERITIES: Mapping[str, Severity] = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "information": Severity.INFO,
    "informational": Severity.INFO,
    "info": Severity.INFO,
    "bestpractice": Severity.INFO,
}
HREF = re.compile(r"""href\s*=\s*['"]([^'"]+)['"]""", re.IGNORECASE)
# Texts longer than this are cut before HTML is made plain: a report's prose, not its payloads.
VALUE_LIMIT = 20_000
# The texts a check shares (its description, remedy, references, known vulnerabilities) are
# made plain once, for the next entries of the check: up to this many, each this short at most.
_CACHED_TEXTS = 128
_CACHED_CHARACTERS = 16_384


class NetsparkerParser(ReportParser):
    """Netsparker / Invicti JSON report."""

    name = "netsparker"
    label = "Netsparker / Invicti JSON"
    defectdojo_scan_types = ("Netsparker Scan", "Invicti Scan")

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{") or '"Vulnerabilities"' not in text:
            return 0
        if '"Generated"' not in text and '"Target"' not in text:
            return 0
        if '"LookupId"' in text or ('"Certainty"' in text and '"Classification"' in text):
            # Acunetix 360 writes this shape too, and names itself in its texts and requests.
            return 30 if "Acunetix" in text else 80
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        groups = grouping.FindingGroups()
        for position, item in readers.iter_json(stream, "Vulnerabilities.item", required=True, split=True):
            vulnerability = readers.expect_mapping(item, position)
            finding = _finding(vulnerability, position)
            groups.add(finding.fingerprint, finding, finding.location.url or "")
        yield from groups.findings()


def _finding(vulnerability: Mapping[str, Any], position: str) -> NormalizedFinding:
    name = values.text(vulnerability.get("Name")) or ""
    kind = values.text(vulnerability.get("Type")) or ""
    url = values.text(vulnerability.get("Url")) or ""
    if not name and not kind:
        raise MalformedReport("vulnerability has neither Name nor Type", position=position)
    if not url:
        raise MalformedReport("vulnerability has no Url", position=position)
    classification = readers.as_mapping(vulnerability.get("Classification"))
    cvss3_vector, cvss3_score = _cvss(classification, ("Cvss31", "Cvss"), values.cvss3)
    cvss4_vector, cvss4_score = _cvss(classification, ("Cvss40", "Cvss4"), values.cvss4)
    request = readers.as_mapping(vulnerability.get("HttpRequest"))
    parameters = readers.expect_list(request.get("Parameters"), f"{position}.HttpRequest.Parameters")
    vulnerable = [
        str(parameter["Name"])
        for parameter in parameters
        if isinstance(parameter, dict) and parameter.get("Vulnerable") and parameter.get("Name")
    ]
    extra = readers.expect_list(vulnerability.get("ExtraInformation"), f"{position}.ExtraInformation")
    evidence = [_html(vulnerability.get("ProofOfConcept"))] + [
        f"{entry['Name']}: {entry.get('Value')}"
        for entry in extra
        if isinstance(entry, dict) and entry.get("Name")
    ]
    if request.get("Content"):
        evidence.append(str(request["Content"])[:VALUE_LIMIT])
    known = readers.expect_list(vulnerability.get("KnownVulnerabilities"), f"{position}.KnownVulnerabilities")
    titles = "\n".join(
        title for entry in known if isinstance(entry, dict) and (title := str(entry.get("Title") or ""))
    )
    links = " ".join(str(vulnerability.get(key) or "") for key in ("ExternalReferences", "RemedyReferences"))
    parts = urlsplit(url)
    severity_word = str(vulnerability.get("Severity") or "").strip().lower()
    origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    return NormalizedFinding(
        title=text.title(name or kind),
        severity=SEVERITIES.get(severity_word, values.severity_from_word(severity_word)),
        tool=TOOL,
        rule_id=kind or name,
        tool_finding_id=values.text(vulnerability.get("LookupId")),
        description=_paragraphs(vulnerability, ("Description", "Impact")),
        advisory_ids=_cached_advisory_ids(titles)
        if len(titles) <= _CACHED_CHARACTERS
        else _advisory_ids(titles),
        cwe_ids=values.cwe_ids(str(classification.get("Cwe") or "").split(",")),
        cvss_v3_vector=cvss3_vector,
        cvss_v3_score=cvss3_score,
        cvss_v4_vector=cvss4_vector,
        cvss_v4_score=cvss4_score,
        location=FindingLocation(
            url=url, host=parts.hostname, parameter=", ".join(vulnerable) or None, port=_port(parts)
        ),
        evidence=text.clip("\n\n".join(filter(None, evidence))),
        remediation=_paragraphs(vulnerability, ("RemedialProcedure", "RemedialActions")),
        references=_cached_references(links) if len(links) <= _CACHED_CHARACTERS else _references(links),
        tags=_tags(vulnerability),
        fingerprint=grouping.fingerprint(TOOL, kind or name, origin),
    )


def _cvss(
    classification: Mapping[str, Any],
    keys: tuple[str, ...],
    read: Callable[[str | None], tuple[str | None, float | None]],
) -> tuple[str | None, float | None]:
    """Return the first valid vector (and its score) under ``keys`` of the classification."""
    for key in keys:
        score = classification.get(key)
        if isinstance(score, dict) and score.get("Vector"):
            vector, value = read(str(score["Vector"]))
            if vector:
                return vector, value
    return None, None


def _tags(vulnerability: Mapping[str, Any]) -> tuple[str, ...]:
    """Tag the state ("Present, Revived"), confirmation and certainty."""
    states = [part.strip().lower() for part in str(vulnerability.get("State") or "").split(",")]
    tags = [f"state:{state}" for state in states if state and state not in ("falsepositive", "acceptedrisk")]
    if "falsepositive" in states:
        tags.append("false-positive")
    if "acceptedrisk" in states:
        tags.append("accepted-risk")
    if vulnerability.get("Confirmed") is True:
        tags.append("confirmed")
    if vulnerability.get("Certainty") is not None:
        tags.append(f"certainty:{vulnerability['Certainty']}")
    return tuple(tags)


def _html(value: object) -> str:
    return text.html_text(str(value or "")[:VALUE_LIMIT])


def _paragraphs(vulnerability: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    """Return the texts under ``keys``, made plain, one paragraph each, clipped."""
    texts = tuple(str(vulnerability.get(key) or "")[:VALUE_LIMIT] for key in keys)
    if sum(map(len, texts)) <= _CACHED_CHARACTERS:
        return _cached_paragraphs(texts)
    return _plain_paragraphs(texts)


def _plain_paragraphs(texts: tuple[str, ...]) -> str:
    return text.clip("\n\n".join(filter(None, map(text.html_text, texts))))


def _advisory_ids(titles: str) -> tuple[str, ...]:
    return values.advisory_ids([titles])


def _references(links: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(HREF.findall(links)))


_cached_paragraphs = functools.lru_cache(maxsize=_CACHED_TEXTS)(_plain_paragraphs)
_cached_advisory_ids = functools.lru_cache(maxsize=_CACHED_TEXTS)(_advisory_ids)
_cached_references = functools.lru_cache(maxsize=_CACHED_TEXTS)(_references)


def _port(parts: SplitResult) -> int | None:
    """Return the URL's explicit port; a malformed one is left out rather than refused."""
    try:
        return parts.port
    except ValueError:
        return None


PARSER = NetsparkerParser()
