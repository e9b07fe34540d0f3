"""OpenVAS / Greenbone (GVM): the XML report and the CSV results export.

* XML (``<report>`` from ``gvm-cli``/``get_reports``, GMP or the older OMP, bare or
  wrapped in ``<get_reports_response>``): one finding per ``result`` that names an
  ``nvt``. Product-detection ``result`` elements that GVM nests inside a result's
  ``detection`` have no ``nvt`` and are not findings. References come from
  ``nvt/refs/ref`` (GVM 9+) or the older ``nvt/cve``, ``nvt/bid`` and ``nvt/xref``.
* CSV ("CSV Results" report format): one finding per row.

Severity: the result's ``threat`` word (Critical, High, Medium, Low; ``Log`` and
``Debug`` are info, ``False Positive`` is info and tagged). Where a report leaves the
threat empty, the numeric ``severity`` is rated as CVSS v3 rates a base score.

Fingerprint: NVT OID, host IP, port number and protocol (a "general/tcp" result has
no port, and then no protocol enters the key either, since the CSV export leaves it
blank). The result id is the tool_finding_id: GVM makes a new one for every scan, so
it is not part of the fingerprint, nor are the result's text, scores or timestamps.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "openvas"

THREATS: Mapping[str, Severity] = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "log": Severity.INFO,
    "debug": Severity.INFO,
    "false positive": Severity.INFO,
}
TAG_SEPARATOR = re.compile(r"\|(?=[A-Za-z_]+=)")
BLANK_LINE = re.compile(r"\n\s*\n")
URL = re.compile(r"https?://\S+")

CSV_COLUMNS: Mapping[str, Sequence[str]] = {
    "ip": ("ip",),
    "hostname": ("hostname",),
    "port": ("port",),
    "protocol": ("port protocol",),
    "cvss": ("cvss",),
    "severity": ("severity",),
    "solution_type": ("solution type",),
    "name": ("nvt name",),
    "summary": ("summary",),
    "result": ("specific result",),
    "oid": ("nvt oid",),
    "cves": ("cves",),
    "result_id": ("result id",),
    "impact": ("impact",),
    "solution": ("solution",),
    "insight": ("vulnerability insight",),
    "references": ("other references",),
}


class OpenVASParser(ReportParser):
    """OpenVAS / Greenbone XML report and CSV results."""

    name = "openvas"
    label = "OpenVAS/Greenbone XML/CSV"
    defectdojo_scan_types = ("OpenVAS Parser", "OpenVAS Parser v2")

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("<"):
            is_report = "<report" in text or "<get_reports_response" in text
            markers = ("<gmp>", "<omp>", "<nvt oid=", "<scan_run_status>", "<report_format")
            return 95 if is_report and any(marker in text for marker in markers) else 0
        columns = readers.csv_header(text)
        return 90 if {"nvt oid", "nvt name"} <= columns else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        if first == b"<":
            yield from _parse_xml(source)
        else:
            rows = readers.iter_csv_records(source, CSV_COLUMNS, required={"oid": "NVT OID"})
            for position, row in rows:
                yield _csv_finding(row, position)


def _parse_xml(source: BinaryIO) -> Iterator[NormalizedFinding]:
    index = 0
    for result in readers.iter_xml(source, ("result",), roots=("report", "get_reports_response")):
        nvt = readers.child(result, "nvt")
        if nvt is None:
            continue
        yield _xml_finding(result, nvt, f"result[{index}]")
        index += 1


def _xml_finding(result: Element, nvt: Element, position: str) -> NormalizedFinding:
    oid = nvt.get("oid") or ""
    if not oid:
        raise MalformedReport("result's nvt has no oid", position=position)
    found = readers.children_by_name(result)
    about = readers.children_by_name(nvt)
    host_element = found.get("host")
    host = (host_element.text or "").strip() if host_element is not None else ""
    hostname = readers.child_text(host_element, "hostname") if host_element is not None else ""
    port, protocol = _port(readers.named_text(found, "port"))
    tags = _nvt_tags(readers.named_text(about, "tags"))
    threat = readers.named_text(found, "threat").lower()
    score = values.score(readers.named_text(found, "severity"))
    severity = THREATS.get(threat) or values.severity_from_score(score)
    advisories, references, scores = _xml_nvt_details(nvt, about)
    solution_element = about.get("solution")
    solution = (solution_element.text or "").strip() if solution_element is not None else ""
    solution_type = solution_element.get("type", "") if solution_element is not None else ""
    name = readers.named_text(about, "name") or readers.named_text(found, "name")
    return NormalizedFinding(
        title=text.title(name, fallback=f"OpenVAS NVT {oid}"),
        severity=severity,
        tool=TOOL,
        rule_id=oid,
        tool_finding_id=result.get("id") or None,
        description=text.clip(
            "\n\n".join(filter(None, [tags.get("summary"), tags.get("insight"), tags.get("impact")]))
        ),
        advisory_ids=advisories,
        **scores,
        location=FindingLocation(host=host or hostname or None, port=port, protocol=protocol),
        evidence=text.clip(readers.named_text(found, "description")),
        remediation=text.clip(_unwrap(solution) or tags.get("solution", "")),
        references=references,
        tags=_tags(
            family=readers.named_text(about, "family"),
            solution_type=solution_type or tags.get("solution_type", ""),
            threat=threat,
            hostname=hostname,
        ),
        fingerprint=grouping.fingerprint(TOOL, oid, host or hostname, port, protocol if port else None),
    )


def _csv_finding(row: Mapping[str, str], position: str) -> NormalizedFinding:
    oid = row["oid"]
    if not oid:
        raise MalformedReport("row has no NVT OID", position=position)
    port = values.as_int(row["port"])
    protocol = row["protocol"].lower() or None
    host = row["ip"] or row["hostname"]
    threat = row["severity"].lower()
    severity = THREATS.get(threat) or values.severity_from_score(values.score(row["cvss"]))
    return NormalizedFinding(
        title=text.title(row["name"], fallback=f"OpenVAS NVT {oid}"),
        severity=severity,
        tool=TOOL,
        rule_id=oid,
        tool_finding_id=row["result_id"] or None,
        description=text.clip(
            "\n\n".join(filter(None, (_unwrap(row[key]) for key in ("summary", "insight", "impact"))))
        ),
        advisory_ids=values.advisory_ids([row["cves"]]),
        location=FindingLocation(host=host or None, port=port, protocol=protocol),
        evidence=text.clip(row["result"]),
        remediation=text.clip(_unwrap(row["solution"])),
        references=tuple(dict.fromkeys(URL.findall(row["references"]))),
        tags=_tags(family="", solution_type=row["solution_type"], threat=threat, hostname=row["hostname"]),
        fingerprint=grouping.fingerprint(TOOL, oid, host, port, protocol if port else None),
    )


def _xml_nvt_details(
    nvt: Element, about: dict[str, Element]
) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, Any]]:
    """Return the NVT's advisory ids, reference URLs and CVSS scores, in one walk of it.

    The ids and URLs come from GVM refs or the older fields; the scores from its
    ``severities`` (the last of each CVSS version counts).
    """
    ids: list[str] = []
    urls: list[str] = []
    scores: dict[str, Any] = {
        "cvss_v3_vector": None,
        "cvss_v3_score": None,
        "cvss_v4_vector": None,
        "cvss_v4_score": None,
    }
    local_name = readers.local_name
    for element in nvt.iter():
        name = local_name(element.tag)
        if name == "ref":
            kind = (element.get("type") or "").lower()
            value = element.get("id") or ""
            if kind == "url":
                urls.append(value)
            elif kind in ("cve", "cve_id"):
                ids.append(value)
        elif name == "severity":
            kind = element.get("type") or ""
            vector = readers.child_text(element, "value")
            if kind.startswith("cvss_base_v3"):
                scores["cvss_v3_vector"], scores["cvss_v3_score"] = values.cvss3(vector)
            elif kind.startswith("cvss_base_v4"):
                scores["cvss_v4_vector"], scores["cvss_v4_score"] = values.cvss4(vector)
    # OpenVAS 8 and older: <cve>CVE-1, CVE-2</cve>, <xref>URL:https://..., CERT:...</xref>
    ids.extend(readers.named_text(about, "cve").split(","))
    urls.extend(URL.findall(readers.named_text(about, "xref")))
    return values.advisory_ids(ids), tuple(dict.fromkeys(url.rstrip(",") for url in urls if url)), scores


def _nvt_tags(text: str) -> Mapping[str, str]:
    """Split the NVT's ``key=value|key=value`` tags; values may span lines."""
    return _cached_nvt_tags(text) if len(text) <= _CACHED_TEXT else _split_tags(text)


def _unwrap(text: str) -> str:
    """Join the lines of each paragraph: NVT texts are wrapped and indented in the report."""
    return _cached_unwrap(text) if len(text) <= _CACHED_TEXT else _unwrapped(text)


# An NVT's texts are the same in each of its results: they are worked out once, while
# they are short enough to keep.
_CACHED_TEXT = 16 * 1024


def _split_tags(text: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    for part in TAG_SEPARATOR.split(text):
        key, separator, value = part.partition("=")
        if separator:
            tags[key.strip()] = _unwrap(value)
    return tags


def _unwrapped(text: str) -> str:
    paragraphs = (" ".join(paragraph.split()) for paragraph in BLANK_LINE.split(text))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


_cached_nvt_tags = functools.lru_cache(maxsize=1024)(_split_tags)
_cached_unwrap = functools.lru_cache(maxsize=1024)(_unwrapped)


def _tags(*, family: str, solution_type: str, threat: str, hostname: str) -> tuple[str, ...]:
    found = [
        family and f"family:{family}",
        solution_type and f"solution-type:{solution_type}",
        hostname and f"hostname:{hostname}",
        "false-positive" if threat == "false positive" else "",
    ]
    return tuple(tag for tag in found if tag)


def _port(text: str) -> tuple[int | None, str | None]:
    """Split "443/tcp" into (443, "tcp"); "general/tcp" has no port number."""
    number, _, protocol = text.partition("/")
    return values.as_int(number), protocol.strip().lower() or None


PARSER = OpenVASParser()
