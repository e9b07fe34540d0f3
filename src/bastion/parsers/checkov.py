"""Checkov JSON (``checkov -o json``): one report object, or an array of them when
several frameworks ran (terraform, dockerfile, kubernetes, sca_package, ...).

Only ``results.failed_checks`` become findings; passed and skipped checks do not.
A single report's failed checks are streamed; in an array, each framework's report
is read whole (one record) and its failed checks taken in order: memory follows the
largest framework's report. ``summary.checkov_version`` comes after the checks, so
the tool version is not read.

Severity: the check's ``severity`` word when the report has one (Checkov fills it
only when connected to the Prisma Cloud/Bridgecrew platform), else the CVE's
severity for package checks, else medium.

Fingerprint: check id (``CKV_AWS_161``), file path and resource
(``aws_db_instance.default``), plus the advisory id for package checks — not the
line range, which moves as the file is edited.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

import orjson

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser

# Code blocks up to this long (as JSON) have their text made once while they repeat,
# the last CACHED_CODE_BLOCKS of them kept: a few megabytes at most.
CACHED_CODE_BYTES = 16 * 1024
CACHED_CODE_BLOCKS = 128


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
        if first == b"[":  # one report per framework
            yield from _frameworks(source)
            return
        prefix = "results.failed_checks.item"
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


def _frameworks(stream: BinaryIO) -> Iterator[NormalizedFinding]:
    """Yield the failed checks of an array of framework reports, a whole report at a time."""
    has_checks = False
    for position, item in readers.iter_json(stream, "item", required=True):
        results = item.get("results") if isinstance(item, dict) else None
        if not isinstance(results, dict) or "failed_checks" not in results:
            continue  # not a framework's report (as when each check is streamed)
        has_checks = True
        where = f"{position}.results.failed_checks"
        for index, check in enumerate(readers.expect_list(results["failed_checks"], where)):
            yield _finding(readers.expect_mapping(check, f"{where}[{index}]"), f"{where}[{index}]")
    if not has_checks:
        raise readers.not_a_report("item.results.failed_checks")


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
    framework = _framework(str(check.get("check_class") or ""))
    description = [
        str(check.get("description") or check.get("short_description") or check.get("check_name") or ""),
        str(vulnerability.get("description") or ""),
        *(str(detail) for detail in readers.expect_list(check.get("details"), f"{position}.details")),
    ]
    guideline = check.get("guideline")
    category = check.get("bc_category")
    return NormalizedFinding(
        title=text.title(check.get("check_name") or check.get("short_description"), fallback=check_id),
        severity=_severity(check.get("severity"), vulnerability),
        tool="checkov",
        rule_id=check_id,
        description=text.clip("\n\n".join(part for part in description if part)),
        advisory_ids=values.advisory_ids([advisory]) if advisory else (),
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
        evidence=_evidence(check.get("code_block"), f"{position}.code_block"),
        remediation=text.clip(_remediation(guideline, vulnerability)),
        references=tuple(str(url) for url in (guideline, vulnerability.get("link")) if url),
        tags=tuple(
            tag
            for tag in (
                f"framework:{framework}" if framework else "",
                str(check.get("bc_check_id") or ""),
                f"category:{category}" if category else "",
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


@functools.lru_cache(maxsize=256)
def _framework(check_class: str) -> str:
    """Return the framework from the check's class (``checkov.terraform.checks...``)."""
    parts = check_class.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "checkov" else ""


def _fixed_version(vulnerability: Mapping[str, Any]) -> str | None:
    fixed = vulnerability.get("lowest_fixed_version") or vulnerability.get("fixed_version")
    return str(fixed) if fixed else None


def _remediation(guideline: object, vulnerability: Mapping[str, Any]) -> str:
    fixed = _fixed_version(vulnerability)
    if fixed and vulnerability.get("package_name"):
        return f"Upgrade {vulnerability['package_name']} to {fixed} or later."
    return f"See {guideline}" if guideline else ""


def _evidence(block: object, position: str) -> str:
    """Return the flagged code of a check (see _code_text)."""
    entries = readers.expect_list(block, position)
    if not entries:
        return ""
    try:
        key = orjson.dumps(entries)
    except orjson.JSONEncodeError:  # an integer past 64 bits, a lone surrogate
        return text.clip(_code(entries))
    # The JSON text stands for the entries exactly, but for null: orjson writes NaN and
    # the infinities as null too.
    if len(key) > CACHED_CODE_BYTES or b"null" in key:
        return text.clip(_code(entries))
    return _code_text(key)


# Checkov gives every check a resource fails the resource's code: the text of a block
# (made a line at a time, some 25 µs for 80 lines) is made once while it repeats.
@functools.lru_cache(maxsize=CACHED_CODE_BLOCKS)
def _code_text(block: bytes) -> str:
    """Return the text of a code block given as JSON."""
    return text.clip(_code(orjson.loads(block)))


def _code(entries: list[Any]) -> str:
    """Join Checkov's ``[[line number, text], ...]`` code block into the flagged code."""
    return "\n".join(
        f"{entry[0]}: {str(entry[1]).rstrip()}"
        for entry in entries
        if isinstance(entry, list) and len(entry) == 2
    )


PARSER = CheckovParser()
