"""Scout Suite results (``scoutsuite-report/scoutsuite-results/scoutsuite_results_*.js``).

Scout Suite writes its results as JavaScript for its HTML report: the line
``scoutsuite_results =`` then one JSON object. Read variants: that file, and the
same object as plain JSON (``--result-format json``), for every provider (AWS,
Azure, GCP, Alibaba, Oracle, Kubernetes: ``provider_code``).

What becomes a finding, as DefectDojo reads Scout Suite: each flagged item of each
rule, that is each entry of ``services.<service>.findings.<rule>.items`` — an item
is the path of the flagged resource or attribute in the results
(``ec2.regions.eu-west-1.vpcs.vpc-1.security_groups.sg-2.rules.ingress...``). A
rule with no items found nothing. The rules are streamed one at a time, out of
``services``; the resources the items point into are not read (a service's
resources can be far larger than its rules).

The account id, provider and Scout Suite version come before ``services``
(Scout Suite sorts the keys); they are read where they stand.

Severity: the rule's ``level``, as DefectDojo maps it: ``danger`` critical,
``warning`` medium, anything else info. Every finding carries CWE-1032 (security
configuration weaknesses), as DefectDojo gives them.

Rule id: ``<provider>:<rule>`` (``aws:cloudtrail-not-configured``). The finding's
component is the flagged resource: the item's path cut to the rule's
``display_path`` (or ``path``) depth.

Fingerprint: provider, account, rule and the item's path — never dates or counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

import ijson

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping, readers, text, values
from bastion.parsers.base import ReportParser
from bastion.parsers.exceptions import MalformedReport

TOOL = "scout_suite"
# The assignment that opens the .js results file, before its JSON object.
JS_PREFIX = re.compile(rb"^\s*(?:var\s+)?scoutsuite_results\s*=\s*")
# How much of the start is searched for the assignment.
PREFIX_SEARCH_BYTES = 1024
LEVELS = {"danger": Severity.CRITICAL, "warning": Severity.MEDIUM}
# CWE-1032, OWASP Top Ten 2017 A6 Security Misconfiguration: DefectDojo's CWE for every Scout Suite rule.
SECURITY_MISCONFIGURATION = 1032
_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})


class ScoutSuiteParser(ReportParser):
    """Scout Suite's results, as its .js file or as JSON."""

    name = "scout_suite"
    label = "Scout Suite results"
    defectdojo_scan_types = ("Scout Suite Scan",)

    def detect(self, head: bytes) -> int:
        if JS_PREFIX.match(head.removeprefix(b"\xef\xbb\xbf")):
            return 100
        text = readers.head_text(head)
        if text.startswith("{") and '"ruleset_name"' in text and '"provider_code"' in text:
            return 90
        return 0

    def parse(self, stream: BinaryIO) -> Iterator[NormalizedFinding]:
        with readers.seekable(stream) as source:
            _skip_prefix(source)
            with readers.depth_checked(source) as checked:
                yield from _findings(checked)


def _skip_prefix(source: BinaryIO) -> None:
    """Put the stream at the JSON object: after ``scoutsuite_results =``, or at the start."""
    start = source.tell()
    head = source.read(PREFIX_SEARCH_BYTES)
    body = head.removeprefix(b"\xef\xbb\xbf")
    skipped = len(head) - len(body)
    found = JS_PREFIX.match(body)
    if found:
        source.seek(start + skipped + found.end())
        return
    if not body.strip():
        raise MalformedReport(readers.EMPTY_REPORT)
    if not body.lstrip().startswith(b"{"):
        raise MalformedReport(
            "expected Scout Suite results: 'scoutsuite_results =' and a JSON object", position="top level"
        )
    source.seek(start + skipped)


def _findings(source: BinaryIO) -> Iterator[NormalizedFinding]:
    """Walk the document's events, building each ``services.<service>.findings.<rule>`` object."""
    path: list[str | None] = []
    run: dict[str, Any] = {}
    builder: Any = None
    depth = 0
    has_services = False
    where = "top level"
    try:
        for _prefix, event, value in ijson.parse(source, use_float=True):
            if builder is not None:
                builder.event(event, value)
                depth += 1 if event in _OPEN else -1 if event in _CLOSE else 0
                if depth == 0:
                    service, rule = str(path[1]), str(path[3])
                    rule_position = f"services[{service}].findings[{rule}]"
                    yield from _rule_findings(
                        readers.expect_mapping(builder.value, rule_position), service, rule, run
                    )
                    builder = None
                continue
            if event == "map_key":
                path[-1] = value
                continue
            if event in _CLOSE:
                path.pop()
                continue
            if len(path) == 1 and path[0] in ("account_id", "provider_code"):
                run[str(path[0])] = value
            elif len(path) == 2 and path[0] == "last_run" and path[1] == "version":
                run["version"] = value
            elif path == ["services"]:
                has_services = True
            if event in _OPEN:
                if len(path) == 4 and path[0] == "services" and path[2] == "findings":
                    where = f"services[{path[1]}].findings[{path[3]}]"
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
                    depth = 1
                    continue
                path.append(None if event == "start_map" else "item")
    except (ijson.JSONError, ValueError) as error:
        detail = error.args[0] if error.args else error
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        lines = str(detail).strip().splitlines()
        raise MalformedReport(f"invalid JSON: {lines[0] if lines else ''}", position=where) from error
    if not has_services:
        raise readers.not_a_report("services")


def _rule_findings(
    rule: Mapping[str, Any], service: str, rule_name: str, run: Mapping[str, Any]
) -> Iterator[NormalizedFinding]:
    """Yield one finding per item the rule flagged."""
    position = f"services[{service}].findings[{rule_name}]"
    items = readers.expect_list(rule.get("items"), f"{position}.items")
    if not items:
        return
    provider = values.text(run.get("provider_code"))
    account = values.text(run.get("account_id"))
    rule_id = f"{provider}:{rule_name}" if provider else rule_name
    depth = len(str(rule.get("display_path") or rule.get("path") or "").split("."))
    references = [
        str(url) for url in readers.expect_list(rule.get("references"), f"{position}.references") if url
    ]
    compliance = [
        readers.as_mapping(entry)
        for entry in readers.expect_list(rule.get("compliance"), f"{position}.compliance")
    ]
    description = [
        str(rule.get("rationale") or ""),
        f"Service: {rule.get('service') or service}",
        f"Account: {account}" if account else "",
        "Compliance: " + "; ".join(_compliance(entry) for entry in compliance) if compliance else "",
    ]
    for item in items:
        item_path = str(item)
        segments = item_path.split(".")
        resource = ".".join(segments[:depth]) if 1 < depth < len(segments) else item_path
        yield NormalizedFinding(
            title=text.title(text.html_text(str(rule.get("description") or "")), fallback=rule_name),
            severity=LEVELS.get(str(rule.get("level") or "").lower(), Severity.INFO),
            tool=TOOL,
            tool_version=values.text(run.get("version")),
            rule_id=rule_id,
            description=text.clip("\n".join(part for part in description if part)),
            cwe_ids=(SECURITY_MISCONFIGURATION,),
            location=FindingLocation(component=text.clip(resource, 1000)),
            evidence=text.clip(f"Flagged: {item_path}"),
            remediation=text.clip(rule.get("remediation")),
            references=tuple(dict.fromkeys(references)),
            tags=tuple(
                tag
                for tag in (
                    f"service:{service}",
                    f"provider:{provider}" if provider else "",
                    f"dashboard:{rule['dashboard_name']}" if rule.get("dashboard_name") else "",
                )
                if tag
            ),
            fingerprint=grouping.fingerprint(TOOL, provider, account, rule_name, item_path),
        )


def _compliance(entry: Mapping[str, Any]) -> str:
    """Return ``CIS Amazon Web Services Foundations 1.2.0 4.3``."""
    return " ".join(str(entry[key]) for key in ("name", "version", "reference") if entry.get(key))


PARSER = ScoutSuiteParser()
