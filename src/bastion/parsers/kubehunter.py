"""kube-hunter JSON (``kube-hunter --report json``): weaknesses found in a Kubernetes cluster.

The report is an object with ``nodes`` and ``services`` (what was discovered) and
``vulnerabilities`` (what was found); only the vulnerabilities are findings, streamed
one at a time. Each has ``location`` (``host:port``, or "Local to Pod (<pod>)" when
kube-hunter ran inside a pod), ``vid`` (``KHV044``; the string "None" for checks
without an id), ``category``, ``severity``, ``vulnerability`` (the title),
``description``, ``evidence`` and ``hunter``. Versions before 0.6 have no
``avd_reference``; the oldest have no ``vid``: both are optional.

A record repeated exactly (same vulnerability, location and evidence) is one
finding, as DefectDojo makes it: the records seen are remembered by a 128-bit
digest of those fields, one small entry per finding rather than the fields' text.

Severity: kube-hunter's word (``low``, ``medium``, ``high``); another is info.

Fingerprint: the vulnerability id (its title when it has none), and its location
with the pod's name dropped from "Local to Pod (...)" (a new pod name each run) —
not the evidence, which carries counts and versions.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "kubehunter"
LOCAL_TO_POD = "Local to Pod"
HOST_PORT = re.compile(r"^\[?(?P<host>[^\s\[\]]+?)\]?:(?P<port>\d{1,5})$")
# The fields that make two records the same one, repeated.
IDENTITY = ("vulnerability", "vid", "location", "evidence", "description", "category")
# A report's top-level keys, in the order kube-hunter writes them.
KEY_PATTERN = r'"{key}"\s*:\s*\['


class KubeHunterParser(ReportParser):
    """kube-hunter's JSON report."""

    name = "kubehunter"
    label = "kube-hunter JSON"
    defectdojo_scan_types = ("KubeHunter Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        keys = [
            re.search(KEY_PATTERN.format(key=key), text) for key in ("nodes", "services", "vulnerabilities")
        ]
        if all(keys):
            return 95
        if keys[2] and '"hunter"' in text and '"vid"' in text:
            return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        seen: set[bytes] = set()
        for position, item in readers.iter_json(stream, "vulnerabilities.item", required=True):
            record = readers.expect_mapping(item, position)
            if not values.text(record.get("vulnerability")):
                raise MalformedReport("vulnerability has no 'vulnerability' (its name)", position=position)
            key = _digest(tuple(str(record.get(field) or "") for field in IDENTITY))
            if key in seen:
                continue
            seen.add(key)
            yield _finding(record)


def _finding(record: Mapping[str, Any]) -> NormalizedFinding:
    title = str(record["vulnerability"])
    vid = values.text(record.get("vid"))
    vid = None if vid in (None, "None") else vid
    location = values.text(record.get("location")) or ""
    place = HOST_PORT.match(location)
    reference = values.text(record.get("avd_reference"))
    if reference and not vid:  # kube-hunter links checks without an id to a page that does not exist
        reference = None
    evidence = values.text(record.get("evidence"))
    facts = [
        ("Category", values.text(record.get("category"))),
        ("Hunter", values.text(record.get("hunter"))),
        ("Location", location),
    ]
    description = [
        " ".join(str(record.get("description") or "").split()),
        "\n".join(f"{label}: {value}" for label, value in facts if value),
    ]
    category = values.text(record.get("category"))
    return NormalizedFinding(
        title=text.title(title),
        severity=values.severity_from_word(record.get("severity"), default=Severity.INFO),
        tool=TOOL,
        rule_id=vid,
        description=text.clip("\n\n".join(part for part in description if part)),
        location=FindingLocation(
            host=place.group("host") if place else None,
            port=_port(place.group("port")) if place else None,
            component=None if place else location or None,
        ),
        evidence=text.clip(evidence if evidence and evidence.lower() != "none" else ""),
        remediation=f"See {reference}" if reference else "",
        references=(reference,) if reference else (),
        tags=tuple(f"category:{part.strip()}" for part in (category or "").split("//") if part.strip()),
        fingerprint=grouping.fingerprint(TOOL, vid or title, _stable_location(location)),
    )


def _digest(fields: tuple[str, ...]) -> bytes:
    """Return a 128-bit digest of a record's identifying fields (their repr: unambiguous)."""
    return hashlib.blake2b(repr(fields).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _port(value: str) -> int | None:
    port = int(value)
    return port if port <= 65535 else None


def _stable_location(location: str) -> str:
    """Drop the pod's name from "Local to Pod (kube-hunter-5pmjs)": a new one each run."""
    return LOCAL_TO_POD if location.startswith(LOCAL_TO_POD) else location


PARSER = KubeHunterParser()
