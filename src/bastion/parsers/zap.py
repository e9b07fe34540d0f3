"""OWASP ZAP traditional reports: XML (``OWASPZAPReport``) and JSON (``"site": [...]``).

Both forms, with or without requests and responses, list sites, each with its
alerts; an alert lists the instances (URI, method, parameter, attack, evidence)
where ZAP raised it. A finding is one alert on one site, located at the site (and
at the URI and parameter when all instances share them), its instances listed in
the evidence and counted by ``instances:N`` (ZAP's ``count`` when it gives one).
The XML is streamed site by site (the DOCTYPE some versions write is dropped, see
``readers.iter_xml``), the JSON one site at a time.

Severity is ZAP's risk code: 3 high, 2 medium, 1 low, 0 informational (the risk
word in ``riskdesc`` when the code is missing). Confidence 0 means the alert was
marked a false positive: tagged ``false-positive``.

Fingerprint: site name, plugin id, alert name, risk and confidence codes: the
key ZAP itself groups instances by (one plugin raises alerts under several names,
and splits one name by confidence). Not the instances, which vary with the crawl,
nor the description, whose wording changes between ZAP versions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

from bastion.contracts.finding import MAX_TEXT, FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

# The most instances kept for one alert; later ones are only counted.
INSTANCE_LIMIT = 1000
# The most of one instance value (evidence, attack, request...) kept.
VALUE_LIMIT = 2000

RISKS = {0: Severity.INFO, 1: Severity.LOW, 2: Severity.MEDIUM, 3: Severity.HIGH}
CONFIDENCES = {0: "false positive", 1: "low", 2: "medium", 3: "high", 4: "confirmed"}
INSTANCE_FIELDS = (
    "attack",
    "evidence",
    "otherinfo",
    "requestheader",
    "requestbody",
    "responseheader",
    "responsebody",
)

_HTML = re.compile(r"<\s*/?\s*(?:p|br|ul|ol|li|a|b|i|div|code|pre)\b[^>]*>", re.IGNORECASE)
_JSON_VERSION = re.compile(r'"@version"\s*:\s*"([^"]*)"')
_JSON_SITE = re.compile(r'"site"\s*:\s*([\[{])')


class ZapParser(ReportParser):
    """ZAP's traditional XML and JSON reports."""

    name = "zap"
    label = "OWASP ZAP XML/JSON"
    defectdojo_scan_types = ("ZAP Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("<") and "<OWASPZAPReport" in text:
            return 100
        if text.startswith("{") and '"@generated"' in text and '"@version"' in text:
            if '"@programName"' in text and '"ZAP"' in text:
                return 95
            if '"site"' in text and ('"@ssl"' in text or '"alerts"' in text):
                return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream)
        text = readers.head_text(head)
        if text.startswith("{"):
            yield from _parse_json(source, text)
        else:
            yield from _parse_xml(source, text)


def _parse_xml(source: BinaryIO, head: str) -> Iterator[NormalizedFinding]:
    tool_version = readers.root_attributes(head, "OWASPZAPReport").get("version") or None
    pending: list[dict[str, Any]] = []
    site_index = 0
    for element in readers.iter_xml(
        source, ("alertitem", "site"), roots=("OWASPZAPReport",), drop_doctype=True
    ):
        if readers.local_name(element.tag) == "alertitem":
            pending.append(_xml_alert(element))
            continue
        if not element.attrib and not pending:
            continue  # a <site> naming an insight's site, not a site of alerts
        # A site ends after its alerts: only now are its name and host known.
        site = dict(element.attrib)
        for index, alert in enumerate(pending):
            yield _finding(alert, site, tool_version, f"site[{site_index}].alertitem[{index}]", is_xml=True)
        pending.clear()
        site_index += 1
    if pending:
        raise MalformedReport("an alertitem is outside any site", position=f"site[{site_index}]")


def _xml_alert(element: Element) -> dict[str, Any]:
    """Turn an ``<alertitem>`` into the shape the JSON report gives an alert.

    Its instances come as :func:`_finding` makes them of the JSON report's: their
    field names folded (see :func:`_key`), their values stripped.
    """
    alert: dict[str, Any] = {}
    local_name = readers.local_name
    clip = text.clip
    for child in element:
        name = local_name(child.tag)
        if name != "instances":
            value = child.text
            if name not in alert:
                alert[name] = clip(value.strip()) if value else ""
            elif value and len(value) > text.ABSURD_FIELD_CHARACTERS:
                clip(value.strip())  # a repeated field is not read, but refused all the same
            continue
        instances: list[dict[str, str]] = []
        for instance in child:
            if len(instances) >= INSTANCE_LIMIT:
                break
            parts = {local_name(part.tag): clip((part.text or "").strip(), VALUE_LIMIT) for part in instance}
            instances.append({_key(key): value.strip() for key, value in parts.items()})
        alert["instances"] = instances
    return alert


def _parse_json(source: BinaryIO, head: str) -> Iterator[NormalizedFinding]:
    version = _JSON_VERSION.search(head)
    tool_version = version.group(1) if version else None
    site_shape = _JSON_SITE.search(head)
    # Reports from before ZAP 2.9 give a lone site as an object, not a list.
    prefix = "site" if site_shape is not None and site_shape.group(1) == "{" else "site.item"
    for position, item in readers.iter_json(source, prefix, required=True):
        site_record = readers.expect_mapping(item, position)
        site = {str(key).lstrip("@"): value for key, value in site_record.items() if key != "alerts"}
        alerts = _items(site_record.get("alerts"), "alertitem", f"{position}.alerts")
        for alert_index, alert in enumerate(alerts):
            alert_position = f"{position}.alerts[{alert_index}]"
            record = dict(readers.expect_mapping(alert, alert_position))
            record["instances"] = _items(record.get("instances"), "instance", f"{alert_position}.instances")[
                :INSTANCE_LIMIT
            ]
            yield _finding(record, site, tool_version, alert_position)


def _items(value: Any, wrapper: str, position: str) -> list[Any]:
    """Return a list of records, also from the ``{"alertitem": ...}`` shape old ZAP wrote."""
    if isinstance(value, dict):
        inner = value.get(wrapper, value)
        return [inner] if isinstance(inner, dict) else readers.expect_list(inner, position)
    return readers.expect_list(value, position)


def _key(name: object) -> str:
    """Fold an instance field name: ``requestHeader`` and ``request-header`` are one."""
    key = _KEYS.get(name) if type(name) is str else None
    if key is None:
        key = str(name).lower().replace("-", "").replace("_", "")
        if type(name) is str and len(_KEYS) < 1000:
            _KEYS[name] = key
    return key


_KEYS: dict[str, str] = {}  # a report names a dozen fields, thousands of times


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _as_text(value: object) -> str:
    """Return ZAP's text, which newer versions write as HTML, as plain text."""
    written = _text(value)
    return text.html_text(written) if _HTML.search(written) else written


# The most of an alert's texts kept in the cache below (ZAP repeats them on every site).
_CACHED_TEXT = 64 * 1024


def _alert_texts(
    description: str, other_info: str, solution: str, reference: str
) -> tuple[str, str, tuple[str, ...]]:
    """Return an alert's description, remediation and reference URLs."""
    if len(description) + len(other_info) + len(solution) + len(reference) <= _CACHED_TEXT:
        return _cached_alert_texts(description, other_info, solution, reference)
    return _cached_alert_texts.__wrapped__(description, other_info, solution, reference)


@functools.lru_cache(maxsize=1024)
def _cached_alert_texts(
    description: str, other_info: str, solution: str, reference: str
) -> tuple[str, str, tuple[str, ...]]:
    joined = "\n\n".join(filter(None, (_as_text(description), _as_text(other_info))))
    return text.clip(joined), text.clip(_as_text(solution)), tuple(text.urls(reference))


def _finding(
    alert: Mapping[str, Any],
    site: Mapping[str, Any],
    tool_version: str | None,
    position: str,
    *,
    is_xml: bool = False,
) -> NormalizedFinding:
    plugin_id = _text(alert.get("pluginid"))
    name = _text(alert.get("name")) or _text(alert.get("alert"))
    if not plugin_id or not name:
        raise MalformedReport("an alert needs a pluginid and a name", position=position)
    # The XML's instances come folded and clipped (see _xml_alert); the JSON's are folded here.
    instances: list[dict[str, str]] = (
        alert.get("instances") or []
        if is_xml
        else [
            {_key(key): _text(value) for key, value in readers.expect_mapping(item, position).items()}
            for item in alert.get("instances") or []
        ]
    )
    risk = values.as_int(alert.get("riskcode"))
    if risk in RISKS:
        severity = RISKS[risk]
    else:
        severity = values.severity_from_word(_text(alert.get("riskdesc")).split(" (")[0])
    confidence_code = values.as_int(alert.get("confidence"))
    confidence = CONFIDENCES.get(confidence_code, "") if confidence_code is not None else ""
    cwe = values.as_int(alert.get("cweid"))
    wasc = values.as_int(alert.get("wascid"))
    alert_ref = _text(alert.get("alertRef"))

    site_name = _text(site.get("name"))
    ssl = _text(site.get("ssl")).lower()
    protocol = "https" if ssl == "true" else "http" if ssl == "false" else None
    if protocol is None and "://" in site_name:
        protocol = site_name.split("://", 1)[0].lower() or None
    port = values.as_int(site.get("port"))
    uris = {instance.get("uri", "") for instance in instances}
    parameters = {instance.get("param", "") for instance in instances}

    description, remediation, references = _alert_texts(
        _text(alert.get("desc")),
        _text(alert.get("otherinfo")),
        _text(alert.get("solution")),
        _text(alert.get("reference")),
    )
    tags = [f"confidence:{confidence}"] if confidence else []
    if confidence == CONFIDENCES[0]:
        tags.append("false-positive")
    if wasc is not None and wasc > 0:
        tags.append(f"wasc:{wasc}")
    if alert_ref and alert_ref != plugin_id:
        tags.append(f"alert-ref:{alert_ref}")
    count = values.as_int(alert.get("count"))
    tags.append(f"instances:{max(count or 0, len(instances))}")
    return NormalizedFinding(
        title=text.title(name),
        severity=severity,
        tool="zap",
        tool_version=tool_version,
        rule_id=text.clip(plugin_id, 500),
        cwe_ids=(cwe,) if cwe is not None and cwe > 0 else (),
        description=description,
        remediation=remediation,
        location=FindingLocation(
            url=(next(iter(uris)) if len(uris) == 1 and "" not in uris else site_name) or None,
            parameter=next(iter(parameters)) if len(parameters) == 1 and "" not in parameters else None,
            host=_text(site.get("host")) or None,
            port=port if port is not None and 0 <= port <= 65535 else None,
            protocol=protocol,
        ),
        evidence=_evidence(instances, count, is_clipped=is_xml),
        references=references,
        tags=tuple(tags),
        fingerprint=grouping.fingerprint("zap", site_name, plugin_id, name, risk, confidence_code),
    )


def _evidence(instances: list[dict[str, str]], count: int | None, *, is_clipped: bool) -> str:
    """List the instances, one block each, until the text is full.

    ``is_clipped``: the instances' values are clipped already (the XML's), so the
    evidence has no control character, and needs only cutting to length.
    """
    blocks: list[str] = []
    size = 0
    clip = (lambda value, _limit: value) if is_clipped else text.clip
    for instance in instances:
        get = instance.get
        line = " ".join(filter(None, (get("method"), get("uri"))))
        if get("param"):
            line += f" [{instance['param']}]"
        details = [f"  {key}: {clip(instance[key], VALUE_LIMIT)}" for key in INSTANCE_FIELDS if get(key)]
        block = "\n".join([line, *details])
        size += len(block) + 2
        if size > MAX_TEXT:
            break
        blocks.append(block)
    total = max(count or 0, len(instances))
    if total > len(blocks):
        blocks.append(f"… {total - len(blocks)} more instances")
    evidence = "\n\n".join(blocks)
    if is_clipped and len(evidence) <= MAX_TEXT:
        return evidence
    return text.clip(evidence)


PARSER = ZapParser()
