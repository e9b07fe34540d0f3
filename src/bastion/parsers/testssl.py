"""testssl.sh: the CSV report (``--csvfile``) and both JSON reports (``--jsonfile``, ``--jsonfile-pretty``).

Every form writes one record per check and address: ``id`` (the check,
``BREACH``, ``cert_notAfter``...), the target (CSV ``fqdn/ip`` and ``port``; flat
JSON ``ip`` as ``host/address`` and ``port``; pretty JSON the ``targetHost``,
``ip`` and ``port`` of each ``scanResult`` entry, its records in sections:
``protocols``, ``ciphers``, ``vulnerabilities``...), ``severity``, ``finding`` (the
result in words), ``cve`` (space-separated), ``cwe`` and, since 3.0, ``hint``.
Versions 2.9.5 to 3.2 are read; a 2.9 CSV naming its address column ``ip`` too.

What becomes a finding, as DefectDojo does: every record that is not ``OK`` (nor
``DEBUG``), except the rating and score records (``overall_grade``,
``final_score``, ``grade_cap_reason_*``...), which grade the server rather than
find something. A record naming several CVEs is a finding per CVE (DROWN names
CVE-2016-0800 and CVE-2016-0703: two vulnerabilities to track). The records of one
check with the same result and CVE on one host name are one finding, its addresses
(a name resolving to several, each scanned) listed in the evidence and counted by
``instances:N``; the findings come out when the report has been read.

Severity: testssl's CRITICAL, HIGH, MEDIUM, LOW; INFO, WARN (the scan met a
problem) and FATAL are info.

Fingerprint: the host name, the check id, the result text and the CVE (the
grouping key). The result text is part of it because testssl's id does not say
what was found (``cert_expirationStatus`` says "ok" or "expires < 60 days"); not
the addresses, which the finding spans.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "testssl"

SEVERITIES: Mapping[str, Severity] = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "info": Severity.INFO,
    "warn": Severity.INFO,
    "fatal": Severity.INFO,
}
NOT_FINDINGS = frozenset({"ok", "debug"})
RATINGS = frozenset(
    {
        "rating_spec",
        "rating_doc",
        "protocol_support_score",
        "protocol_support_score_weighted",
        "key_exchange_score",
        "key_exchange_score_weighted",
        "cipher_strength_score",
        "cipher_strength_score_weighted",
        "final_score",
        "overall_grade",
    }
)
# How much of the result goes into a title; the whole result is the description.
TITLE_RESULT_CHARACTERS = 120
# Results up to this long have their texts made once however often they repeat.
CACHED_RESULT_CHARACTERS = 4096
CSV_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "id": ("id",),
    "target": ("fqdn/ip", "ip"),
    "port": ("port",),
    "severity": ("severity",),
    "finding": ("finding",),
    "cve": ("cve",),
    "cwe": ("cwe",),
    "hint": ("hint",),
}


class TestsslParser(ReportParser):
    """testssl.sh CSV, JSON and pretty JSON."""

    name = "testssl"
    label = "testssl.sh CSV/JSON"
    defectdojo_scan_types = ("Testssl Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if text.startswith("{"):
            return 95 if '"scanResult"' in text and ('"Invocation"' in text or "testssl" in text) else 0
        if text.startswith("["):
            keys = ('"id"', '"ip"', '"port"', '"severity"', '"finding"')
            return 85 if all(key in text[:4096] for key in keys) else 0
        header = readers.csv_header(text)
        if {"id", "port", "severity", "finding"} <= header and header & {"fqdn/ip", "ip"}:
            return 90 if "fqdn/ip" in header else 60
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        if first == b"{":
            records: Iterable[tuple[str, Mapping[str, str]]] = _pretty_records(source)
        elif first == b"[":
            records = _flat_records(source)
        else:
            records = readers.iter_csv_records(
                source, CSV_COLUMNS, required={"id": "id", "severity": "severity", "finding": "finding"}
            )
        groups = grouping.FindingGroups()
        for position, record in records:
            for finding, place in _findings(record, position):
                groups.add(finding.fingerprint, finding, place)
        yield from groups.findings()


def _flat_records(stream: BinaryIO) -> Iterator[tuple[str, Mapping[str, str]]]:
    """Yield the records of a ``--jsonfile`` report, named as the CSV names its columns."""
    for position, item in readers.iter_json(stream, "item", required=True):
        record = readers.expect_mapping(item, position)
        yield position, {**_strings(record), "target": _string(record.get("ip"))}


def _pretty_records(stream: BinaryIO) -> Iterator[tuple[str, Mapping[str, str]]]:
    """Yield the records of a ``--jsonfile-pretty`` report, each with its target's address."""
    for position, item in readers.iter_json(stream, "scanResult.item", required=True):
        target = readers.expect_mapping(item, position)
        host = _string(target.get("targetHost"))
        address = _string(target.get("ip"))
        port = _string(target.get("port"))
        for section, entries in target.items():
            if not isinstance(entries, list):
                continue
            for index, entry in enumerate(entries):
                if isinstance(entry, dict) and "id" in entry:
                    record = _strings(entry)
                    yield (
                        f"{position}.{section}[{index}]",
                        {**record, "target": f"{host}/{address}", "port": record.get("port") or port},
                    )


def _string(value: object) -> str:
    return "" if value is None or isinstance(value, dict | list) else str(value).strip()


def _strings(record: Mapping[str, Any]) -> dict[str, str]:
    return {key: _string(record.get(key)) for key in CSV_COLUMNS}


def _findings(record: Mapping[str, str], position: str) -> Iterator[tuple[NormalizedFinding, str]]:
    """Yield the record's findings (one per CVE it names) with the address it was found at."""
    check = record["id"]
    severity_word = record["severity"].lower()
    if not check:
        raise MalformedReport("record has no id", position=position)
    if severity_word in NOT_FINDINGS or check in RATINGS or check.startswith("grade_cap_reason_"):
        return
    severity = SEVERITIES.get(severity_word)
    if severity is None:
        raise MalformedReport(f"unknown severity {record['severity']!r}", position=position)
    host, _, address = record["target"].partition("/")
    port_text = record["port"]
    result = record["finding"]
    cwes = _cwe_ids(record["cwe"])
    place = f"{address or host}:{port_text}" if port_text else address or host
    title, description = (
        _texts(check, result)
        if len(result) <= CACHED_RESULT_CHARACTERS
        else _texts.__wrapped__(check, result)
    )
    location = _location(host or address or None, values.as_int(port_text))
    evidence = text.clip(f"Address: {address}" if address else "")
    remediation = text.clip(record["hint"])
    tags = (f"testssl-severity:{severity_word}",)
    for cve in record["cve"].split() or [""]:
        yield (
            NormalizedFinding(
                title=title,
                severity=severity,
                tool=TOOL,
                rule_id=check,
                description=description,
                advisory_ids=_advisory_ids(cve),
                cwe_ids=cwes,
                location=location,
                evidence=evidence,
                remediation=remediation,
                tags=tags,
                fingerprint=grouping.fingerprint(TOOL, host or address, check, result, cve),
            ),
            place,
        )


# The texts and ids below are the same for every address of a name, and for many
# checks across names: each is made once, for the most recent thousand or so.
@functools.lru_cache(maxsize=1024)
def _texts(check: str, result: str) -> tuple[str, str]:
    """Return the title and description of a check's result."""
    short = result if len(result) <= TITLE_RESULT_CHARACTERS else result[: TITLE_RESULT_CHARACTERS - 1] + "…"
    return text.title(f"{check}: {short}" if short else check), text.clip(result)


@functools.lru_cache(maxsize=1024)
def _location(host: str | None, port: int | None) -> FindingLocation:
    """Return where a service is (a location is immutable: findings may share one)."""
    return FindingLocation(
        host=host,
        port=port if port is not None and 0 <= port <= 65535 else None,
        protocol="tcp" if port is not None else None,
    )


@functools.lru_cache(maxsize=1024)
def _advisory_ids(cve: str) -> tuple[str, ...]:
    return values.advisory_ids([cve])


@functools.lru_cache(maxsize=1024)
def _cwe_ids(cwe: str) -> tuple[int, ...]:
    return values.cwe_ids(cwe.split())


PARSER = TestsslParser()
