"""Checkov JSON (``checkov -o json``): one report object, or an array of them when
several frameworks ran (terraform, dockerfile, kubernetes, sca_package, ...).

Only ``results.failed_checks`` become findings; passed and skipped checks do not.
The failed checks are streamed. ``summary.checkov_version`` comes after them, so
the tool version is not read.

Severity: the check's ``severity`` word when the report has one (Checkov fills it
only when connected to the Prisma Cloud/Bridgecrew platform), else the CVE's
severity for package checks, else medium.

Fingerprint: check id (``CKV_AWS_161``), file path and resource
(``aws_db_instance.default``), plus the advisory id for package checks — not the
line range, which moves as the file is edited.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser


class CheckovParser(ReportParser):
    """Checkov's JSON report, single or multi-framework."""

    name = "checkov"
    label = "Checkov JSON"
    defectdojo_scan_types = ("Checkov Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith(("{", "[")):
            return 0
        if '"check_type"' in text and '"results"' in text:
            return 90
        # A scan that found nothing to check prints only its summary.
        if '"checkov_version"' in text:
            return 85
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        prefix = "item.results.failed_checks.item" if first == b"[" else "results.failed_checks.item"
        if first == b"[":  # one report per framework
            for position, item in readers.iter_json(source, prefix, required=True):
                yield _finding(readers.expect_mapping(item, position), position)
            return
        with readers.seekable(source) as seekable:
            start = seekable.tell()
            count = 0
            for position, item in readers.iter_json(seekable, prefix):
                yield _finding(readers.expect_mapping(item, position), position)
                count += 1
            # A scan that found nothing to check writes only its summary: either names Checkov.
            if not count and not readers.read_values(
                seekable, ["check_type", "checkov_version"], start=start
            ):
                raise readers.not_a_report("check_type")


def _finding(check: Mapping[str, Any], position: str) -> NormalizedFinding:
    check_id = str(check["check_id"])
    path = str(check.get("file_path") or check.get("repo_file_path") or "") or None
    resource = str(check.get("resource") or "") or None
    lines = [
        values.as_int(n)
        for n in readers.expect_list(check.get("file_line_range"), f"{position}.file_line_range")
    ]
    known_lines = [n for n in lines if n is not None and n >= 0]
    details = check.get("vulnerability_details")
    vulnerability = readers.expect_mapping(details, f"{position}.vulnerability_details") if details else {}
    advisory = str(vulnerability.get("id") or "") or None
    vector, score = values.cvss3(str(vulnerability.get("vector") or "") or None)
    framework = _framework(check)
    description = [
        str(check.get("description") or check.get("short_description") or check.get("check_name") or ""),
        str(vulnerability.get("description") or ""),
        *(str(detail) for detail in readers.expect_list(check.get("details"), f"{position}.details")),
    ]
    return NormalizedFinding(
        title=text.title(check.get("check_name") or check.get("short_description"), fallback=check_id),
        severity=_severity(check.get("severity"), vulnerability),
        tool="checkov",
        rule_id=check_id,
        description=text.clip("\n\n".join(part for part in description if part)),
        advisory_ids=values.advisory_ids([advisory]),
        cvss_v3_vector=vector,
        cvss_v3_score=score,
        location=FindingLocation(
            file_path=path,
            line_start=min(known_lines) if known_lines else None,
            line_end=max(known_lines) if known_lines else None,
            package=str(vulnerability.get("package_name") or "") or None,
            package_version=str(vulnerability.get("package_version") or "") or None,
            fixed_version=_fixed_version(vulnerability),
            component=resource,
        ),
        evidence=text.clip(_code(check.get("code_block"), f"{position}.code_block")),
        remediation=text.clip(_remediation(check, vulnerability)),
        references=tuple(str(url) for url in (check.get("guideline"), vulnerability.get("link")) if url),
        tags=tuple(
            tag
            for tag in (
                f"framework:{framework}" if framework else "",
                str(check.get("bc_check_id") or ""),
                f"category:{check['bc_category']}" if check.get("bc_category") else "",
            )
            if tag
        ),
        fingerprint=grouping.fingerprint("checkov", check_id, path, resource, advisory),
    )


def _severity(word: object, vulnerability: Mapping[str, Any]) -> Severity:
    if word:
        return values.severity_from_word(word, default=Severity.MEDIUM)
    if vulnerability.get("severity"):
        return values.severity_from_word(vulnerability["severity"], default=Severity.MEDIUM)
    return Severity.MEDIUM


def _framework(check: Mapping[str, Any]) -> str:
    """Return the framework from the check's class (``checkov.terraform.checks...``)."""
    parts = str(check.get("check_class") or "").split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "checkov" else ""


def _fixed_version(vulnerability: Mapping[str, Any]) -> str | None:
    fixed = vulnerability.get("lowest_fixed_version") or vulnerability.get("fixed_version")
    return str(fixed) if fixed else None


def _remediation(check: Mapping[str, Any], vulnerability: Mapping[str, Any]) -> str:
    fixed = _fixed_version(vulnerability)
    if fixed and vulnerability.get("package_name"):
        return f"Upgrade {vulnerability['package_name']} to {fixed} or later."
    guideline = check.get("guideline")
    return f"See {guideline}" if guideline else ""


def _code(block: object, position: str) -> str:
    """Join Checkov's ``[[line number, text], ...]`` code block into the flagged code."""
    lines = []
    for entry in readers.expect_list(block, position):
        if isinstance(entry, list) and len(entry) == 2:
            lines.append(f"{entry[0]}: {str(entry[1]).rstrip()}")
    return "\n".join(lines)


PARSER = CheckovParser()
