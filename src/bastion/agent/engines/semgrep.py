"""Semgrep with Bastion's own rules (``rules/<language>/``), run by its engine, ``semgrep-core``.

The engine is run directly, not through Semgrep's command line: only the engine's own output
carries the data-flow trace of a taint finding (the command line keeps it for logged-in users),
and a native binary starts in milliseconds where the command line's Python wrapper takes most of
a second. The engine reads one rules file: a language's rule files are merged into one JSON
document once per process and written into each workspace. Python code first goes through the
pre-pass (``prepass``), which folds constants, drops what cannot be reached, resolves literal
container reads and marks validation guards; the pre-pass keeps every line where it was.

A repository is scanned with one engine run per rules directory (``scan_targets``): the engine
reads a targets file naming every file and its language, instead of being started once a file.
"""

from __future__ import annotations

import asyncio
import functools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import yaml

from bastion.agent.engines import prepass
from bastion.agent.engines.base import Workspace, write_private
from bastion.agent.engines.runner import installation, run_limited
from bastion.agent.exceptions import EngineFailed
from bastion.agent.knowledge.cwe import GENERIC_FIX
from bastion.agent.redaction import redact
from bastion.config import get_settings
from bastion.contracts.analysis import (
    MAX_TRACE_CODE,
    MAX_TRACE_STEPS,
    Confidence,
    Language,
    Source,
    TraceStep,
    Vulnerability,
)
from bastion.contracts.finding import Severity

NAME = "semgrep"
LANGUAGES = frozenset({"python", "javascript", "typescript", "java", "go"})
RULES = Path(__file__).parent / "rules"
RULE_DIRECTORIES: dict[str, str] = {
    "python": "python",
    "javascript": "javascript",
    "typescript": "javascript",
    "java": "java",
    "go": "go",
}
SEVERITIES = {"ERROR": Severity.HIGH, "WARNING": Severity.MEDIUM, "INFO": Severity.LOW}
CONFIDENCES = {"HIGH": Confidence.HIGH, "MEDIUM": Confidence.MEDIUM, "LOW": Confidence.LOW}
# Beside code/ and home/ in the workspace: the merged rules and the pre-pass's copy of the code.
RULES_FILE = Path("semgrep-rules") / "rules.json"
PREPARED = "prepared"


def rules_for(language: Language) -> Path:
    """Return the directory of rules for a language."""
    return RULES / RULE_DIRECTORIES[language]


def core_binary() -> Path:
    """Return ``semgrep-core`` from Semgrep's virtual environment (the one ``make install`` builds)."""
    environment = get_settings().resolved_semgrep_bin.parent.parent
    for candidate in sorted(environment.glob("lib/python3*/site-packages/semgrep/bin/semgrep-core")):
        return candidate
    raise EngineFailed("semgrep is not installed (run `make install`)")


@functools.cache
def merged_rules(directory: str) -> tuple[bytes, dict[str, dict[str, Any]]]:
    """Return a rules directory as one JSON document for the engine, and each rule's metadata by id."""
    rules: list[dict[str, Any]] = []
    for path in sorted((RULES / directory).glob("*.yaml")):
        rules.extend(yaml.safe_load(path.read_text(encoding="utf-8"))["rules"])
    metadata = {str(rule["id"]): {**rule.get("metadata", {}), "message": rule["message"]} for rule in rules}
    return orjson.dumps({"rules": rules}), metadata


async def scan(workspace: Workspace, *, time_limit: float, memory_mb: int) -> list[Vulnerability]:
    """Run the engine with the language's rules on the workspace's file and map its results."""
    binary = core_binary()
    rules, metadata = merged_rules(RULE_DIRECTORIES[workspace.language])
    rules_file = workspace.directory / RULES_FILE
    rules_file.parent.mkdir(mode=0o700)
    write_private(rules_file, rules)
    target = workspace.path
    source = workspace.path.read_text(encoding="utf-8")
    if workspace.language == "python":
        prepared = prepass.prepare(source)
        if prepared != source:
            (workspace.directory / PREPARED).mkdir(mode=0o700)
            target = workspace.directory / PREPARED / workspace.file_name
            write_private(target, prepared.encode("utf-8"))
    report = await _run(
        binary,
        ["-rules", str(rules_file), "-lang", workspace.language, "-json",
         "-timeout", str(max(1, int(time_limit) - 1)), "-max_memory", str(memory_mb), str(target)],
        workspace=workspace,
        time_limit=time_limit,
    )  # fmt: skip
    results = _kept(report)
    fatal = _fatal(report)
    if fatal and not results:
        raise EngineFailed(f"semgrep failed: {redact(str(fatal[0].get('message', 'unknown error')))[:200]}")
    lines = source.splitlines()
    return [_vulnerability(result, metadata.get(str(result["check_id"]), {}), lines) for result in results]


@dataclass(frozen=True)
class Target:
    """One file of a multi-file run: the copy the engine reads, the file as written, its language.

    ``scanned`` is the pre-passed copy of a Python file (or the file itself): the pre-pass keeps
    every line where it was, so the engine's line numbers are the original's, whose lines the
    results quote.
    """

    scanned: Path
    original: Path
    language: Language


@dataclass(frozen=True)
class TargetsReport:
    """What one multi-file run found, by original file, and the files the engine gave up on."""

    found: dict[Path, list[Vulnerability]]
    errors: list[str]


async def scan_targets(
    workspace: Workspace, targets: Sequence[Target], *, time_limit: float, memory_mb: int, jobs: int = 1
) -> TargetsReport:
    """Run the engine once over many files that share a rules directory and map results to each file.

    The files must all be inside the workspace. Files the engine could not parse are left out of
    ``errors`` (a syntax error is not a failed scan); a file it gave up on (a timeout, memory)
    is named there so that the caller can say which results may be missing.
    """
    directories = {RULE_DIRECTORIES[target.language] for target in targets}
    if len(directories) != 1:
        raise ValueError(f"one run takes one rules directory, not {sorted(directories)}")
    (directory,) = directories
    binary = core_binary()
    rules, metadata = merged_rules(directory)
    rules_file = workspace.directory / RULES_FILE.parent / f"{directory}.json"
    rules_file.parent.mkdir(mode=0o700, exist_ok=True)
    write_private(rules_file, rules)
    originals = {str(target.scanned): target.original for target in targets}
    targets_file = workspace.directory / RULES_FILE.parent / f"{directory}-targets.json"
    write_private(targets_file, _targets_document(targets))
    report = await _run(
        binary,
        ["-rules", str(rules_file), "-targets", str(targets_file), "-json", "-j", str(max(1, jobs)),
         "-timeout", str(max(1, min(30, int(time_limit) - 1))), "-max_memory", str(memory_mb)],
        workspace=workspace,
        time_limit=time_limit,
    )  # fmt: skip
    by_file: dict[Path, list[dict[str, Any]]] = defaultdict(list)
    for result in _kept(report):
        original = originals.get(str(result.get("path")))
        if original is None:
            raise EngineFailed("semgrep reported a file it was not given")
        by_file[original].append(result)
    found = await asyncio.to_thread(_found, by_file, metadata)
    errors = []
    for error in _fatal(report):
        path = originals.get(str(error.get("path") or (error.get("location") or {}).get("path")))
        where = f"{path}: " if path is not None else ""
        errors.append(f"{where}{redact(str(error.get('message', 'unknown error')))[:200]}")
    return TargetsReport(found=found, errors=errors)


def _found(
    by_file: dict[Path, list[dict[str, Any]]], metadata: dict[str, dict[str, Any]]
) -> dict[Path, list[Vulnerability]]:
    """Map each file's results, quoting its lines as written (not as pre-passed)."""
    found = {}
    for original, results in by_file.items():
        lines = original.read_text(encoding="utf-8").splitlines()
        found[original] = [
            _vulnerability(result, metadata.get(str(result["check_id"]), {}), lines) for result in results
        ]
    return found


def _targets_document(targets: Sequence[Target]) -> bytes:
    """Return the engine's targets file: each file with the language it is parsed as (SAST only)."""
    return orjson.dumps(
        [
            "Targets",
            [
                [
                    "CodeTarget",
                    {
                        "path": {"fpath": str(target.scanned), "ppath": str(target.scanned)},
                        "analyzer": target.language,
                        "products": ["sast"],
                    },
                ]
                for target in targets
            ],
        ]
    )


async def _run(
    binary: Path, arguments: list[str], *, workspace: Workspace, time_limit: float
) -> dict[str, Any]:
    """Run the engine in the sandbox and return its JSON report."""
    completed = await run_limited(
        [str(binary), *arguments],
        name=NAME,
        workspace=workspace,
        time_limit=time_limit,
        memory_mb=0,  # the OCaml runtime reserves address space up front: the engine's own limit applies
        expose=installation(str(binary)),
    )
    try:
        # The engine writes a progress dot (one per file) before its JSON.
        report = orjson.loads(completed.stdout[completed.stdout.find(b"{") :])
    except orjson.JSONDecodeError as error:
        lines = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = f": {redact(lines[-1])[:200]}" if lines else ""
        raise EngineFailed(f"semgrep failed (exit {completed.returncode}){reason}") from error
    if not isinstance(report, dict):
        raise EngineFailed("semgrep wrote a report that is not a JSON object")
    return report


def _kept(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the results the code does not mark as ignored (``nosemgrep``)."""
    return [result for result in report.get("results", []) if not result.get("extra", {}).get("is_ignored")]


def _fatal(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the engine's errors other than a file it could not parse."""
    return [
        e
        for e in report.get("errors", [])
        if e.get("severity") == "error"
        and "Syntax" not in e.get("error_type", "")
        and "Parse" not in e.get("error_type", "")
    ]


def _vulnerability(result: dict[str, Any], metadata: dict[str, Any], lines: list[str]) -> Vulnerability:
    extra = result.get("extra", {})
    cwes = metadata.get("cwe") or []
    cwe = str(cwes[0] if isinstance(cwes, list) and cwes else cwes).split(":", 1)[0] or None
    trace = _trace(extra.get("dataflow_trace"), int(result["start"]["line"]))
    # A rule's message may quote what it matched ($VALUE): redacted before anything else.
    message = redact(" ".join(str(extra.get("message") or metadata.get("message", "")).split()))
    title = redact(str(metadata.get("title") or message[:80]))
    if trace:
        message = f"{_flow_sentence(trace, lines)} {message}"
    return Vulnerability(
        rule_id=str(result["check_id"]),
        title=title,
        severity=SEVERITIES.get(extra.get("severity", ""), Severity.MEDIUM),
        cwe=cwe,
        line_start=int(result["start"]["line"]),
        line_end=int(result["end"]["line"]),
        message=message,
        fix=str(metadata.get("fix") or GENERIC_FIX),
        source=Source.SEMGREP,
        confidence=CONFIDENCES.get(str(metadata.get("confidence", "")).upper(), Confidence.MEDIUM),
        trace=trace,
    )


def _trace(value: Any, sink_line: int) -> list[TraceStep]:
    """Return the engine's data-flow trace as steps: source, the variables it went through, sink."""
    if not isinstance(value, dict):
        return []
    steps = list(_steps("source", value.get("taint_source")))
    for variable in value.get("intermediate_vars") or []:
        if isinstance(variable, dict):
            steps.extend(_steps("step", [variable.get("location"), variable.get("content")]))
    steps.extend(_steps("sink", value.get("taint_sink")))
    if not steps:
        return []
    if steps[-1].kind != "sink":
        steps.append(TraceStep(kind="sink", line=sink_line, code=""))
    deduplicated = [step for index, step in enumerate(steps) if index == 0 or step != steps[index - 1]]
    if len(deduplicated) > MAX_TRACE_STEPS:
        deduplicated = deduplicated[: MAX_TRACE_STEPS - 1] + deduplicated[-1:]
    return deduplicated


def _steps(kind: str, part: Any) -> Iterator[TraceStep]:
    """Yield the located points of one trace part: ``["CliLoc", [loc, text]]``, ``["CliCall", …]`` or
    ``[loc, text]``; a call (through a helper function) yields the call site, then the helper's steps."""
    if not isinstance(part, list) or not part:
        return
    if part[0] == "CliLoc" and len(part) == 2:
        yield from _steps(kind, part[1])
    elif part[0] == "CliCall" and len(part) == 2 and isinstance(part[1], list) and len(part[1]) == 3:
        call, variables, inner = part[1]
        yield from _steps(kind, call)
        for variable in variables or []:
            if isinstance(variable, dict):
                yield from _steps("step", [variable.get("location"), variable.get("content")])
        yield from _steps(kind, inner)
    elif len(part) == 2 and isinstance(part[0], dict) and isinstance(part[0].get("start"), dict):
        line = part[0]["start"].get("line")
        if isinstance(line, int) and line >= 1:
            code = redact(" ".join(str(part[1] or "").split()))[:MAX_TRACE_CODE]
            yield TraceStep(kind=kind, line=line, code=code)  # type: ignore[arg-type]


def _flow_sentence(trace: list[TraceStep], lines: list[str]) -> str:
    """Say the flow in one sentence: "User input from `x` (line 3) reaches `…` at line 5 unsanitised."."""
    source, sink = trace[0], trace[-1]
    statement = lines[sink.line - 1].strip() if 0 < sink.line <= len(lines) else sink.code
    statement = redact(statement)
    if len(statement) > 80:
        statement = statement[:77] + "…"
    return (
        f"User input from `{source.code}` (line {source.line}) reaches `{statement}` "
        f"at line {sink.line} unsanitised."
    )
