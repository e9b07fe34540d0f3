"""kube-bench JSON (``kube-bench run --json``): CIS Kubernetes Benchmark results.

Variants, told apart by the start of the document:

* before v0.4 (and ``--json`` of one target): a top-level array of controls
  (``id``, ``version``, ``text``, ``node_type``, ``tests``);
* from v0.4: an object whose ``Controls`` array holds them, with ``Totals`` after.

Each control's ``tests`` are groups (``section``, ``desc``) whose ``results`` are
the checks. Groups are streamed one at a time (a group holds a few dozen checks at
most); the control's fields, written before its tests (Go writes struct fields in
order), are read where they stand.

What becomes a finding, as DefectDojo reads kube-bench: a check whose ``status``
is ``FAIL``, and one that is ``WARN`` unless kube-bench says it is a manual test
(``reason`` "Test marked as a manual test": nothing was checked). ``PASS`` and
``INFO`` are not findings.

Severity: kube-bench has none; a failed check is medium, a warning info.

Fingerprint: the benchmark version of the control (``cis-1.6``, or the ``version``
field), the node type (``master``, ``node``, ``etcd``, ``policies``), and the check
number (``4.2.11``) — numbers are only unique within one benchmark version and node
type. kube-bench does not name the node in the report: import one report per node
into its own asset.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "kubebench"
MANUAL_TEST = "test marked as a manual test"
CONTROL_FIELDS = ("id", "version", "text", "node_type")
GROUP_FIELDS = ("section", "desc")


class KubeBenchParser(ReportParser):
    """kube-bench's JSON report, an array of controls or ``{"Controls": [...]}``."""

    name = "kubebench"
    label = "kube-bench JSON"
    defectdojo_scan_types = ("kube-bench Scan",)

    def detect(self, head: bytes) -> int:
        text = readers.head_text(head)
        if not text.startswith(("{", "[")):
            return 0
        if '"test_number"' in text and '"test_desc"' in text:
            return 95
        if '"node_type"' in text and '"tests"' in text and '"total_fail"' in text:
            return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        first, source = readers.first_byte(stream)
        if first not in (b"[", b"{", b""):
            raise MalformedReport("expected an object or an array of controls", position="top level")
        base = "item" if first == b"[" else "Controls.item"
        controls = base.removesuffix(".item") if base != "item" else ""
        reader = readers.JsonReader(
            source,
            [f"{base}.tests.item"],
            context=[f"{base}.{field}" for field in CONTROL_FIELDS],
            required=[controls] if controls else [],
        )
        for record in reader:
            group = readers.expect_mapping(record.value, record.position)
            context = {**record.context, **{field: group.get(field) for field in GROUP_FIELDS}}
            checks = group.get("results")
            if checks is None:
                continue
            for index, check in enumerate(readers.expect_list(checks, f"{record.position}.results")):
                finding = _finding(
                    readers.expect_mapping(check, f"{record.position}.results[{index}]"), context
                )
                if finding is not None:
                    yield finding


def _finding(check: Mapping[str, Any], context: Mapping[str, Any]) -> NormalizedFinding | None:
    status = str(check.get("status") or "").upper()
    reason = values.text(check.get("reason"))
    if status == "FAIL":
        severity = Severity.MEDIUM
    elif status == "WARN" and (reason or "").lower() != MANUAL_TEST:
        severity = Severity.INFO
    else:
        return None
    number = values.text(check.get("test_number"))
    description = values.text(check.get("test_desc"))
    node_type = values.text(context.get("node_type"))
    version = values.text(context.get("version"))
    control = " ".join(
        part for part in (values.text(context.get("id")), values.text(context.get("text"))) if part
    )
    group = " ".join(
        part for part in (values.text(context.get("section")), values.text(context.get("desc"))) if part
    )
    facts = [
        ("Control", control),
        ("Section", group),
        ("Audit", values.text(check.get("audit"))),
        ("Audit config", values.text(check.get("AuditConfig"))),
        ("Reason", reason),
    ]
    evidence = [
        ("Expected result", values.text(check.get("expected_result"))),
        ("Actual value", values.text(check.get("actual_value"))),
    ]
    return NormalizedFinding(
        title=text.title(
            " - ".join(part for part in (number, description) if part), fallback="kube-bench check"
        ),
        severity=severity,
        tool=TOOL,
        rule_id=number,
        description=text.clip("\n".join(f"{label}: {value}" for label, value in facts if value)),
        evidence=text.clip("\n".join(f"{label}: {value}" for label, value in evidence if value)),
        remediation=text.clip(check.get("remediation")),
        tags=tuple(
            tag
            for tag in (
                f"status:{status.lower()}",
                f"node_type:{node_type}" if node_type else "",
                f"benchmark:{version}" if version else "",
                "scored" if check.get("scored") is True else "",
            )
            if tag
        ),
        fingerprint=grouping.fingerprint(TOOL, version, node_type, number or description),
    )


PARSER = KubeBenchParser()
