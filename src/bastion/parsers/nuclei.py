"""Nuclei JSON: JSON Lines (``nuclei -jsonl``, ``-json`` before v3) or a JSON array
(``nuclei -je file``), with the field names of v3 (``template-id``, ``matched-at``,
``matcher-name``) or of v2 (``templateID``, ``matched``, ``matcher_name``).

Severity: the template's own word (critical, high, medium, low, info; unknown →
info).

Grouping: nuclei reports one result per matching request — per URL, per port,
per extracted value. As DefectDojo does, the results of one template and matcher
on one host are one finding, located and described by the first; the other
places it matched (``matched-at``) are listed in its evidence and
``instances:N`` counts them. The findings come out when the report has been read.

Fingerprint: the grouping key, template id, matcher name and host name (no
port, no path). An empty JSON Lines export (nuclei found nothing) has no findings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO
from urllib.parse import SplitResult, urlsplit

from bastion.contracts.finding import MAX_TEXT, FindingLocation, NormalizedFinding
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

# Request and response each keep at most this much of the evidence.
MAX_EXCHANGE = 20_000


class NucleiParser(ReportParser):
    """Nuclei's JSON Lines or JSON array export."""

    name = "nuclei"
    label = "Nuclei JSON"
    defectdojo_scan_types = ("Nuclei Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith(("{", "[")):
            return 0
        has_template = '"template-id"' in text or '"templateID"' in text
        has_result = any(
            marker in text for marker in ('"matched-at"', '"matched"', '"matcher-status"', '"template-url"')
        )
        return 90 if has_template and has_result and '"info"' in text else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        if first == b"[":
            results = readers.iter_json(source, "item")
        else:
            results = readers.iter_json_lines(source)
        groups = grouping.FindingGroups()
        for position, item in results:
            finding, matched = _finding(readers.expect_mapping(item, position), position)
            groups.add(finding.fingerprint, finding, matched or finding.location.host or position)
        yield from groups.findings()


def _finding(result: Mapping[str, Any], position: str) -> tuple[NormalizedFinding, str | None]:
    """Return a result's finding and the place it matched at."""
    template_id = str(_field(result, "template-id", "templateID") or "")
    if not template_id:
        raise MalformedReport("a result without template-id", position=position)
    info = readers.expect_mapping(result.get("info") or {}, f"{position}.info")
    classification = readers.expect_mapping(
        info.get("classification") or {}, f"{position}.info.classification"
    )
    matcher = str(_field(result, "matcher-name", "matcher_name") or "") or None
    extractor = str(_field(result, "extractor-name", "extractor_name") or "") or None
    matched = str(_field(result, "matched-at", "matched") or "") or None
    extracted = [
        str(value)
        for value in readers.expect_list(
            _field(result, "extracted-results", "extracted_results"),
            f"{position}.extracted-results",
        )
    ]
    place = _place(result, matched)
    vector, score, vector4, score4 = _cvss(classification)
    name = str(info.get("name") or template_id)
    matched_at = f"Matched at: {matched}" if matched else ""
    extracted_text = "Extracted: " + ", ".join(extracted) if extracted else ""
    description = [
        str(info.get("description") or "").strip(),
        matched_at,
        f"Matcher: {matcher}" if matcher else "",
        f"Extractor: {extractor}" if extractor else "",
        extracted_text,
        f"Template: {result['template']}" if result.get("template") else "",
    ]
    evidence = _evidence("\n\n".join(part for part in (matched_at, extracted_text) if part), result)
    finding = NormalizedFinding(
        title=text.title(f"{name} ({matcher})" if matcher else name),
        severity=values.severity_from_word(info.get("severity")),
        tool="nuclei",
        rule_id=template_id,
        description=text.clip("\n".join(part for part in description if part)),
        advisory_ids=values.advisory_ids(_words(classification.get("cve-id"))),
        cwe_ids=values.cwe_ids(_words(classification.get("cwe-id"))),
        cvss_v3_vector=vector,
        cvss_v3_score=score,
        cvss_v4_vector=vector4,
        cvss_v4_score=score4,
        location=FindingLocation(
            url=matched if matched and "://" in matched else None,
            host=place.hostname if place else None,
            port=_port(result, place),
            protocol=str(result.get("scheme") or "") or (place.scheme if place and place.scheme else None),
        ),
        evidence=evidence,
        remediation=text.clip(info.get("remediation")),
        references=_references(info.get("reference"), result.get("template-url")),
        tags=tuple(_words(info.get("tags"))),
        fingerprint=grouping.fingerprint("nuclei", template_id, matcher, place.hostname if place else None),
    )
    return finding, matched


def _evidence(places: str, result: Mapping[str, Any]) -> str:
    """Return where it matched, then the request and the response, each clipped to MAX_EXCHANGE.

    The exchange is clipped (and cleaned) once: the whole is clipped again only when
    ``places`` needs cleaning or the whole is too long, which a real report never has.
    """
    exchange = (
        "Request:\n" + text.clip(result["request"], MAX_EXCHANGE) if result.get("request") else "",
        "Response:\n" + text.clip(result["response"], MAX_EXCHANGE) if result.get("response") else "",
    )
    evidence = "\n\n".join(part for part in (places, *exchange) if part)
    if len(evidence) > MAX_TEXT or text.clip(places, MAX_TEXT) != places:
        return text.clip(evidence)
    return evidence


def _field(result: Mapping[str, Any], current: str, legacy: str) -> Any:
    value = result.get(current)
    return result.get(legacy) if value is None else value


def _place(result: Mapping[str, Any], matched: str | None) -> SplitResult | None:
    """Return the first of matched-at, host, path, url and ip that parses with a host name."""
    # Some v3 releases write ``url`` as "/http://host/": the leading slash is dropped.
    candidates = (
        matched,
        result.get("host"),
        result.get("path"),
        result.get("url"),
        result.get("ip"),
    )
    for candidate in candidates:
        if not candidate or not isinstance(candidate, str):
            continue
        text = candidate.strip().lstrip("/") if "://" in candidate else candidate.strip()
        try:
            parsed = urlsplit(text if "://" in text else f"//{text}")
        except ValueError:
            continue
        if parsed.hostname:
            return parsed
    return None


def _port(result: Mapping[str, Any], place: SplitResult | None) -> int | None:
    port = values.as_int(result.get("port"))
    if port is None and place is not None:
        try:
            port = place.port
        except ValueError:
            return None
    return port if port is not None and 0 <= port <= 65535 else None


def _cvss(
    classification: Mapping[str, Any],
) -> tuple[str | None, float | None, str | None, float | None]:
    metrics = str(classification.get("cvss-metrics") or "").strip()
    if metrics.startswith("CVSS:4"):
        vector4, score4 = values.cvss4(metrics)
        return None, None, vector4, score4
    vector, score = values.cvss3(metrics or None)
    return vector, score, None, None


def _words(value: object) -> list[str]:
    """Return a list field that nuclei writes as an array, a comma string or null."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item).strip() for item in value if item is not None and str(item).strip()]
    return [word.strip() for word in str(value).split(",") if word.strip()]


def _references(value: object, template_url: object) -> tuple[str, ...]:
    """Return the template's references (an array, or a "- url" list in one string in v2)."""
    if isinstance(value, list):
        found = [str(item).strip() for item in value if item]
    else:
        found = [part.strip().lstrip("-").strip() for part in str(value or "").splitlines()]
    if template_url:
        found.append(str(template_url))
    return tuple(dict.fromkeys(item for item in found if item))


PARSER = NucleiParser()
