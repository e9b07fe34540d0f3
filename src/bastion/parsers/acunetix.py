"""Acunetix: the XML export (``<ScanGroup>``) and the Acunetix 360 JSON report.

* XML (Acunetix 10-13 "Export to XML"): a ``Scan/ReportItems/ReportItem`` per check and
  place; its URL is the scan's start URL (``Crawler/@StartUrl``, else ``StartURL``)
  joined with ``Affects``. As DefectDojo does, the items of one check on one site —
  the same ``Name``, ``Impact`` and ``Recommendation`` — are one finding, located and
  described by the first; every other place (URL, parameter and what the item names,
  a cookie or a form) is listed in its evidence and ``instances:N`` counts them, the
  CVEs and CWEs of every item gathered. (DefectDojo also merges the items of several
  scans in one export; Bastion keeps each scan's site apart, as a finding has one
  site.) The findings come out when the export has been read.
* Acunetix 360 JSON (the Invicti/Netsparker report shape: ``Generated``, ``Target``,
  ``Vulnerabilities``): one finding per entry of ``Vulnerabilities``, streamed.

Severity: Acunetix's own words (critical, high, medium, low, informational); Acunetix
360's ``Information`` and ``BestPractice`` are info.

Fingerprint:
* XML: the grouping key — the scan's site (scheme and host), the check's name,
  impact and recommendation (whitespace folded) — with the check (``ModuleName``).
  Not the places, which the finding spans, nor item ids, details or timings.
* JSON: the vulnerability ``Type``, the URL without its query (which carries the
  attack payload, random per scan) and the names of the vulnerable parameters.
  ``LookupId`` is the tool_finding_id.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, BinaryIO
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "acunetix"

SEVERITIES: Mapping[str, Severity] = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "informational": Severity.INFO,
    "information": Severity.INFO,
    "info": Severity.INFO,
    "bestpractice": Severity.INFO,
}
HREF = re.compile(r"""href\s*=\s*['"]([^'"]+)['"]""", re.IGNORECASE)


class AcunetixParser(ReportParser):
    """Acunetix XML export and Acunetix 360 JSON."""

    name = "acunetix"
    label = "Acunetix XML / Acunetix 360 JSON"
    defectdojo_scan_types = ("Acunetix Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("<"):
            return 95 if "<ScanGroup" in text and ("ExportedOn" in text or "<ReportItems" in text) else 0
        if not text.startswith("{") or '"Vulnerabilities"' not in text:
            return 0
        if '"LookupId"' in text or ('"Certainty"' in text and '"Classification"' in text):
            # The Invicti shape; Acunetix 360 names itself in its texts and requests.
            return 90 if "Acunetix" in text else 40
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        if first == b"<":
            return self._parse_xml(source)
        return self._parse_json(source)

    # --- XML -------------------------------------------------------------------------

    def _parse_xml(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        start_url = ""
        crawler_url = ""
        index = 0
        # SiteFile and Crawler are named so that the crawl map is freed as it is read.
        tags = ("StartURL", "Crawler", "SiteFile", "ReportItem", "Scan")
        groups = grouping.FindingGroups()
        for element in readers.iter_xml(stream, tags, roots=("ScanGroup",)):
            kind = readers.local_name(element.tag)
            if kind == "StartURL":
                start_url = (element.text or "").strip()
            elif kind == "Crawler":
                crawler_url = (element.get("StartUrl") or "").strip()
            elif kind == "Scan":
                start_url = crawler_url = ""
            elif kind == "ReportItem":
                site = _site(crawler_url or start_url)
                finding = _xml_finding(element, site, f"ReportItem[{index}]")
                groups.add(finding.fingerprint, finding, _xml_place(element, finding))
                index += 1
        yield from groups.findings()

    # --- JSON ------------------------------------------------------------------------

    def _parse_json(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        for position, item in readers.iter_json(stream, "Vulnerabilities.item", required=True):
            yield _json_finding(readers.expect_mapping(item, position), position)


def _xml_finding(item: Element, base: str, position: str) -> NormalizedFinding:
    name = readers.child_text(item, "Name")
    module = readers.child_text(item, "ModuleName")
    if not name and not module:
        raise MalformedReport("ReportItem has neither Name nor ModuleName", position=position)
    affects = readers.child_text(item, "Affects")
    parameter = readers.child_text(item, "Parameter")
    details = readers.child_text(item, "Details")
    url = urljoin(base, affects) if base else affects or None
    cvss3_vector, cvss3_score = values.cvss3(_nested_text(item, "CVSS3", "Descriptor"))
    severity_word = readers.child_text(item, "Severity").lower()
    references = [
        readers.child_text(reference, "URL")
        for reference in readers.descendants(readers.child(item, "References"), "Reference")
    ]
    kind = readers.child_text(item, "Type")
    false_positive = readers.child_text(item, "IsFalsePositive").lower() == "true"
    source_file = readers.child_text(item, "AOP_SourceFile")
    source_line = values.as_int(readers.child_text(item, "AOP_SourceLine"))
    return NormalizedFinding(
        title=text.title(name or module),
        severity=SEVERITIES.get(severity_word, values.severity_from_word(severity_word)),
        tool=TOOL,
        rule_id=module or name,
        tool_finding_id=item.get("id") or None,
        description=text.clip(_xml_paragraphs(item, ("Description", "Impact"))),
        advisory_ids=values.advisory_ids(
            [(cve.text or "") for cve in readers.descendants(readers.child(item, "CVEList"), "CVE")]
            + [details]
        ),
        cwe_ids=values.cwe_ids(
            cwe.get("id") or (cwe.text or "")
            for cwe in readers.descendants(readers.child(item, "CWEList"), "CWE")
        ),
        cvss_v3_vector=cvss3_vector,
        cvss_v3_score=cvss3_score,
        location=FindingLocation(
            url=url,
            parameter=parameter if parameter and parameter != "<empty>" else None,
            host=urlsplit(base).hostname if base else None,
            file_path=source_file or None,
            line_start=source_line if source_file else None,
        ),
        evidence=text.clip(
            "\n\n".join(
                filter(
                    None,
                    [text.html_text(details), _nested_text(item, "TechnicalDetails", "Request")],
                )
            )
        ),
        remediation=text.clip(text.html_text(readers.child_text(item, "Recommendation"))),
        references=tuple(dict.fromkeys(reference for reference in references if reference)),
        tags=tuple(
            tag for tag in (kind and f"type:{kind}", "false-positive" if false_positive else "") if tag
        ),
        fingerprint=grouping.fingerprint(
            TOOL,
            _origin(base),
            module or name,
            name,
            " ".join(readers.child_text(item, "Impact").split()),
            " ".join(readers.child_text(item, "Recommendation").split()),
        ),
    )


def _xml_place(item: Element, finding: NormalizedFinding) -> str:
    """Name one place a check was found at: URL, parameter and what the details name."""
    place = finding.location.url or ""
    if finding.location.parameter:
        place += f" [{finding.location.parameter}]"
    details = " ".join(text.html_text(readers.child_text(item, "Details")).split())
    return f"{place}: {text.clip(details, 200)}" if details else place


def _json_finding(vulnerability: Mapping[str, Any], position: str) -> NormalizedFinding:
    get = vulnerability.get
    name = str(get("Name") or "")
    kind = str(get("Type") or "")
    url = str(get("Url") or "")
    if not url:
        raise MalformedReport("vulnerability has no Url", position=position)
    if not name and not kind:
        raise MalformedReport("vulnerability has neither Name nor Type", position=position)
    classification = get("Classification") or {}
    if type(classification) is not dict:
        classification = readers.expect_mapping(classification, f"{position}.Classification")
    request = get("HttpRequest") or {}
    if type(request) is not dict:
        request = readers.expect_mapping(request, f"{position}.HttpRequest")
    parameters = _list(request.get("Parameters"), position, ".HttpRequest.Parameters")
    vulnerable = [
        str(parameter["Name"])
        for parameter in parameters
        if isinstance(parameter, dict) and parameter.get("Vulnerable") and parameter.get("Name")
    ]
    extra = _list(get("ExtraInformation"), position, ".ExtraInformation")
    known = _list(get("KnownVulnerabilities"), position, ".KnownVulnerabilities")
    proof = str(get("ProofOfConcept") or "")
    evidence = [text.html_text(proof) if proof else ""] + [
        f"{entry['Name']}: {entry.get('Value')}"
        for entry in extra
        if isinstance(entry, dict) and entry.get("Name")
    ]
    description, remediation, references = _type_texts(*[str(get(key) or "") for key in _TYPE_TEXTS])
    parts = urlsplit(url)
    severity_word = str(get("Severity") or "").lower()
    return NormalizedFinding(
        title=text.title(name or kind),
        severity=SEVERITIES.get(severity_word, values.severity_from_word(severity_word)),
        tool=TOOL,
        rule_id=kind or name,
        tool_finding_id=str(get("LookupId") or "") or None,
        description=description,
        advisory_ids=_advisory_ids(known) if known else (),
        cwe_ids=_cwe_ids(cwe)
        if isinstance(cwe := classification.get("Cwe"), str | int)
        else values.cwe_ids([cwe]),
        **_json_scores(classification),
        location=FindingLocation(
            url=url, host=parts.hostname, parameter=", ".join(vulnerable) or None, port=_port(parts)
        ),
        evidence=text.clip("\n".join(filter(None, evidence))),
        remediation=remediation,
        references=references,
        tags=_json_tags(vulnerability),
        fingerprint=grouping.fingerprint(
            TOOL,
            kind or name,
            urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
            ",".join(sorted(vulnerable)),
        ),
    )


# The texts Acunetix 360 writes once per vulnerability type, repeated in every finding of it.
_TYPE_TEXTS = (
    "Description",
    "Impact",
    "RemedialProcedure",
    "RemedialActions",
    "ExternalReferences",
    "RemedyReferences",
)


def _type_texts(*texts: str) -> tuple[str, str, tuple[str, ...]]:
    """Return a type's description, remediation and reference URLs, made once per type (if short)."""
    if sum(map(len, texts)) <= _CACHED_TEXT:
        return _cached_type_texts(*texts)
    return _cached_type_texts.__wrapped__(*texts)


_CACHED_TEXT = 64 * 1024  # the most of a type's texts kept


@functools.lru_cache(maxsize=1024)
def _cached_type_texts(
    description: str,
    impact: str,
    procedure: str,
    actions: str,
    external_references: str,
    remedy_references: str,
) -> tuple[str, str, tuple[str, ...]]:
    return (
        text.clip(_joined_paragraphs((description, impact))),
        text.clip(_joined_paragraphs((procedure, actions))),
        tuple(dict.fromkeys(HREF.findall(f"{external_references} {remedy_references}"))),
    )


def _advisory_ids(known: list[Any]) -> tuple[str, ...]:
    """Return the advisory ids in the titles of the known vulnerabilities.

    A library may list hundreds, and most titles name none: a plain search of the
    case-folded text for what every id starts with spares the full pattern then.
    """
    try:
        titles = "\n".join(map(_TITLE, known))  # the usual shape: objects with a text Title
    except (TypeError, KeyError):
        titles = "\n".join([str(entry.get("Title") or "") for entry in known if isinstance(entry, dict)])
    folded = titles.casefold()
    # One text or the titles apart: ids never span a line, so the matches are the same.
    return values.advisory_ids([titles]) if "cve-" in folded or "ghsa" in folded else ()


_TITLE = operator.itemgetter("Title")


@functools.lru_cache(maxsize=1024, typed=True)
def _cwe_ids(cwe: object) -> tuple[int, ...]:
    return values.cwe_ids([cwe])


def _list(value: Any, position: str, suffix: str) -> list[Any]:
    """Return a JSON array (None counts as empty), naming the field only when it is not one."""
    if type(value) is list:
        return value
    return readers.expect_list(value, f"{position}{suffix}")


def _json_scores(classification: Mapping[str, Any]) -> dict[str, Any]:
    """Return the CVSS v3 and v4 vectors and scores of the classification."""
    cvss3_vector, cvss3_score = _json_cvss(classification, ("Cvss31", "Cvss"), values.cvss3)
    cvss4_vector, cvss4_score = _json_cvss(classification, ("Cvss40", "Cvss4"), values.cvss4)
    return {
        "cvss_v3_vector": cvss3_vector,
        "cvss_v3_score": cvss3_score,
        "cvss_v4_vector": cvss4_vector,
        "cvss_v4_score": cvss4_score,
    }


def _json_cvss(
    classification: Mapping[str, Any],
    keys: tuple[str, ...],
    read: Callable[[str | None], tuple[str | None, float | None]],
) -> tuple[str | None, float | None]:
    """Return the first valid vector (and score) under ``keys`` of the classification."""
    for key in keys:
        score = classification.get(key)
        if isinstance(score, dict) and score.get("Vector"):
            vector, value = read(str(score["Vector"]))
            if vector:
                return vector, value
    return None, None


def _json_tags(vulnerability: Mapping[str, Any]) -> tuple[str, ...]:
    """Tag the state ("Present, FalsePositive"), confirmation and certainty."""
    states = [part.strip().lower() for part in str(vulnerability.get("State") or "").split(",")]
    tags = [f"state:{state}" for state in states if state and state != "falsepositive"]
    if "falsepositive" in states:
        tags.append("false-positive")
    if vulnerability.get("Confirmed") is True:
        tags.append("confirmed")
    if vulnerability.get("Certainty") is not None:
        tags.append(f"certainty:{vulnerability['Certainty']}")
    return tuple(tags)


def _joined_paragraphs(parts: tuple[str, ...]) -> str:
    texts = (text.html_text(part) for part in parts)
    return "\n\n".join(text for text in texts if text)


def _site(start: str) -> str:
    """Return the scan's start URL with a scheme ("example.com" is read as http)."""
    if not start:
        return ""
    return start if "://" in start else f"http://{start}"


def _origin(url: str) -> str:
    """Return a URL's scheme and host, the part of the start URL that names the site."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def _xml_paragraphs(item: Element, names: tuple[str, ...]) -> str:
    texts = (text.html_text(readers.child_text(item, name)) for name in names)
    return "\n\n".join(text for text in texts if text)


def _port(parts: SplitResult) -> int | None:
    """Return the URL's explicit port; a malformed one is left out rather than refused."""
    try:
        return parts.port
    except ValueError:
        return None


def _nested_text(element: Element, parent: str, name: str) -> str:
    return readers.child_text(readers.child(element, parent), name)


PARSER = AcunetixParser()
