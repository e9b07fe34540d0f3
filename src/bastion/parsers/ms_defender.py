"""Microsoft Defender for Endpoint vulnerabilities, from its API (JSON, or a zip of JSON pages).

Variants:

* one page of an OData response, ``{"@odata.context": ..., "value": [...]}``, from
  ``GET /api/vulnerabilities/machinesVulnerabilities`` (``id``, ``cveId``,
  ``machineId``, ``fixingKbId``, ``productName``, ``productVendor``,
  ``productVersion``, ``severity``) or from ``GET /api/machines/
  SoftwareVulnerabilitiesByMachine`` (``deviceId``, ``deviceName``, ``cveId``,
  ``softwareName``, ``softwareVendor``, ``softwareVersion``,
  ``vulnerabilitySeverityLevel``, ``recommendedSecurityUpdateId``, ``cvssScore``...);
* a zip archive, as DefectDojo takes it: ``vulnerabilities/*.json`` pages of the
  first kind, and ``machines/*.json`` pages of ``GET /api/machines`` naming each
  machine (``computerDnsName``, ``osPlatform``, ``lastIpAddress``). Entries are
  read from the archive, never extracted; an archive of more than MAX_ENTRIES
  entries, or an entry that inflates past MAX_ENTRY_BYTES, is refused.

Every record of ``value`` is a finding: a CVE in a product on one machine. Records
are streamed one at a time; in a zip the machines (a few fields each) are read
first, then each vulnerabilities page.

Severity: Defender's word (``Critical``... ``Low``); another is info.

Fingerprint: machine id, CVE, vendor, product and version — the parts of
Defender's own record id, which are stable from one export to the next.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator, Mapping
from typing import IO, Any, BinaryIO, cast

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "ms_defender"
ZIP_MAGIC = b"PK\x03\x04"
VULNERABILITIES_FOLDER = "vulnerabilities/"
MACHINES_FOLDER = "machines/"
# An archive of API pages holds a few hundred entries; more is not an export.
MAX_ENTRIES = 10_000
# One API page is at most 10,000 records (some 5 MB); this leaves room for larger exports.
MAX_ENTRY_BYTES = 1024 * 1024 * 1024
MACHINE_FIELDS = ("computerDnsName", "osPlatform", "osVersion", "lastIpAddress", "lastExternalIpAddress")
# What can go wrong reading a damaged archive, besides BadZipFile.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
)


class MsDefenderParser(ReportParser):
    """Defender for Endpoint's vulnerability API pages, as JSON or a zip."""

    name = "ms_defender"
    label = "Microsoft Defender for Endpoint vulnerabilities"
    defectdojo_scan_types = ("MSDefender Parser",)

    def detect(self, head: bytes) -> int:
        if head.startswith(ZIP_MAGIC):
            # A zip's first entry names itself: the export's folders.
            names = (VULNERABILITIES_FOLDER.encode(), MACHINES_FOLDER.encode())
            return 90 if any(name in head[:1024] for name in names) else 0
        text = readers.head_text(head)
        if not text.startswith("{") or '"@odata.context"' not in text:
            return 0
        if '"cveId"' in text and ('"machineId"' in text or '"deviceId"' in text):
            return 95
        # An empty page: Defender's API names what it lists in the context URL.
        if '"value": []' in text and ("securitycenter" in text or "security.microsoft.com" in text):
            return 80
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream, len(ZIP_MAGIC))
        if head == ZIP_MAGIC:
            yield from _zip_findings(source)
            return
        for position, item in readers.iter_json(source, "value.item", required=True):
            yield _finding(readers.expect_mapping(item, position), {})


def _zip_findings(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    with readers.seekable(stream) as source:
        try:
            with zipfile.ZipFile(source) as archive:
                entries = archive.infolist()
                if len(entries) > MAX_ENTRIES:
                    raise MalformedReport(
                        f"the archive has {len(entries):,} entries, more than {MAX_ENTRIES:,}"
                    )
                pages = [
                    entry for entry in entries if not entry.is_dir() and entry.filename.endswith(".json")
                ]
                for entry in pages:
                    if entry.file_size > MAX_ENTRY_BYTES:
                        raise MalformedReport(
                            f"the entry inflates to {entry.file_size:,} bytes, more than {MAX_ENTRY_BYTES:,}",
                            position=entry.filename,
                        )
                vulnerabilities = [
                    entry for entry in pages if entry.filename.startswith(VULNERABILITIES_FOLDER)
                ]
                if not vulnerabilities:
                    raise MalformedReport(
                        f"the archive has no {VULNERABILITIES_FOLDER}*.json; it may be another tool's report",
                        position="top level",
                    )
                machines: dict[str, dict[str, Any]] = {}
                for entry in pages:
                    if entry.filename.startswith(MACHINES_FOLDER):
                        machines.update(_machines(archive, entry))
                for entry in vulnerabilities:
                    with archive.open(entry) as page:
                        for position, item in _page(page, entry.filename):
                            record = readers.expect_mapping(item, f"{entry.filename}: {position}")
                            yield _finding(record, machines.get(str(record.get("machineId")), {}))
        except ZIP_ERRORS as error:
            raise MalformedReport(f"not a valid zip archive: {error}") from error


def _page(page: IO[bytes], name: str) -> Iterator[tuple[str, Any]]:
    """Yield a page's records, naming the entry in any error."""
    try:
        yield from readers.iter_json(cast(BinaryIO, page), "value.item", required=True)
    except MalformedReport as error:
        where = f"{name}: {error.position}" if error.position else name
        raise MalformedReport(error.reason, position=where) from error


def _machines(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield each machine's id and the few fields a finding shows."""
    with archive.open(entry) as page:
        for position, item in _page(page, entry.filename):
            machine = readers.expect_mapping(item, f"{entry.filename}: {position}")
            if values.text(machine.get("id")):
                yield str(machine["id"]), {field: machine.get(field) for field in MACHINE_FIELDS}


def _finding(record: Mapping[str, Any], machine: Mapping[str, Any]) -> NormalizedFinding:
    cve = values.text(record.get("cveId"))
    machine_id = values.text(record.get("machineId")) or values.text(record.get("deviceId"))
    product = values.text(record.get("productName")) or values.text(record.get("softwareName"))
    vendor = values.text(record.get("productVendor")) or values.text(record.get("softwareVendor"))
    version = values.text(record.get("productVersion")) or values.text(record.get("softwareVersion"))
    host = values.text(machine.get("computerDnsName")) or values.text(record.get("deviceName"))
    severity = record.get("severity") or record.get("vulnerabilitySeverityLevel")
    kb = values.text(record.get("fixingKbId")) or values.text(record.get("recommendedSecurityUpdateId"))
    update = values.text(record.get("recommendedSecurityUpdate"))
    score = values.score(record.get("cvssScore"))
    facts = [
        ("Machine", machine_id),
        ("Host", host),
        ("Operating system", _os(machine, record)),
        ("IP address", values.text(machine.get("lastIpAddress"))),
        ("External IP address", values.text(machine.get("lastExternalIpAddress"))),
        ("Product", " ".join(part for part in (vendor, product, version) if part)),
        ("Exploitability", values.text(record.get("exploitabilityLevel"))),
        ("CVSS score", str(score) if score is not None else None),
    ]
    fix = update or (f"KB{kb}" if kb and kb.isdigit() else kb)
    return NormalizedFinding(
        title=text.title(
            " - ".join(part for part in (cve, " ".join(p for p in (product, version) if p)) if part),
            fallback="Defender vulnerability",
        ),
        severity=values.severity_from_word(severity, default=Severity.INFO),
        tool=TOOL,
        rule_id=cve,
        tool_finding_id=text.clip(record.get("id"), 500) if values.text(record.get("id")) else None,
        description=text.clip("\n".join(f"{label}: {value}" for label, value in facts if value)),
        advisory_ids=values.advisory_ids([cve]),
        location=FindingLocation(
            host=host,
            package=product,
            package_version=version,
            component=machine_id,
        ),
        remediation=f"Install the security update {fix}." if fix else "",
        references=(f"https://nvd.nist.gov/vuln/detail/{cve}",)
        if cve and cve.upper().startswith("CVE-")
        else (),
        tags=tuple(tag for tag in (f"vendor:{vendor}" if vendor else "",) if tag),
        fingerprint=grouping.fingerprint(TOOL, machine_id, cve, vendor, product, version),
    )


def _os(machine: Mapping[str, Any], record: Mapping[str, Any]) -> str | None:
    platform = values.text(machine.get("osPlatform")) or values.text(record.get("osPlatform"))
    version = values.text(machine.get("osVersion")) or values.text(record.get("osVersion"))
    return " ".join(part for part in (platform, version) if part) or None


PARSER = MsDefenderParser()
