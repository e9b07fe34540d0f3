"""Load OSV exports into the advisory database: validated, in batches, newest ``modified`` wins."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError
from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from bastion.core.advisories import versions
from bastion.core.advisories.models import Advisory, AffectedPackage
from bastion.core.advisories.schema import Record
from bastion.core.advisories.sources import Entry, UnsafeArchive, read_export

__all__ = ["ImportCounts", "UnsafeArchive", "import_osv"]

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
DETAILS_LIMIT = 10_000
MAX_REFERENCES = 100
MAX_REFUSALS_KEPT = 100
MAX_CWES = 20
_CWE_ID = re.compile(r"^CWE-[1-9][0-9]{0,5}$")

_ADVISORY_FIELDS = [
    "aliases",
    "summary",
    "details",
    "severity_type",
    "severity_vector",
    "cvss_score",
    "database_severity",
    "published",
    "modified",
    "withdrawn",
    "references",
    "cwe_ids",
    "imported_at",
]


@dataclass
class ImportCounts:
    """What an import did; ``refusals`` names each refused file and why (the first hundred)."""

    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    refusals: list[str] = field(default_factory=list)

    def refuse(self, origin: str, problem: str) -> None:
        self.refused += 1
        if len(self.refusals) < MAX_REFUSALS_KEPT:
            self.refusals.append(f"{origin}: {problem}")


def import_osv(path: Path | str, *, batch_size: int = BATCH_SIZE) -> ImportCounts:
    """Load an OSV export (an ``all.zip``, a directory of JSON files or one JSON file).

    Each file is validated whole before anything of it is written, so a bad record is refused
    (named with its file) and never half-imported; each batch is written in one transaction.
    Raises ``UnsafeArchive`` when the export itself is refused, before anything is written.
    """
    counts = ImportCounts()
    batch: dict[str, Record] = {}
    for records in _validated(read_export(Path(path)), counts):
        for record in records:
            # The same id twice in one batch: the later ``modified`` wins, as against the database.
            previous = batch.get(record.id)
            if previous is None or record.modified > previous.modified:
                batch[record.id] = record
            else:
                counts.unchanged += 1
        if len(batch) >= batch_size:
            _write_batch(list(batch.values()), counts)
            batch = {}
    if batch:
        _write_batch(list(batch.values()), counts)
    logger.info(
        "advisories imported from %s: %d read, %d new, %d updated, %d unchanged, %d refused",
        path,
        counts.read,
        counts.new,
        counts.updated,
        counts.unchanged,
        counts.refused,
    )
    return counts


def _validated(entries: Iterable[Entry], counts: ImportCounts) -> Iterator[list[Record]]:
    """Yield each file's records once all of them are valid; refuse the file otherwise."""
    for entry in entries:
        if entry.content is None:
            counts.read += 1
            counts.refuse(entry.origin, entry.problem)
            continue
        try:
            document = orjson.loads(entry.content)
        except orjson.JSONDecodeError as error:
            counts.read += 1
            counts.refuse(entry.origin, f"not JSON ({error})")
            continue
        # One record per file as OSV publishes them; a list of records is accepted too.
        raw_records = document if isinstance(document, list) else [document]
        counts.read += len(raw_records)
        try:
            records = [Record.model_validate(raw) for raw in raw_records]
        except ValidationError as error:
            counts.refused += len(raw_records) - 1
            counts.refuse(entry.origin, _describe(error))
            continue
        yield records


def _describe(error: ValidationError) -> str:
    problems = []
    for detail in error.errors()[:3]:
        where = ".".join(str(part) for part in detail["loc"]) or "record"
        problems.append(f"{where}: {detail['msg']}")
    return "; ".join(problems)


def _write_batch(records: list[Record], counts: ImportCounts) -> None:
    now = timezone.now()
    with transaction.atomic():
        existing = {
            osv_id: (pk, modified)
            for osv_id, pk, modified in Advisory.objects.filter(
                osv_id__in=[record.id for record in records]
            ).values_list("osv_id", "pk", "modified")
        }
        to_create: list[Advisory] = []
        to_update: list[Advisory] = []
        packages: list[tuple[Advisory, Record]] = []
        for record in records:
            advisory = _advisory(record, now)
            known = existing.get(record.id)
            if known is None:
                to_create.append(advisory)
            elif record.modified > known[1]:
                advisory.pk = known[0]
                to_update.append(advisory)
            else:
                counts.unchanged += 1
                continue
            packages.append((advisory, record))
        Advisory.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        if to_create and to_create[0].pk is None:
            # Backends that do not return keys from a bulk insert: read them back.
            keys = dict(
                Advisory.objects.filter(osv_id__in=[item.osv_id for item in to_create]).values_list(
                    "osv_id", "pk"
                )
            )
            for item in to_create:
                item.pk = keys[item.osv_id]
        Advisory.objects.bulk_update(to_update, _ADVISORY_FIELDS, batch_size=BATCH_SIZE)
        AffectedPackage.objects.filter(advisory__in=[item.pk for item in to_update]).delete()
        AffectedPackage.objects.bulk_create(
            [row for advisory, record in packages for row in _affected_rows(advisory, record)],
            batch_size=BATCH_SIZE,
        )
    counts.new += len(to_create)
    counts.updated += len(to_update)


def _advisory(record: Record, now: Any) -> Advisory:
    severity_type, vector, score = _severity(record)
    database_severity = ""
    if record.database_specific and isinstance(record.database_specific.get("severity"), str):
        database_severity = record.database_specific["severity"][:32]
    return Advisory(
        osv_id=record.id,
        aliases=list(record.aliases or []),
        summary=(record.summary or "")[:500],
        details=(record.details or "")[:DETAILS_LIMIT],
        severity_type=severity_type,
        severity_vector=vector,
        cvss_score=score,
        database_severity=database_severity,
        published=record.published,
        modified=record.modified,
        withdrawn=record.withdrawn,
        references=[reference.model_dump() for reference in (record.references or [])[:MAX_REFERENCES]],
        cwe_ids=_cwe_ids(record),
        imported_at=now,
    )


def _cwe_ids(record: Record) -> list[str]:
    """Return the CWE ids the source names (GitHub's ``database_specific.cwe_ids``), well-formed only."""
    values = (record.database_specific or {}).get("cwe_ids")
    if not isinstance(values, list):
        return []
    found = [value.strip().upper() for value in values if isinstance(value, str)]
    return list(dict.fromkeys(value for value in found if _CWE_ID.match(value)))[:MAX_CWES]


def _severity(record: Record) -> tuple[str, str, Decimal | None]:
    """Return the strongest CVSS the record carries: (type, vector, base score)."""
    best: tuple[str, str, Decimal | None] = ("", "", None)
    for severity in record.severity or []:
        score: Decimal | None = None
        try:
            if severity.type == "CVSS_V3":
                score = Decimal(str(CVSS3(severity.score).base_score))
            elif severity.type == "CVSS_V4":
                score = Decimal(str(CVSS4(severity.score).base_score))
        except (CVSSError, ValueError, KeyError):
            score = None  # an unreadable vector is kept as text, without a score
        # Prefer the newest CVSS version that scored.
        if best[0] == "" or (score is not None and (best[2] is None or severity.type > best[0])):
            best = (severity.type, severity.score, score)
    return best


def _affected_rows(advisory: Advisory, record: Record) -> Iterator[AffectedPackage]:
    for affected in record.affected or []:
        if affected.package is None:
            continue  # a record about a commit range only: nothing to match a package against
        ecosystem = versions.canonical_ecosystem(affected.package.ecosystem)
        ranges = [
            {
                "type": osv_range.type,
                "events": [event.model_dump(exclude_none=True) for event in osv_range.events],
            }
            for osv_range in affected.ranges
            if osv_range.type != "GIT"
        ]
        if not ranges and not affected.versions:
            continue
        yield AffectedPackage(
            advisory=advisory,
            ecosystem=ecosystem,
            name=versions.normalize_name(ecosystem, affected.package.name),
            ranges=ranges,
            versions=list(affected.versions),
        )
