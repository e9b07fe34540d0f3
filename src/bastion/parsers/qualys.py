"""Qualys VM: the XML scan report (``ASSET_DATA_REPORT``) and CSV exports.

* XML: one finding per ``HOST_LIST/HOST/VULN_INFO_LIST/VULN_INFO``, as DefectDojo
  reads it. The title, severity, CVEs and texts of each QID are in the ``GLOSSARY``
  after the host list, so the report is read twice (a stream that cannot seek is
  copied to a temporary file first): first for the glossary (one entry per QID),
  then for the hosts: each ``HOST`` as it opens, then its ``VULN_INFO`` one at a time
  (a host with thousands of detections is never held whole). Qualys writes a
  ``<!DOCTYPE ... SYSTEM "…dtd">`` line: the DTD is never read and the DOCTYPE is
  dropped (``readers.iter_xml(drop_doctype=True)``); one declaring entities is refused.
* CSV: the "Scan Results" and vulnerability exports (``IP``, ``QID``, ``Title``,
  ``Severity`` ...) and the PCI exports (``IP``, ``QID``, ``VULN TITLE``,
  ``Q_SEVERITY`` ...). A preamble of report metadata before the header row is skipped.
  A row per QID and host: as DefectDojo does, the rows of one QID are one finding,
  located at the first row's host, port and protocol, with its result as evidence;
  the other hosts are listed after it, ``instances:N`` counts them, and the CVEs of
  every row are gathered. The findings come out when the report has been read.

Severity: Qualys' 1-5 levels, 1 info, 2 low, 3 medium, 4 high, 5 critical (the same
for confirmed vulnerabilities, potential ones and information gathered; the kind is
kept as a tag). A CSV that gives only words ("Medium") is read as words.

Fingerprint, XML: QID, the host's IP (its DNS name when there is no IP), the virtual
host (FQDN) if any, protocol and port. CSV: the grouping key, the QID, and no host,
which the finding spans. Results, dates and detection counters are left out: they
change between scans of the same vulnerability.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "qualys"

LEVELS: Mapping[str, Severity] = {
    "1": Severity.INFO,
    "2": Severity.LOW,
    "3": Severity.MEDIUM,
    "4": Severity.HIGH,
    "5": Severity.CRITICAL,
}
KINDS: Mapping[str, str] = {
    "vuln": "confirmed",
    "confirmed": "confirmed",
    "practice": "potential",
    "potential": "potential",
    "ig": "information-gathered",
    "info": "information-gathered",
}

SCORE_AND_VECTOR = re.compile(r"^\s*([\d.]+)?\s*(?:\((.*)\))?\s*$")
URL = re.compile(r"https?://[^\s<>\"')]+")
HEADER_SEARCH_ROWS = 50
ROOTS = ("ASSET_DATA_REPORT",)
# The children of a VULN_INFO a detection is read from.
_INFO_FIELDS = ("QID", "PORT", "PROTOCOL", "FQDN", "TYPE", "VULN_STATUS", "RESULT")

CSV_COLUMNS: Mapping[str, Sequence[str]] = {
    "ip": ("ip",),
    "dns": ("dns", "hostname", "dns name"),
    "netbios": ("netbios",),
    "qid": ("qid",),
    "title": ("title", "vuln title"),
    "type": ("type",),
    "level": ("q_severity", "severity level"),
    "severity": ("severity",),
    "port": ("port",),
    "protocol": ("protocol",),
    "fqdn": ("fqdn",),
    "cve": ("cve id", "cveid", "cve"),
    "vendor_reference": ("vendor reference",),
    "cvss3_base": ("cvss3 base", "cvss3.1 base", "cvss3"),
    "threat": ("threat",),
    "impact": ("impact",),
    "solution": ("solution",),
    "result": ("results", "result"),
    "category": ("category",),
    "status": ("vuln status",),
    "false_positive": ("false positive status",),
}


@dataclass(frozen=True)
class _Details:
    """What a QID is: its glossary entry (XML), or the columns of a row that say it (CSV)."""

    title: str
    severity: Severity
    category: str
    threat: str
    impact: str
    solution: str
    cves: tuple[str, ...]
    references: tuple[str, ...]
    cvss3: str

    @classmethod
    def revived(cls, data: dict[str, Any]) -> _Details:
        """Rebuild a glossary entry that waited on disk (see grouping.GroupStore)."""
        return cls(
            **{
                **data,
                "severity": Severity(data["severity"]),
                "cves": tuple(data["cves"]),
                "references": tuple(data["references"]),
            }
        )

    def footprint(self) -> int:
        """About how many bytes the entry takes in memory."""
        return 1000 + len(self.threat) + len(self.impact) + len(self.solution) + 100 * len(self.references)


@dataclass(frozen=True)
class _Detection:
    """One QID found on one host and port: a VULN_INFO of a HOST (XML) or a row (CSV)."""

    qid: str
    ip: str
    dns: str
    port: int | None
    protocol: str | None
    fqdn: str
    kind: str
    status: str
    false_positive: str
    result: str

    def place_fingerprint(self) -> str:
        """Fingerprint the QID on this host, virtual host, protocol and port."""
        return grouping.fingerprint(TOOL, self.qid, self.ip or self.dns, self.fqdn, self.protocol, self.port)


class QualysParser(ReportParser):
    """Qualys VM XML scan report and CSV exports."""

    name = "qualys"
    label = "Qualys VM XML/CSV"
    defectdojo_scan_types = ("Qualys Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("<"):
            return 95 if "<ASSET_DATA_REPORT" in text or "DOCTYPE ASSET_DATA_REPORT" in text else 0
        for line in text.splitlines()[:HEADER_SEARCH_ROWS]:
            columns = readers.csv_header(line)
            if "qid" in columns and "ip" in columns and columns & {"title", "vuln title"}:
                return 85
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        if first == b"<":
            with readers.seekable(source) as seekable:
                yield from _parse_xml(seekable)
        else:
            yield from _parse_csv(source)


def _parse_xml(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    start = stream.tell()
    # One entry per QID: memory level past GroupStore's budget, however many QIDs.
    glossary: grouping.GroupStore[_Details] = grouping.GroupStore(_Details.revived, _Details.footprint)
    details_index = 0
    # VULN_INFO is named too so that each is freed as it ends, not kept to the end.
    for element in readers.iter_xml(stream, ("VULN_DETAILS", "VULN_INFO"), roots=ROOTS, drop_doctype=True):
        if readers.local_name(element.tag) == "VULN_DETAILS":
            qid = readers.child_text(element, "QID")
            if not qid:
                raise MalformedReport("VULN_DETAILS has no QID", position=f"VULN_DETAILS[{details_index}]")
            glossary.put(qid, _details(element))
            details_index += 1
    with readers.rewound(stream, start) as again:
        yield from _hosts(again, glossary)


def _hosts(stream: BinaryIO, glossary: grouping.GroupStore[_Details]) -> Iterator[NormalizedFinding]:
    """Yield a finding per ``VULN_INFO`` of each ``HOST``, each read and freed in turn."""
    host: _Host | None = None
    host_index = -1
    tags = ("VULN_INFO", "IP", "DNS")
    for element in readers.iter_xml(stream, tags, roots=ROOTS, starts=("HOST",), drop_doctype=True):
        tag = readers.local_name(element.tag)
        if host is not None and (tag == "HOST" or not host.holds(element)):
            yield from host.release(glossary)  # it has ended: what waited for its address comes out
            host = None
        if tag == "HOST":
            host_index += 1
            host = _Host(element, host_index)
        elif host is None:
            continue  # outside every host: not a detection
        elif tag == "VULN_INFO":
            host.add(element)
            if host.is_known():
                yield from host.release(glossary)
        elif element in iter(host.element):  # the host's own IP or DNS, not one of a detection's
            host.take(tag, (element.text or "").strip())
    if host is not None:
        yield from host.release(glossary)


class _Host:
    """A ``HOST`` being read: its address, then its detections one by one.

    A detection is a finding as soon as the host's address is known: Qualys writes
    ``IP`` and ``DNS`` before ``VULN_INFO_LIST``. A detection read before them waits
    (as the texts it is read for) until they come or the host ends.
    """

    def __init__(self, element: Element, index: int) -> None:
        self.element = element
        self.index = index
        self.ip: str | None = None  # None: not read yet
        self.dns: str | None = None
        self.count = 0
        self.waiting: list[tuple[str, dict[str, str]]] = []

    def holds(self, element: Element) -> bool:
        """Tell whether ``element`` stands in the host (the elements read already are freed: few are left)."""
        return element in self.element.iter()  # by identity: elements do not compare equal

    def take(self, tag: str, value: str) -> None:
        """Keep the host's first IP or DNS."""
        if tag == "IP" and self.ip is None:
            self.ip = value
        elif tag == "DNS" and self.dns is None:
            self.dns = value

    def is_known(self) -> bool:
        """Tell whether the host's address is known: its IP, or its DNS name when the IP is blank."""
        return self.ip is not None and (self.ip != "" or self.dns is not None)

    def add(self, info: Element) -> None:
        """Keep the texts of a detection, to be a finding once the host's address is known."""
        fields = readers.children_by_name(info)
        position = f"HOST[{self.index}].VULN_INFO[{self.count}]"
        self.count += 1
        self.waiting.append((position, {name: readers.named_text(fields, name) for name in _INFO_FIELDS}))

    def release(self, glossary: grouping.GroupStore[_Details]) -> Iterator[NormalizedFinding]:
        """Yield the detections read so far (the host's address is known, or it has ended)."""
        waiting, self.waiting = self.waiting, []
        for position, fields in waiting:
            yield _xml_finding(fields, self.ip or "", self.dns or "", glossary, position)


def _parse_csv(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    groups = grouping.FindingGroups()
    rows = readers.iter_csv_records(
        stream, CSV_COLUMNS, required={"ip": "IP", "qid": "QID"}, header_rows=HEADER_SEARCH_ROWS
    )
    for position, row in rows:
        finding = _csv_finding(row, position)
        place = finding.location.host or position
        if finding.location.port is not None:
            place += f" {finding.location.protocol or 'port'}/{finding.location.port}"
        groups.add(row["qid"], finding, place)
    yield from groups.findings()


def _xml_finding(
    info: Mapping[str, str], ip: str, dns: str, glossary: grouping.GroupStore[_Details], position: str
) -> NormalizedFinding:
    qid = info["QID"]
    if not qid:
        raise MalformedReport("VULN_INFO has no QID", position=position)
    details = glossary.get(qid) or _Details(f"QID-{qid}", Severity.INFO, "", "", "", "", (), (), "")
    detection = _Detection(
        qid=qid,
        ip=ip,
        dns=dns,  # read only when the IP is blank (see _Host.is_known)
        port=values.as_int(info["PORT"]),
        protocol=info["PROTOCOL"].lower() or None,
        fqdn=info["FQDN"],
        kind=info["TYPE"],
        status=info["VULN_STATUS"],
        false_positive="",
        result=info["RESULT"],
    )
    return _finding(detection, details, detection.place_fingerprint())


def _details(element: Element) -> _Details:
    cves = [readers.child_text(entry, "ID") for entry in readers.descendants(element, "CVE_ID")]
    urls: list[str] = []
    for name in ("CVE_ID", "VENDOR_REFERENCE", "BUGTRAQ_ID"):
        urls.extend(readers.child_text(entry, "URL") for entry in readers.descendants(element, name))
    cvss3 = next(
        (readers.child_text(score, "CVSS3_BASE") for score in readers.descendants(element, "CVSS3_SCORE")),
        "",
    )
    return _Details(
        title=readers.child_text(element, "TITLE"),
        severity=LEVELS.get(readers.child_text(element, "SEVERITY"), Severity.INFO),
        category=readers.child_text(element, "CATEGORY"),
        threat=text.html_text(readers.child_text(element, "THREAT")),
        impact=text.html_text(readers.child_text(element, "IMPACT")),
        solution=text.html_text(readers.child_text(element, "SOLUTION")),
        cves=tuple(filter(None, cves)),
        references=tuple(dict.fromkeys(url for url in urls if url)),
        cvss3=cvss3,
    )


def _csv_finding(row: Mapping[str, str], position: str) -> NormalizedFinding:
    qid = row["qid"]
    if not qid:
        raise MalformedReport("row has no QID", position=position)
    level = row["level"] or row["severity"]
    details = _Details(
        title=row["title"],
        severity=LEVELS[level] if level in LEVELS else values.severity_from_word(row["severity"]),
        category=row["category"],
        threat=text.html_text(row["threat"]),
        impact=text.html_text(row["impact"]),
        solution=text.html_text(row["solution"]),
        cves=(row["cve"],),
        references=tuple(dict.fromkeys(URL.findall(f"{row['threat']} {row['solution']}"))),
        cvss3=row["cvss3_base"],
    )
    detection = _Detection(
        qid=qid,
        ip=row["ip"],
        dns=row["dns"],
        port=values.as_int(row["port"]),
        protocol=row["protocol"].lower() or None,
        fqdn=row["fqdn"],
        kind=row["type"],
        status=row["status"],
        false_positive=row["false_positive"],
        result=row["result"],
    )
    return _finding(detection, details, grouping.fingerprint(TOOL, qid))


def _finding(detection: _Detection, details: _Details, fingerprint: str) -> NormalizedFinding:
    """Build the finding of one QID on one host, from XML or CSV alike."""
    cvss3_vector, cvss3_score = _cvss3(details.cvss3)
    kind = KINDS.get(detection.kind.lower())
    tags = [
        kind and f"type:{kind}",
        details.category and f"category:{details.category}",
        detection.status and f"status:{detection.status.lower()}",
        detection.false_positive and f"false-positive:{detection.false_positive.lower()}",
        detection.fqdn and f"fqdn:{detection.fqdn}",
    ]
    return NormalizedFinding(
        title=text.title(details.title, fallback=f"QID-{detection.qid}"),
        severity=details.severity,
        tool=TOOL,
        rule_id=f"QID-{detection.qid}",
        description=text.clip("\n\n".join(filter(None, [details.threat, details.impact]))),
        advisory_ids=values.advisory_ids(details.cves),
        cvss_v3_vector=cvss3_vector,
        cvss_v3_score=cvss3_score,
        location=FindingLocation(
            host=detection.ip or detection.dns or None,
            port=detection.port,
            protocol=detection.protocol,
        ),
        evidence=text.clip(detection.result),
        remediation=text.clip(details.solution),
        references=details.references,
        tags=tuple(filter(None, tags)),
        fingerprint=fingerprint,
    )


def _cvss3(text: str) -> tuple[str | None, float | None]:
    """Read Qualys' "8.1 (AV:N/AC:H/...)" into a CVSS v3 vector and its base score."""
    match = SCORE_AND_VECTOR.match(text)
    if not match or not match.group(2):
        return None, None
    vector = match.group(2).strip()
    if not vector.upper().startswith("CVSS:"):
        vector = f"CVSS:3.1/{vector}"
    return values.cvss3(vector)


PARSER = QualysParser()
