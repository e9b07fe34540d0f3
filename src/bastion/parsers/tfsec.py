"""tfsec JSON (``tfsec --format json``): a ``results`` array of failed checks.

Variants read:

* legacy (before 0.40): ``rule_id`` such as ``AWS050`` or ``GEN003``, one ``link``
  sentence ("See https://... for more information."), severities ``ERROR``,
  ``WARNING`` and ``INFO``, sometimes ``rule_description``, ``passed``;
* 0.40 to 0.63: ``rule_id`` a long name (``aws-vpc-no-excessive-port-access``) with
  ``legacy_rule_id``, ``links``, ``status`` ``"failed"``/``"passed"``, severities
  ``CRITICAL`` to ``LOW``;
* 1.x: ``rule_id`` an AVD id (``AVD-AWS-0107``) with ``long_id``, ``rule_service``,
  ``resource``, ``warning`` and ``status`` a number (0 failed, 1 passed, 2 ignored).

With no findings tfsec writes ``{"results": null}`` (Go's nil slice): that, or an
empty array, is claimed weakly by detection, and is a report without findings.
Passed and ignored checks (``--include-passed``, ``--include-ignored``) are not
findings and are skipped.

A finding is a failed check at a file and lines; the resource (1.x) is the
component. Severity: tfsec's word; ``ERROR`` is high, ``WARNING`` medium; a
missing or unknown word is low (as DefectDojo rates it).

Grouping: a module used several times makes tfsec report one check at the same
file and lines once per module instance; as in DefectDojo, the records of one rule
at one file and line range are one finding, the other instances (resources, or the
descriptions that name them) listed in its evidence.

Fingerprint: rule id, file and the resource (else the description, which names
it) — not the lines, which move; the same resource flagged by one rule at several
places of a file is numbered in report order (see ``RepeatCounter``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "tfsec"
_NO_RESULTS = re.compile(r'^\{\s*"results"\s*:\s*(?:null|\[\s*\])\s*\}\s*$')
# Statuses of a check that is not a finding: 0.4x-0.6x words, 1.x numbers (defsec's scan.Status).
_NOT_FAILED = frozenset({"passed", "ignored", "1", "2"})


class TfsecParser(ReportParser):
    """tfsec's JSON report, legacy, 0.x and 1.x."""

    name = "tfsec"
    label = "tfsec JSON"
    defectdojo_scan_types = ("TFSec Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{") or '"results"' not in text:
            return 0
        if '"rule_id"' in text and '"location"' in text and '"filename"' in text:
            if any(key in text for key in ('"rule_provider"', '"rule_description"', '"link"', '"links"')):
                return 90
            return 60
        return 20 if _NO_RESULTS.match(text) else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        groups = grouping.FindingGroups()
        repeats = grouping.RepeatCounter()
        for position, item in readers.iter_json(stream, "results.item", required=True):
            result = readers.expect_mapping(item, position)
            if _is_not_failed(result):
                continue
            finding, key, instance = _finding(result, position, repeats)
            groups.add(key, finding, instance)
        yield from groups.findings()


def _is_not_failed(result: Mapping[str, Any]) -> bool:
    if result.get("passed") is True:
        return True
    status = result.get("status")
    return status is not None and not isinstance(status, bool) and str(status).strip().lower() in _NOT_FAILED


def _finding(
    result: Mapping[str, Any], position: str, repeats: grouping.RepeatCounter
) -> tuple[NormalizedFinding, tuple[str, str | None, int | None, int | None], str]:
    rule_id = values.text(result.get("rule_id"))
    if not rule_id:
        raise MalformedReport("a result has no rule_id", position=position)
    location = readers.expect_mapping(result.get("location") or {}, f"{position}.location")
    path = values.text(location.get("filename"))
    start = values.line_number(location.get("start_line"))
    end = values.line_number(location.get("end_line"))
    resource = values.text(result.get("resource"))
    description = values.text(result.get("description")) or ""
    anchor = resource or description
    number = repeats.number(grouping.fingerprint(rule_id, path, anchor), start)
    long_id = values.text(result.get("long_id"))
    legacy_id = values.text(result.get("legacy_rule_id"))
    links = result.get("links")
    references = (
        [str(link) for link in readers.expect_list(links, f"{position}.links") if link]
        if links is not None
        else text.urls(str(result.get("link") or ""))
    )
    impact = values.text(result.get("impact"))
    provider = values.text(result.get("rule_provider"))
    service = values.text(result.get("rule_service"))
    finding = NormalizedFinding(
        title=text.title(values.text(result.get("rule_description")) or description or rule_id),
        severity=values.severity_from_word(result.get("severity"), Severity.LOW),
        tool=TOOL,
        rule_id=text.clip(rule_id, 500),
        description=text.clip(
            "\n\n".join(part for part in (description, f"Impact: {impact}" if impact else "") if part)
        ),
        location=FindingLocation(
            file_path=path,
            line_start=start,
            line_end=end if end is not None and start is not None and end >= start else start,
            component=resource,
        ),
        evidence=text.clip(resource or description),
        remediation=text.clip(result.get("resolution") or ""),
        references=tuple(dict.fromkeys(references)),
        tags=tuple(
            filter(
                None,
                [
                    f"provider:{provider}" if provider else "",
                    f"service:{service}" if service else "",
                    f"long_id:{long_id}" if long_id else "",
                    f"legacy_id:{legacy_id}" if legacy_id else "",
                    "warning" if result.get("warning") is True else "",
                ],
            )
        ),
        fingerprint=grouping.fingerprint(TOOL, rule_id, path, anchor, *((number,) if number else ())),
    )
    return finding, (rule_id, path, start, end), resource or description or position


PARSER = TfsecParser()
