"""Gitleaks JSON (``gitleaks detect -f json``): an array of leaks. Two shapes:
version 8 (``RuleID``, ``File``, ``StartLine``, ``Secret``, ``Match``...) and the
legacy versions up to 7 (``rule``, ``file``, ``lineNumber``, ``offender``, ``line``...).

The secret never leaves the parser: ``Secret``, ``Match``, ``offender`` and the
source line are left out; the finding shows at most the secret's first four
characters.

Severity: gitleaks has none; a hard-coded secret is high.

Fingerprint: rule, file path, line and the SHA-256 of the secret (the hash, never
the secret) — not the commit.

Grouping: a history scan reports the same secret at the same place once for every
commit that carries it (DefectDojo counts those repeats as occurrences of one
finding). The records of one fingerprint are one finding, located and described
by the first; the other commits are listed in its evidence and ``instances:N``
counts them. The findings come out when the report has been read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser


class GitleaksParser(ReportParser):
    """Gitleaks' JSON report, version 8 and legacy."""

    name = "gitleaks"
    label = "Gitleaks JSON"
    defectdojo_scan_types = ("Gitleaks Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("["):
            return 0
        if '"RuleID"' in text and '"StartLine"' in text and ('"Secret"' in text or '"Match"' in text):
            return 90
        if '"offender"' in text and '"rule"' in text and '"commit"' in text:
            return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        groups = grouping.FindingGroups()
        for position, item in readers.iter_json(stream, "item", required=True):
            leak = readers.expect_mapping(item, position)
            finding, commit = _current(leak) if "RuleID" in leak else _legacy(leak)
            groups.add(finding.fingerprint, finding, f"commit {commit}" if commit else position)
        yield from groups.findings()


def _current(leak: Mapping[str, Any]) -> tuple[NormalizedFinding, str | None]:
    rule_id = str(leak["RuleID"])
    path = str(leak["File"])
    line = values.as_int(leak.get("StartLine"))
    end = values.as_int(leak.get("EndLine"))
    secret = str(leak.get("Secret") or leak.get("Match") or "")
    commit = str(leak.get("Commit") or "") or None
    tags = leak.get("Tags")
    finding = _finding(
        rule_id=rule_id,
        rule_name=str(leak.get("Description") or rule_id),
        path=path,
        line=line,
        end=end if end is not None and line is not None and end >= line else line,
        secret=secret,
        commit=commit,
        author=str(leak.get("Author") or ""),
        date=str(leak.get("Date") or ""),
        entropy=leak.get("Entropy"),
        link=str(leak.get("Link") or "") or None,
        tags=[str(tag) for tag in readers.expect_list(tags, "Tags")] if tags else [],
        tool_finding_id=str(leak.get("Fingerprint") or "") or None,
    )
    return finding, commit


def _legacy(leak: Mapping[str, Any]) -> tuple[NormalizedFinding, str | None]:
    rule = str(leak["rule"])
    line = values.as_int(leak.get("lineNumber"))
    tags = str(leak.get("tags") or "")
    commit = str(leak.get("commit") or "") or None
    finding = _finding(
        rule_id=rule,
        rule_name=rule,
        path=str(leak["file"]),
        line=line,
        end=line,
        secret=str(leak.get("offender") or ""),
        commit=commit,
        author=str(leak.get("author") or ""),
        date=str(leak.get("date") or ""),
        entropy=leak.get("offenderEntropy"),
        link=str(leak.get("leakURL") or "") or None,
        tags=[tag.strip() for tag in tags.split(",") if tag.strip()],
        tool_finding_id=None,
    )
    return finding, commit


def _finding(
    *,
    rule_id: str,
    rule_name: str,
    path: str,
    line: int | None,
    end: int | None,
    secret: str,
    commit: str | None,
    author: str,
    date: str,
    entropy: object,
    link: str | None,
    tags: list[str],
    tool_finding_id: str | None,
) -> NormalizedFinding:
    secret_hash = hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
    shown = text.redacted(secret)
    where = f"{path}:{line}" if line is not None else path
    description = [
        f"Gitleaks rule {rule_name!r} matched a secret in {where}.",
        f"Secret: {shown}" if shown else "",
        f"Commit: {commit}" if commit else "",
        f"Author: {author}" if author else "",
        f"Date: {date}" if date else "",
        f"Entropy: {entropy}" if entropy not in (None, "", 0) else "",
    ]
    return NormalizedFinding(
        title=text.title(f"Hard-coded secret: {rule_name}"),
        severity=Severity.HIGH,
        tool="gitleaks",
        rule_id=rule_id,
        tool_finding_id=tool_finding_id,
        description=text.clip("\n".join(part for part in description if part)),
        cwe_ids=(values.HARD_CODED_CREDENTIALS,),
        location=FindingLocation(file_path=path, line_start=line, line_end=end),
        evidence=f"Secret: {shown}" if shown else "",
        remediation=values.HARD_CODED_CREDENTIALS_FIX,
        references=(link,) if link else (),
        tags=tuple(tags),
        fingerprint=grouping.fingerprint("gitleaks", rule_id, path, line, secret_hash),
    )


PARSER = GitleaksParser()
