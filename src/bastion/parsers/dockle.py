"""Dockle JSON (``dockle -f json <image>``).

One finding per entry of ``details``: a CIS Docker Benchmark or Dockle checkpoint the
image failed, its ``alerts`` (the files, users or settings at fault) as evidence.
Checkpoints at level ``IGNORE`` (silenced with ``--ignore`` or ``.dockleignore``),
``PASS`` and ``SKIP`` are not findings. Variants read: the report with and without the
``image`` key that later Dockle versions write first; ``details`` may be null when
nothing failed.

Severity, as DefectDojo maps Dockle's levels: ``FATAL`` high, ``WARN`` medium,
``INFO`` low; an unknown level medium.

Fingerprint: the checkpoint code and the image's repository (without its tag or
digest, which change on every build) when the report names it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "dockle"
LEVELS = {"FATAL": Severity.HIGH, "WARN": Severity.MEDIUM, "INFO": Severity.LOW}
NOT_FINDINGS = frozenset({"IGNORE", "PASS", "SKIP"})
# Dockle's codes: CIS-DI-0001, DKL-DI-0005, DKL-LI-0001...
CODE_PATTERN = re.compile(r'"code"\s*:\s*"(?:CIS|DKL)-[A-Z]{2}-\d{4}"')


class DockleParser(ReportParser):
    """Dockle's JSON report."""

    name = "dockle"
    label = "Dockle JSON"
    defectdojo_scan_types = ("Dockle Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith("{") or '"details"' not in text:
            return 0
        if CODE_PATTERN.search(text):
            return 95
        has_summary = all(marker in text for marker in ('"summary"', '"fatal"', '"warn"', '"pass"'))
        return 70 if has_summary else 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        reader = readers.JsonReader(stream, ["details.item"], context=["image"], required=["details"])
        for record in reader:
            detail = readers.expect_mapping(record.value, record.position)
            finding = _detail(detail, record.context, record.position)
            if finding is not None:
                yield finding


def _detail(detail: Mapping[str, Any], context: Mapping[str, Any], position: str) -> NormalizedFinding | None:
    code = str(detail.get("code") or "")
    if not code:
        raise MalformedReport("a checkpoint has no code", position=position)
    level = str(detail.get("level") or "").upper()
    if level in NOT_FINDINGS:
        return None
    heading = str(detail.get("title") or "")
    alerts = [str(alert) for alert in readers.expect_list(detail.get("alerts"), f"{position}.alerts")]
    image = str(context.get("image") or "") or None
    return NormalizedFinding(
        title=text.title(f"{code}: {heading}" if heading else code),
        severity=LEVELS.get(level, Severity.MEDIUM),
        tool=TOOL,
        rule_id=code,
        description=text.clip(heading),
        location=FindingLocation(component=image),
        evidence=text.clip("\n".join(alerts)),
        references=(f"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#{code.lower()}",),
        tags=tuple(filter(None, ["image-configuration", f"level:{level.lower()}" if level else ""])),
        fingerprint=grouping.fingerprint(TOOL, code, image_repository(image)),
    )


def image_repository(image: str | None) -> str | None:
    """Return an image reference without its tag or digest: what stays the same across builds."""
    if not image:
        return None
    name = image.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > slash else name


PARSER = DockleParser()
