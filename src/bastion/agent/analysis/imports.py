"""Import analysis results as an asset's findings, through the import pipeline (as SARIF 2.1.0)."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from bastion.contracts.analysis import AnalyzeRequest, Vulnerability
from bastion.contracts.finding import Severity
from bastion.contracts.principal import Principal

# SARIF's security-severity (a CVSS-like score) carries Bastion's severity through the parser.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "2.0",
    Severity.INFO: "0.0",
}
LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning"}
# SARIF's threadFlowLocation kinds for a trace's steps (the sink is where the danger is).
FLOW_KINDS = {"source": "taint", "step": "value", "sink": "danger"}


def sarif_report(request: AnalyzeRequest, file_name: str, vulnerabilities: list[Vulnerability]) -> bytes:
    """Write the results as a SARIF log; the fingerprint follows the code line, not its number."""
    lines = request.code.splitlines()
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for v in vulnerabilities:
        rules.setdefault(v.rule_id, sarif_rule(v))
        results.append(sarif_result(v, uri=file_name, path=file_name, lines=lines))
    return orjson.dumps(sarif_log("bastion-analyze", list(rules.values()), results))


def sarif_log(
    tool: str, rules: list[dict[str, Any]], results: list[dict[str, Any]], **run: Any
) -> dict[str, Any]:
    """Return a SARIF 2.1.0 log of one run of ``tool`` (``run`` adds to the run: its properties)."""
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": tool, "rules": rules}}, "results": results, **run}],
    }


def sarif_rule(v: Vulnerability) -> dict[str, Any]:
    """Describe a vulnerability's rule: its title, its fix, its CWE and severity."""
    return {
        "id": v.rule_id,
        "shortDescription": {"text": v.title},
        "help": {"text": v.fix},
        "properties": {
            "tags": [v.cwe] if v.cwe else [],
            "security-severity": SECURITY_SEVERITY[v.severity],
        },
    }


def sarif_result(
    v: Vulnerability, *, uri: str, path: str, lines: list[str], properties: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Describe one vulnerability at ``uri``; its fingerprint is the rule, ``path`` and the code line."""
    code_line = lines[v.line_start - 1].strip() if 0 < v.line_start <= len(lines) else ""
    anchor = hashlib.sha256(
        f"{v.rule_id}\0{path}\0{code_line}".encode("utf-8", "surrogateescape")
    ).hexdigest()[:32]
    return {
        "ruleId": v.rule_id,
        "level": LEVELS.get(v.severity, "note"),
        "message": {"text": v.message or v.title},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": v.line_start, "endLine": v.line_end},
                }
            }
        ],
        "partialFingerprints": {"bastionAnalysis/v1": anchor},
        **({"codeFlows": [_code_flow(v, uri)]} if v.trace else {}),
        "properties": {"security-severity": SECURITY_SEVERITY[v.severity], "source": v.source.value}
        | (properties or {}),
    }


def _code_flow(vulnerability: Vulnerability, file_name: str) -> dict[str, Any]:
    """Return a vulnerability's trace as a SARIF code flow: one thread, source first, sink last."""
    return {
        "threadFlows": [
            {
                "locations": [
                    {
                        "location": {
                            "physicalLocation": {
                                "artifactLocation": {"uri": file_name},
                                "region": {"startLine": step.line},
                            },
                            "message": {"text": f"{step.code} ({step.kind})" if step.code else step.kind},
                        },
                        "kinds": [FLOW_KINDS[step.kind]],
                    }
                    for step in vulnerability.trace
                ]
            }
        ]
    }


def queue_analysis_import(
    *,
    principal: Principal,
    asset_id: int,
    request: AnalyzeRequest,
    file_name: str,
    vulnerabilities: list[Vulnerability],
) -> str:
    """Queue the results as a partial import of the asset; return the import job's id."""
    from bastion.core.imports import intake
    from bastion.core.imports.choices import ImportSource
    from bastion.core.imports.options import ImportOptions
    from bastion.core.imports.upload import Upload

    report = sarif_report(request, file_name, vulnerabilities)
    job = intake.take_in(
        principal=principal,
        upload=Upload.spool(report, file_name=f"{file_name}.sarif", prefix="analysis-"),
        options=ImportOptions(asset_id=asset_id, format_name="sarif", tags=("code-analysis",)),
        source=ImportSource.ANALYSIS,
    )
    return str(job.pk)
