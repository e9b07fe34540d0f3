"""TruffleHog JSON Lines: version 3 (``trufflehog git ... --json``: ``SourceMetadata``,
``DetectorName``, ``Verified``, ``Raw``...) and version 2 (``trufflehog --json``:
``reason``, ``path``, ``commitHash``, ``stringsFound``...). Log lines mixed into the
output (``level``/``msg``) are skipped.

The secret never leaves the parser: ``Raw``, ``RawV2``, ``Redacted`` (which often
holds the whole secret), ``stringsFound``, ``diff`` and ``printDiff`` are left
out; the finding shows at most a secret's first four characters.

Severity: version 3 — a verified (live) secret is critical, an unverified one
high. Version 2 — ``High Entropy`` matches (noisy by nature) low, ``Generic
Secret`` medium, a named secret kind (``RSA private key``, ``AWS API Key``) high.

Fingerprint and grouping, version 3: detector, file path, line and the SHA-256 of
``Raw`` (the hash, never the secret) — not the commit. A history scan reports the
same secret at the same place once per commit that carries it: the records of one
fingerprint are one finding, located and described by the first, the other
commits listed in its evidence and counted by ``instances:N``.

Version 2 records have no line and one record per commit, several strings each:
a finding is one reason in one file, its commits listed in the description and
counted by ``instances:N``, its fingerprint the reason, the path and a SHA-256
over the distinct strings' hashes (the secrets are what tells one such finding
from another in the same file).

Findings of both versions come out when the report has been read. A JSON Lines
report with no lines has no findings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

# How many commits a version 2 finding lists in its description.
MAX_COMMITS_LISTED = 20
# Source metadata keys that name where the secret is, by kind of place.
FILE_KEYS = ("file", "path", "filename", "key")
COMPONENT_KEYS = ("repository", "bucket", "image", "project", "workspace", "url")


@dataclass
class _Reason:
    """A version 2 finding being gathered: one reason in one file, over many commits."""

    reason: str
    path: str
    secret_hashes: set[str] = field(default_factory=set)
    shown: list[str] = field(default_factory=list)
    commits: list[str] = field(default_factory=list)
    commit_count: int = 0
    branches: set[str] = field(default_factory=set)

    @classmethod
    def revived(cls, data: dict[str, Any]) -> _Reason:
        """Rebuild a gathering that waited on disk (see grouping.GroupStore)."""
        return cls(**{**data, "secret_hashes": set(data["secret_hashes"]), "branches": set(data["branches"])})

    def footprint(self) -> int:
        """About how many bytes the gathering takes in memory."""
        return 1000 + 120 * (len(self.secret_hashes) + len(self.commits) + len(self.branches))


class TrufflehogParser(ReportParser):
    """TruffleHog's JSON Lines output, versions 2 and 3."""

    name = "trufflehog"
    label = "TruffleHog JSON Lines"
    defectdojo_scan_types = ("Trufflehog Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{"):
            return 0
        if '"SourceMetadata"' in text and '"DetectorName"' in text:
            return 95
        if '"stringsFound"' in text and ('"printDiff"' in text or '"commitHash"' in text):
            return 95
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        groups = grouping.FindingGroups()
        reasons: grouping.GroupStore[_Reason] = grouping.GroupStore(_Reason.revived, _Reason.footprint)
        for position, item in readers.iter_json_lines(stream):
            record = readers.expect_mapping(item, position)
            if "SourceMetadata" in record or "DetectorName" in record:
                finding, commit = _v3(record, position)
                groups.add(finding.fingerprint, finding, f"commit {commit}" if commit else position)
            elif "stringsFound" in record or "reason" in record:
                _gather_v2(reasons, record, position)
            elif "level" in record and "msg" in record:
                continue
            else:
                raise MalformedReport(
                    "neither a TruffleHog v3 result (SourceMetadata, DetectorName) "
                    "nor a v2 result (reason, stringsFound)",
                    position=position,
                )
        yield from groups.findings()
        for gathered in reasons.values():
            yield _v2(gathered)


def _v3(record: Mapping[str, Any], position: str) -> tuple[NormalizedFinding, str | None]:
    detector = str(record["DetectorName"])
    verified = record.get("Verified") is True
    raw = str(record.get("Raw") or "")
    source = _source(record.get("SourceMetadata"), position)
    path = _first(source, FILE_KEYS)
    line = values.as_int(source.get("line"))
    commit = str(source.get("commit") or "") or None
    component = _first(source, COMPONENT_KEYS)
    link = str(source.get("link") or "") or None
    shown = text.redacted(str(record.get("Redacted") or "") or raw)
    where = f"{path}:{line}" if path and line is not None else path or component or "the scanned source"
    extra = _extra_data(record.get("ExtraData"), raw)
    description = [
        str(record.get("DetectorDescription") or ""),
        f"TruffleHog's {detector} detector found a {'verified' if verified else 'unverified'} "
        f"secret in {where}.",
        f"Secret: {shown}" if shown else "",
        f"Source: {record['SourceName']}" if record.get("SourceName") else "",
        f"Commit: {commit}" if commit else "",
        f"Author: {source['email']}" if source.get("email") else "",
        f"Date: {source['timestamp']}" if source.get("timestamp") else "",
        f"Verification error: {record['VerificationError']}" if record.get("VerificationError") else "",
        *extra,
    ]
    secret_hash = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
    finding = NormalizedFinding(
        title=text.title(f"Hard-coded secret: {detector}{' (verified)' if verified else ''}"),
        severity=Severity.CRITICAL if verified else Severity.HIGH,
        tool="trufflehog",
        rule_id=detector,
        description=text.clip("\n".join(part for part in description if part)),
        cwe_ids=(values.HARD_CODED_CREDENTIALS,),
        location=FindingLocation(
            file_path=path, line_start=line, line_end=line, url=link, component=component
        ),
        evidence=f"Secret: {shown}" if shown else "",
        remediation=values.HARD_CODED_CREDENTIALS_FIX,
        references=(link,) if link else (),
        tags=("verified",) if verified else ("unverified",),
        fingerprint=grouping.fingerprint("trufflehog", detector, path or component, line, secret_hash),
    )
    return finding, commit


def _source(metadata: object, position: str) -> Mapping[str, Any]:
    """Return the one source's fields from ``{"Data": {"Git": {...}}}``."""
    if metadata is None:
        return {}
    data = readers.expect_mapping(metadata, f"{position}.SourceMetadata").get("Data")
    if data is None:
        return {}
    kinds = readers.expect_mapping(data, f"{position}.SourceMetadata.Data")
    for value in kinds.values():
        if isinstance(value, dict):
            return value
    return {}


def _first(source: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = source.get(key)
        if value and isinstance(value, str | int):
            return str(value)
    return None


def _extra_data(extra: object, raw: str) -> list[str]:
    """Return the detector's extra facts (account, ARN...) that do not contain the secret."""
    if not isinstance(extra, dict):
        return []
    lines = []
    for key, value in extra.items():
        if isinstance(value, str | int | float | bool) and not (raw and raw in str(value)):
            lines.append(f"{key}: {value}")
    return lines


def _gather_v2(reasons: grouping.GroupStore[_Reason], record: Mapping[str, Any], position: str) -> None:
    reason = str(record["reason"])
    path = str(record["path"])
    gathered = reasons.get((reason, path)) or _Reason(reason=reason, path=path)
    try:
        _gather_into(gathered, record, position)
    finally:
        reasons.put((reason, path), gathered)


def _gather_into(gathered: _Reason, record: Mapping[str, Any], position: str) -> None:
    for value in readers.expect_list(record.get("stringsFound"), f"{position}.stringsFound"):
        secret = str(value)
        digest = hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
        if digest not in gathered.secret_hashes:
            gathered.secret_hashes.add(digest)
            if len(gathered.shown) < MAX_COMMITS_LISTED:
                gathered.shown.append(text.redacted(secret))
    gathered.commit_count += 1
    if len(gathered.commits) < MAX_COMMITS_LISTED:
        commit_hash = str(record.get("commitHash") or "")
        gathered.commits.append(f"{commit_hash} ({record.get('date') or 'no date'})")
    if record.get("branch"):
        gathered.branches.add(str(record["branch"]))


def _v2(gathered: _Reason) -> NormalizedFinding:
    more = gathered.commit_count - len(gathered.commits)
    description = [
        f"truffleHog matched {gathered.reason!r} in {gathered.path} "
        f"({len(gathered.secret_hashes)} distinct strings, {gathered.commit_count} commits).",
        "Strings: " + ", ".join(gathered.shown) if gathered.shown else "",
        "Commits:\n" + "\n".join(gathered.commits) + (f"\n… and {more} more" if more > 0 else ""),
        "Branches: " + ", ".join(sorted(gathered.branches)) if gathered.branches else "",
    ]
    strings_hash = hashlib.sha256("\n".join(sorted(gathered.secret_hashes)).encode()).hexdigest()
    return NormalizedFinding(
        title=text.title(f"Hard-coded secret: {gathered.reason}"),
        severity=_v2_severity(gathered.reason),
        tool="trufflehog",
        rule_id=gathered.reason,
        description=text.clip("\n".join(part for part in description if part)),
        cwe_ids=(values.HARD_CODED_CREDENTIALS,),
        location=FindingLocation(file_path=gathered.path),
        evidence=text.clip("Strings: " + ", ".join(gathered.shown)) if gathered.shown else "",
        remediation=values.HARD_CODED_CREDENTIALS_FIX,
        tags=(f"instances:{gathered.commit_count}",),
        fingerprint=grouping.fingerprint("trufflehog", gathered.reason, gathered.path, strings_hash),
    )


def _v2_severity(reason: str) -> Severity:
    lowered = reason.lower()
    if "entropy" in lowered:
        return Severity.LOW
    if lowered.startswith("generic"):
        return Severity.MEDIUM
    return Severity.HIGH


PARSER = TrufflehogParser()
