"""Twistlock / Prisma Cloud Compute image scans: twistcli JSON and the console's CSV export.

Variants, told apart by the start of the report:

* JSON (``twistcli images scan --output-file``): an object whose ``results`` array
  holds one entry per scanned image, each with ``vulnerabilities`` (one finding per
  package and CVE) and ``compliances`` (one finding per failed check, as DefectDojo
  imports them); every result is read, where DefectDojo reads the first;
* CSV (the console's Monitor > Vulnerabilities / Compliance export of images, hosts
  or containers): one finding per row, located by its column names (``CVE ID``,
  ``Compliance ID``, ``Severity``, ``Packages``, ``Source Package``...); a row
  with a ``Compliance ID`` and no ``CVE ID`` is a compliance finding;
* the same CSV with ``;`` as separator (as the export reads once saved by a
  spreadsheet in a European locale), told apart by its header row: the same column
  names, separated by ``;``. Read with the same mapping; a ``CVSS`` written with a
  decimal comma (``7,5``) is read as a number. The readers' CSV helpers read commas
  only, so this module reads that separator itself, the readers' way (UTF-8 with or
  without BOM, strict quoting, rows as long as the header).

Severity: Prisma Cloud's words; ``important`` is high, ``moderate`` medium,
``unimportant``, ``unassigned``, ``negligible`` and ``not yet assigned`` low,
``informational`` or none info (DefectDojo's mapping).

Fingerprint, by kind — never image ids or digests, which change on every build:

* vulnerability: the CVE, the package's name and path, and the image's repository
  (registry and repository, without tag) or host;
* compliance: the check's id (or its title when it has none) and the same repository
  or host.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.dockle import image_repository
from bastion.parsers.exceptions import MalformedReport

TOOL = "twistlock"
RESULTS_PATTERN = re.compile(r'^\{\s*"results"\s*:\s*\[')
JSON_MARKERS = ('"vulnerabilityDistribution"', '"complianceDistribution"', '"packageName"', '"compliances"')
PRISMA_WORDS = {
    "important": Severity.HIGH,
    "moderate": Severity.MEDIUM,
    "unimportant": Severity.LOW,
    "unassigned": Severity.LOW,
    "negligible": Severity.LOW,
    "not yet assigned": Severity.LOW,
    "information": Severity.INFO,
    "informational": Severity.INFO,
}
CSV_COLUMNS = {
    "cve": ("cve id",),
    "compliance": ("compliance id",),
    "severity": ("severity",),
    "packages": ("packages",),
    "source_package": ("source package",),
    "version": ("package version",),
    "path": ("package path",),
    "cvss": ("cvss",),
    "fix_status": ("fix status",),
    "description": ("description",),
    "cause": ("cause",),
    "link": ("vulnerability link",),
    "registry": ("registry",),
    "repository": ("repository",),
    "tag": ("tag",),
    "hostname": ("hostname", "hosts"),
    "type": ("type",),
    "title": ("title",),
}
# The columns a header row must name, with their labels for the error message.
CSV_REQUIRED = {"cve": "CVE ID", "compliance": "Compliance ID", "severity": "Severity"}
NO_HEADER = "no CSV header row naming the CVE ID and Compliance ID and Severity columns"
DECIMAL_COMMA = re.compile(r"\d{1,2},\d+")


class TwistlockParser(ReportParser):
    """Twistlock's (Prisma Cloud Compute's) image scan, JSON or CSV."""

    name = "twistlock"
    label = "Twistlock / Prisma Cloud image scan"
    defectdojo_scan_types = ("Twistlock Image Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("{"):
            if RESULTS_PATTERN.match(text) and any(marker in text for marker in JSON_MARKERS):
                return 90
            return 0
        for columns in (readers.csv_header(text), _semicolon_header(text)):
            if {"cve id", "compliance id", "severity"} <= columns and columns & {"packages", "fix status"}:
                return 85
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        head, source = readers.peek(stream, 4096)
        text = readers.head_text(head)
        if text.startswith("{"):
            yield from _parse_json(source)
        elif _has_required(_semicolon_header(text)) and not _has_required(readers.csv_header(text)):
            yield from _parse_csv(_semicolon_records(source))
        else:
            yield from _parse_csv(readers.iter_csv_records(source, CSV_COLUMNS, required=CSV_REQUIRED))


def _parse_json(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    reader = readers.JsonReader(
        stream,
        ["results.item.vulnerabilities.item", "results.item.compliances.item"],
        context=["results.item.name", "results.item.distro"],
        required=["results"],
    )
    for record in reader:
        entry = readers.expect_mapping(record.value, record.position)
        image = values.text(record.context.get("name"))
        if record.prefix.endswith("vulnerabilities.item"):
            yield _json_vulnerability(entry, image, record.position)
        else:
            yield _json_compliance(entry, image, record.position)


def _severity(word: object) -> Severity:
    value = str(word or "").strip().lower()
    return PRISMA_WORDS.get(value) or values.severity_from_word(value)


def _json_vulnerability(
    vulnerability: Mapping[str, Any], image: str | None, position: str
) -> NormalizedFinding:
    identifier = values.text(vulnerability.get("id"))
    if not identifier:
        raise MalformedReport("a vulnerability has no id", position=position)
    package = values.text(vulnerability.get("packageName"))
    version = values.text(vulnerability.get("packageVersion"))
    path = values.text(vulnerability.get("packagePath"))
    status = values.text(vulnerability.get("status"))
    v3_vector, v3_score = values.cvss3(values.text(vulnerability.get("vector")))
    if v3_score is None:
        v3_score = values.score(vulnerability.get("cvss"))
    risk_factors = readers.as_mapping(vulnerability.get("riskFactors"))
    return NormalizedFinding(
        title=text.title(f"{identifier}: {package} - {version}" if package else identifier),
        severity=_severity(vulnerability.get("severity")),
        tool=TOOL,
        rule_id=identifier,
        description=text.clip(vulnerability.get("description")),
        advisory_ids=values.advisory_ids([identifier]),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        location=FindingLocation(file_path=path, package=package, package_version=version, component=image),
        evidence=text.clip(
            "\n".join(
                filter(
                    None,
                    [
                        f"Layer: {vulnerability['layerInstruction']}"
                        if vulnerability.get("layerInstruction")
                        else "",
                        f"Risk factors: {', '.join(risk_factors)}" if risk_factors else "",
                    ],
                )
            )
        ),
        remediation=text.clip(f"Fix status: {status}." if status else ""),
        references=tuple(filter(None, [values.text(vulnerability.get("link"))])),
        tags=tuple(filter(None, ["vulnerability", f"status:{status}" if status else ""])),
        fingerprint=grouping.fingerprint(
            TOOL, "vulnerability", identifier, package, path, image_repository(image)
        ),
    )


def _json_compliance(compliance: Mapping[str, Any], image: str | None, position: str) -> NormalizedFinding:
    check_id = values.text(compliance.get("id"))
    heading = values.text(compliance.get("title"))
    if not check_id and not heading:
        raise MalformedReport("a compliance check has neither id nor title", position=position)
    category = values.text(compliance.get("category"))
    return NormalizedFinding(
        title=text.title(f"Compliance: {heading or check_id}"),
        severity=_severity(compliance.get("severity")),
        tool=TOOL,
        rule_id=check_id or heading,
        description=text.clip(compliance.get("description") or heading),
        location=FindingLocation(component=image),
        evidence=text.clip(compliance.get("cause")),
        tags=tuple(filter(None, ["compliance", category.lower() if category else ""])),
        fingerprint=grouping.fingerprint(TOOL, "compliance", check_id or heading, image_repository(image)),
    )


def _parse_csv(rows: Iterator[tuple[str, dict[str, str]]]) -> Iterator[NormalizedFinding]:
    for position, row in rows:
        yield _csv_row(row, position)


def _has_required(columns: set[str]) -> bool:
    return all(any(name in columns for name in CSV_COLUMNS[key]) for key in CSV_REQUIRED)


def _semicolon_header(text: str) -> set[str]:
    """Return the lower-cased cells of the first line of ``text``, split at ``;``."""
    try:
        cells = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")], delimiter=";"), [])
    except csv.Error:
        return set()
    return {cell.strip().lower() for cell in cells}


def _semicolon_records(stream: BinaryIO) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield ``(position, values)`` of a ``;`` export, as ``readers.iter_csv_records`` reads a comma one."""
    where: dict[str, int | None] | None = None
    width = 0
    for number, row in readers.iter_csv(stream, delimiter=";"):
        line = f"line {number}"
        if where is None:
            header = [cell.strip().lower() for cell in row]
            where = {
                key: next((header.index(name) for name in names if name in header), None)
                for key, names in CSV_COLUMNS.items()
            }
            if not _has_required(set(header)):
                raise MalformedReport(NO_HEADER, position=line)
            width = len(header)
            continue
        if len(row) != width:
            raise MalformedReport(f"row has {len(row)} fields where the header has {width}", position=line)
        yield line, {key: row[index].strip() if index is not None else "" for key, index in where.items()}
    if where is None:
        raise MalformedReport(readers.EMPTY_REPORT)


def _csv_row(row: Mapping[str, str], position: str) -> NormalizedFinding:
    cve, compliance = row["cve"], row["compliance"]
    if not cve and not compliance:
        raise MalformedReport("row has neither a CVE ID nor a Compliance ID", position=position)
    package = row["source_package"] or row["packages"] or None
    version = row["version"] or None
    repository = "/".join(part for part in (row["registry"], row["repository"]) if part) or None
    place = repository or row["hostname"] or None
    component = f"{repository}:{row['tag']}" if repository and row["tag"] else place
    cvss = row["cvss"].replace(",", ".") if DECIMAL_COMMA.fullmatch(row["cvss"]) else row["cvss"]
    v3_vector, v3_score = values.cvss3(cvss) if cvss.startswith("CVSS:") else (None, None)
    if v3_score is None:
        v3_score = values.score(cvss)
    if cve:
        heading = f"{cve}: {package} - {version}" if package else cve
        kind, identifier = "vulnerability", cve
    else:
        heading = f"Compliance: {row['title'] or row['description'] or compliance}"
        kind, identifier = "compliance", compliance
    return NormalizedFinding(
        title=text.title(heading),
        severity=_severity(row["severity"]),
        tool=TOOL,
        rule_id=identifier,
        description=text.clip(row["description"]),
        advisory_ids=values.advisory_ids([cve]),
        cvss_v3_vector=v3_vector,
        cvss_v3_score=v3_score,
        location=FindingLocation(
            file_path=row["path"] or None,
            host=row["hostname"] or None,
            package=package,
            package_version=version,
            component=component,
        ),
        evidence=text.clip(row["cause"]),
        remediation=text.clip(f"Fix status: {row['fix_status']}." if row["fix_status"] else ""),
        references=tuple(filter(None, [row["link"]])),
        tags=tuple(filter(None, [kind, row["type"]])),
        fingerprint=grouping.fingerprint(
            TOOL, kind, identifier, package if cve else None, row["path"], place
        ),
    )


PARSER = TwistlockParser()
