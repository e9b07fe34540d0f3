"""Tenable Nessus: the ``.nessus`` XML (``NessusClientData_v2``) and CSV exports.

One parser for the three shapes Tenable products write:

* ``.nessus`` v2 XML from Nessus, Tenable.io/Tenable.sc and Tenable Web App Scanning
  (WAS reports use the same file, with a URL as the ``ReportHost`` name): a
  ``ReportItem`` per plugin, host and port, read one ``ReportHost`` at a time.
* CSV exports, whose column names differ by product (Nessus: ``Plugin ID``, ``Risk``,
  ``Host``, ``Name``, and in newer versions many more columns such as ``CVSS3 Vector``
  or ``Vulnerability State``; Tenable.sc: ``Plugin``, ``Severity``, ``IP Address``,
  ``Plugin Name``, ``Steps to Remediate``; Tenable.io: ``Plugin ID``, ``Severity``,
  ``IP Address``; Tenable Vulnerability Management's findings export: dotted names,
  ``asset.name``, ``definition.id``, ``definition.name``, ``definition.cve``,
  ``severity``, ``port``...), a row per plugin, host and port (Nessus writes a plugin
  with several CVEs as a row per CVE). The header row says what the delimiter is:
  a comma, or the semicolon some exports (and spreadsheets in many locales) write.
  Vectors written without their ``CVSS:3.x/`` prefix are read as CVSS 3.0.

Grouping: as DefectDojo does with ``.nessus`` files, the records of one plugin and
severity are one finding, across hosts and ports (DefectDojo keeps a CSV's hosts
and ports apart; Bastion groups both exports alike, so that they agree). The
finding is located at the first record's host, port and protocol, with its plugin
output as evidence; every other host and port is listed after it, ``instances:N``
counts them, and the CVEs of every record are gathered. The findings come out when
the report has been read: memory follows the plugins, not the hosts.

Severity: the ``severity`` attribute's 0-4 scale (0 info, 1 low, 2 medium, 3 high,
4 critical); CSV exports give the words, ``None`` meaning info.

Fingerprint: the grouping key, plugin id and severity — no host or port, which the
finding spans. Plugin output, dates and scores are left out: they change from scan
to scan while the finding does not. A plugin Tenable rates anew is a new finding.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import BinaryIO
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "tenable"

NESSUS_SEVERITY: Mapping[str, Severity] = {
    "0": Severity.INFO,
    "1": Severity.LOW,
    "2": Severity.MEDIUM,
    "3": Severity.HIGH,
    "4": Severity.CRITICAL,
}

URL_PATTERN = re.compile(r"https?://\S+")

# CSV column names, by meaning, as the different Tenable products spell them.
CSV_COLUMNS: Mapping[str, Sequence[str]] = {
    "plugin": ("plugin id", "plugin", "definition.id", "plugin.id"),
    "name": ("plugin name", "name", "definition.name", "plugin.name"),
    "severity": ("severity", "risk", "risk factor", "definition.severity"),
    "host": (
        "host",
        "ip address",
        "ip",
        "dns name",
        "fqdn",
        "asset name",
        "asset.name",
        "asset.display_ipv4_address",
        "asset.ipv4_addresses",
        "asset.host_name",
        "asset.display_fqdn",
    ),
    "protocol": ("protocol",),
    "port": ("port",),
    "synopsis": ("synopsis", "definition.synopsis"),
    "description": ("description", "definition.description"),
    "solution": ("solution", "steps to remediate", "definition.solution"),
    "see_also": ("see also", "definition.see_also"),
    "output": ("plugin output", "plugin text", "output"),
    "cve": ("cve", "cves", "definition.cve"),
    "cvss3_vector": (
        "cvss v3 vector",
        "cvss v3.0 vector",
        "cvss3 vector",
        "cvss vector v3",
        "definition.cvss3.base_vector",
    ),
    "cvss4_vector": ("cvss v4 vector", "cvss v4.0 vector", "cvss4 vector", "definition.cvss4.base_vector"),
    "cpe": ("cpe", "definition.cpe"),
    "xref": ("cross references", "xref", "cwe", "definition.cwe"),
    "family": ("family", "plugin family", "definition.family"),
    "exploit": ("exploit?", "exploit available", "exploit_available", "definition.exploitability_ease"),
}
# The delimiters a header row may use, and how long a header row may be.
DELIMITERS = (",", ";")
HEADER_LIMIT = 64 * 1024
# The ``ReportItem`` children read, under their CSV key when it differs.
XML_CHILDREN: Mapping[str, str] = {
    "plugin_name": "name",
    "plugin_output": "output",
    "cwe": "xref",
    "exploit_available": "exploit",
}
# The keys a finding is built from (see _finding), XML children and CSV columns alike.
FIELDS = frozenset([*CSV_COLUMNS, "risk_factor"])


class TenableParser(ReportParser):
    """Tenable Nessus .nessus XML (also WAS) and CSV exports."""

    name = "tenable"
    label = "Tenable Nessus XML/CSV"
    defectdojo_scan_types = ("Tenable Scan", "Nessus Scan", "Nessus WAS Scan")

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("<"):
            return 100 if "<NessusClientData_v2" in text else 0
        for delimiter in DELIMITERS:
            columns = _header(text, delimiter)
            has_plugin = bool(columns & {"plugin id", "plugin", "definition.id"})
            has_detail = bool(
                columns
                & {"synopsis", "plugin output", "plugin text", "definition.name", "definition.synopsis"}
            )
            has_host = bool(columns & {"host", "ip address", "asset.name", "asset.display_ipv4_address"})
            if has_plugin and has_detail and has_host:
                return 85
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        records = _xml_records(source) if first == b"<" else _csv_records(source)
        groups = grouping.FindingGroups()
        for finding in records:
            place = finding.location.url or finding.location.host or ""
            if finding.location.port:
                place += f" {finding.location.protocol or 'port'}/{finding.location.port}"
            groups.add((finding.rule_id, finding.severity), finding, place)
        yield from groups.findings()


def _xml_records(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    """Yield a finding per ``ReportItem`` of a ``ReportHost``, each read and freed in turn.

    The host's name is read as the host opens; an item is read as it closes, while it
    is still among its host's children (those read already are freed, so few are).
    """
    host: Element | None = None
    host_index, item_index = -1, 0
    for element in readers.iter_xml(
        stream, ("ReportItem",), roots=("NessusClientData_v2",), starts=("ReportHost",)
    ):
        if readers.local_name(element.tag) == "ReportHost":
            host, host_index, item_index = element, host_index + 1, 0
            if not element.get("name"):
                raise MalformedReport("ReportHost has no name", position=f"ReportHost[{host_index}]")
            continue
        if host is None or not any(child is element for child in host):
            continue  # an item elsewhere than in a host: not a result
        position = f"ReportHost[{host_index}].ReportItem[{item_index}]"
        item_index += 1
        if not element.get("pluginID"):
            raise MalformedReport("ReportItem has no pluginID", position=position)
        yield _finding(_xml_values(element, host.get("name") or ""))


def _header(text: str, delimiter: str) -> set[str]:
    """Return the lower-cased cells of the first line of ``text``, split at ``delimiter``."""
    line = text.split("\n", 1)[0].rstrip("\r")[:HEADER_LIMIT]
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return set()
    return {cell.strip().lower() for cell in cells}


def _delimiter(head: bytes) -> str:
    """Return the delimiter of the header row: the one whose cells name the needed columns."""
    text = readers.head_text(head)
    for delimiter in DELIMITERS:
        columns = _header(text, delimiter)
        if any(name in columns for name in CSV_COLUMNS["plugin"]) and any(
            name in columns for name in CSV_COLUMNS["host"]
        ):
            return delimiter
    return ","


def _csv_records(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    """Yield a finding per row (the rows of one plugin's CVEs are gathered by the grouping)."""
    head, source = readers.peek(stream)
    delimiter = _delimiter(head)
    rows = readers.iter_csv_records(
        source, CSV_COLUMNS, required={"plugin": "plugin", "host": "host"}, delimiter=delimiter
    )
    for position, row in rows:
        if not row["plugin"]:
            raise MalformedReport("row has no plugin id", position=position)
        yield _finding({key: [value] if value else [] for key, value in row.items()})


def _xml_values(item: Element, host_name: str) -> dict[str, list[str]]:
    """Return a ``ReportItem`` under the keys of CSV_COLUMNS, each with its values."""
    found: dict[str, list[str]] = {}
    for child in item:
        name = readers.local_name(child.tag)
        key = XML_CHILDREN.get(name, name)
        if key in FIELDS:  # the other children (dates, scores...) are not read
            found.setdefault(key, []).append((child.text or "").strip())
    attributes = {
        "plugin": item.get("pluginID"),
        "name": item.get("pluginName"),
        "severity": item.get("severity"),
        "protocol": item.get("protocol"),
        "port": item.get("port"),
        "family": item.get("pluginFamily"),
        "host": host_name,
    }
    for key, value in attributes.items():
        if value and value.strip():
            found[key] = [value.strip(), *found.get(key, [])]
    return found


def _finding(fields: Mapping[str, Sequence[str]]) -> NormalizedFinding:
    """Build the finding of one plugin on one host and port, from XML or CSV alike."""

    def first(key: str) -> str:
        found = fields.get(key)
        return found[0] if found else ""

    plugin_id = first("plugin")
    code = first("severity")  # 0-4 in XML; a word in CSV; else the XML's risk_factor word
    severity = NESSUS_SEVERITY.get(code) or values.severity_from_word(
        code or None, default=values.severity_from_word(first("risk_factor"))
    )
    port = values.as_int(first("port"))
    host_name = first("host")
    url = host_name if host_name.startswith(("http://", "https://")) else None
    host = (urlsplit(host_name).hostname if url else host_name) or host_name
    cvss3_vector, cvss3_score = values.cvss3(_prefixed(first("cvss3_vector")))
    cvss4_vector, cvss4_score = values.cvss4(first("cvss4_vector"))
    package, package_version = values.cpe_product(first("cpe"))
    tags = [f"family:{first('family')}"] if first("family") else []
    if first("exploit").lower() in ("true", "yes"):
        tags.append("exploit-available")
    return NormalizedFinding(
        title=text.title(first("name"), fallback=f"Nessus plugin {plugin_id}"),
        severity=severity,
        tool=TOOL,
        rule_id=plugin_id,
        description=text.clip("\n\n".join(filter(None, [first("synopsis"), first("description")]))),
        advisory_ids=values.advisory_ids(fields.get("cve", [])),
        cwe_ids=values.cwe_ids(fields.get("xref", [])),
        cvss_v3_vector=cvss3_vector,
        cvss_v3_score=cvss3_score,
        cvss_v4_vector=cvss4_vector,
        cvss_v4_score=cvss4_score,
        location=FindingLocation(
            host=host,
            port=port or None,
            protocol=first("protocol").lower() or None,
            url=url,
            package=package,
            package_version=package_version,
        ),
        evidence=text.clip(first("output")),
        remediation=text.clip(_solution(first("solution"))),
        references=_references(fields.get("see_also", [])),
        tags=tuple(tags),
        fingerprint=grouping.fingerprint(TOOL, plugin_id, severity.value),
    )


def _prefixed(vector: str) -> str:
    """Return a CVSS v3 vector with its version prefix (Tenable's exports often leave it out)."""
    return f"CVSS:3.0/{vector}" if vector.startswith("AV:") else vector


def _solution(text: str) -> str:
    """Return the solution text; Nessus writes "n/a" where a plugin has none."""
    return "" if text.lower() in ("n/a", "none") else text


def _references(values: Sequence[str]) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        for url in URL_PATTERN.findall(value):
            if url not in found:
                found.append(url)
    return tuple(found)


PARSER = TenableParser()
