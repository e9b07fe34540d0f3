"""Analyse a whole repository with the agent's engines and write what they find as two SARIF logs.

    python -I -m bastion.agent.analysis.tree --source DIR --output-dir OUTDIR [--time-limit SECONDS]
        [--memory-mb MB] [--max-files N] [--max-file-bytes B]

The scanner's repository scans start this as a subprocess and import each log as a full import
of its tool, so each log is all or nothing: ``sast.sarif`` (tool ``bastion-sast``: Semgrep with
Bastion's rules and Bandit, reconciled as ``/analyze`` reconciles them) and ``secrets.sarif``
(tool ``bastion-secrets``: detect-secrets, with a hash and a masked prefix of each value, never
the value). A log is written only when every engine it needs finished: a missing log, never one
with an engine's results missing, is what a failure leaves (a full import of a log without, say,
Bandit's results would close every Bandit finding of the repository). The exit status is 0 when
both were written, 1 when an engine failed (the reason on stderr), 2 for a bad command line.

Speed comes from starting each engine once, not once a file: the tree is walked (never through
a symbolic link; dependency, build and virtual-environment directories skipped; binary and
oversized files skipped), its text files are copied into a private workspace, each Python file's
pre-passed copy is written beside it, and then Semgrep runs once per rules directory over every
file of those languages, Bandit once over every Python file and detect-secrets once over every
text file. Bandit and detect-secrets start at once; the pre-pass runs in a thread meanwhile.

The repository is data: its files are read, copied and given to the engines, which run through
the agent's sandbox (``runner.run_limited``) with the run's remaining time and the memory limit;
nothing of it is imported or executed, and this process reads nothing but the source directory.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import stat
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import orjson

from bastion.agent.analysis.imports import sarif_log, sarif_result, sarif_rule
from bastion.agent.analysis.reconcile import reconcile
from bastion.agent.analysis.service import merge
from bastion.agent.engines import bandit, prepass, secrets, semgrep
from bastion.agent.engines.base import EXTENSIONS, Workspace, write_private
from bastion.agent.exceptions import EngineFailed
from bastion.config import get_settings
from bastion.contracts.analysis import MAX_CODE_BYTES, EngineRun, Language, Vulnerability
from bastion.sandbox import sandbox_identity

__all__ = ["Limits", "TreeAnalysis", "analyze_tree", "collect", "main", "write_reports"]

SAST_TOOL = "bastion-sast"
SECRETS_TOOL = "bastion-secrets"
SAST_FILE = "sast.sarif"
SECRETS_FILE = "secrets.sarif"
# What the secrets log holds, whichever engine found it: hard-coded credentials, passwords, keys.
SECRET_CWES = frozenset({"CWE-798", "CWE-259", "CWE-321"})
# Dependencies, build output and virtual environments: not the repository's own code.
EXCLUDED_DIRECTORIES = frozenset({".git", "node_modules", "vendor", "venv", ".venv", "build", "dist"})
LANGUAGES: dict[str, Language] = {
    suffix: cast(Language, language) for language, suffixes in EXTENSIONS.items() for suffix in suffixes
}
DEFAULT_TIME_LIMIT = 900.0
DEFAULT_MAX_FILES = 10_000
DEFAULT_MAX_FILE_BYTES = MAX_CODE_BYTES
# A file is binary when this much of its start holds a NUL byte (or it is not UTF-8 at all).
BINARY_PROBE = 8192
# Semgrep's engine on one core: with two (semgrep-core 1.185, 392 Python files) it took more CPU
# time and longer overall (74 s against 56 s). Bandit and detect-secrets use the other core.
SEMGREP_JOBS = 1
EXIT_FAILED = 1


@dataclass(frozen=True)
class Limits:
    """How much one tree analysis may take: time for the whole run, memory per engine, files read."""

    time_limit: float = DEFAULT_TIME_LIMIT
    memory_mb: int = 1024
    max_files: int = DEFAULT_MAX_FILES
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES


@dataclass(frozen=True)
class SourceFile:
    """A text file of the tree: its path relative to the tree (``/``-separated) and its language."""

    relative: str
    language: Language | None


@dataclass
class Inventory:
    """What the walk kept, what it skipped and why, and whether it stopped at ``max_files``."""

    files: list[SourceFile] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    truncated: bool = False


@dataclass(frozen=True)
class TreeAnalysis:
    """The two SARIF logs, each None when an engine it needs failed, and the failures."""

    sast: bytes | None
    secrets: bytes | None
    errors: list[str]


@dataclass(frozen=True)
class _Entry:
    """One result to write: the file, the vulnerability, and what the result's properties add."""

    relative: str
    vulnerability: Vulnerability
    properties: dict[str, str] = field(default_factory=dict)


def collect(source: Path, code: Path, *, max_files: int, max_file_bytes: int) -> Inventory:
    """Walk the tree and copy each text file under ``code/`` at the same relative path.

    Symbolic links are never followed (not even to a directory inside the tree); FIFOs, devices
    and sockets are never opened. Entries are taken in name order, so ``max_files`` always keeps
    the same files of the same tree.
    """
    inventory = Inventory()
    made: set[Path] = {code}
    for parts, kind in _walk(source, inventory.skipped):
        if kind != "file":
            inventory.skipped[kind] += 1
            continue
        relative = "/".join(parts)
        if not _is_utf8(relative):  # the engines' reports are JSON: the name could not come back
            inventory.skipped["undecodable_name"] += 1
            continue
        path = source.joinpath(*parts)
        data, reason = _read(path, max_file_bytes)
        if data is None:
            inventory.skipped[reason] += 1
            continue
        if len(inventory.files) == max_files:
            inventory.truncated = True
            break
        _make_directories(code, parts[:-1], made)
        write_private(code.joinpath(*parts), data)
        inventory.files.append(SourceFile(relative, LANGUAGES.get(os.path.splitext(parts[-1])[1])))
    return inventory


def _walk(source: Path, skipped: Counter[str]) -> Iterator[tuple[tuple[str, ...], str]]:
    """Yield each entry under ``source`` as its path parts and its kind, depth first, in name order."""
    stack: list[tuple[str, ...]] = [()]
    while stack:
        parts = stack.pop()
        try:
            with os.scandir(source.joinpath(*parts)) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            skipped["unreadable_directory"] += 1
            continue
        directories = []
        for entry in entries:
            if entry.is_symlink():
                yield (*parts, entry.name), "symbolic_link"
            elif entry.is_dir(follow_symlinks=False):
                if entry.name in EXCLUDED_DIRECTORIES:
                    skipped["excluded_directory"] += 1
                else:
                    directories.append((*parts, entry.name))
            elif entry.is_file(follow_symlinks=False):
                yield (*parts, entry.name), "file"
            else:
                yield (*parts, entry.name), "special_file"
        stack.extend(reversed(directories))


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read(path: Path, max_file_bytes: int) -> tuple[bytes | None, str]:
    """Return a regular text file's bytes, or None and why it is skipped (without following a link)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None, "unreadable_file"
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):  # replaced by something else since the listing
            return None, "special_file"
        if status.st_size > max_file_bytes:
            return None, "too_large"
        data = handle.read(max_file_bytes + 1)
    if len(data) > max_file_bytes:
        return None, "too_large"
    if b"\0" in data[:BINARY_PROBE]:
        return None, "binary"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None, "binary"
    return data, ""


def _make_directories(root: Path, parts: Sequence[str], made: set[Path]) -> None:
    """Create the directories down to ``root/parts``, enterable by the engines' user only."""
    current = root
    for part in parts:
        current = current / part
        if current not in made:
            _private_directory(current)
            made.add(current)


def _private_directory(path: Path) -> None:
    """Create a directory for the engines: private, or readable through ``nobody``'s group as root."""
    path.mkdir(mode=0o700)
    if os.geteuid() == 0:
        _, gid = sandbox_identity()
        os.chown(path, 0, gid)
        path.chmod(0o750)


async def analyze_tree(source: Path, *, limits: Limits) -> TreeAnalysis:
    """Run the engines over the tree in a private workspace and return the two SARIF logs."""
    deadline = time.monotonic() + limits.time_limit
    with tempfile.TemporaryDirectory(prefix="bastion-tree-") as directory:
        workspace = Workspace(Path(directory), file_name="", language="python")
        _prepare_workspace(workspace)
        inventory = await asyncio.to_thread(
            collect, source, workspace.code, max_files=limits.max_files, max_file_bytes=limits.max_file_bytes
        )
        runs, found, found_secrets, unparsed = await _run_engines(
            workspace, inventory, deadline, limits.memory_mb
        )
        sast_runs = [run for run in runs if run.name != secrets.NAME]
        secrets_runs = [run for run in runs if run.name == secrets.NAME]
        notes = _notes(inventory, limits)
        sast_notes = list(notes)
        if unparsed:
            named = ", ".join(_uri(relative) for relative in unparsed[:20])
            sast_notes.append(f"Bandit could not parse {len(unparsed)} Python file(s): {named}")
        sast = secrets_log = None
        merged = {relative: merge(reconcile(found[relative], semgrep_ran=True)) for relative in sorted(found)}
        if not any(run.error for run in sast_runs):
            entries = [
                _Entry(relative, vulnerability)
                for relative, vulnerabilities in merged.items()
                for vulnerability in vulnerabilities
                if vulnerability.cwe not in SECRET_CWES
            ]
            analysed = sum(1 for file in inventory.files if file.language is not None)
            properties = _run_properties(inventory, analysed, sast_runs, sast_notes)
            sast = await asyncio.to_thread(_sarif_log, SAST_TOOL, entries, workspace.code, properties)
            # A hard-coded credential the rules find is a secret: it goes with detect-secrets' results.
            if not any(run.error for run in secrets_runs):
                properties = _run_properties(inventory, len(inventory.files), secrets_runs, notes)
                entries = _secret_entries(found_secrets, merged)
                secrets_log = await asyncio.to_thread(
                    _sarif_log, SECRETS_TOOL, entries, workspace.code, properties
                )
    errors = [f"{run.name}: {run.error}" for run in runs if run.error]
    return TreeAnalysis(sast=sast, secrets=secrets_log, errors=errors)


def _prepare_workspace(workspace: Workspace) -> None:
    """Create ``code/`` and ``home/``; as root, hand ``home/`` to the engines' user (see ``base``)."""
    _private_directory(workspace.code)
    workspace.home.mkdir(mode=0o700)
    if os.geteuid() == 0:
        uid, gid = sandbox_identity()
        os.chown(workspace.home, uid, gid)
        workspace.directory.chmod(0o711)  # entered, never listed


async def _run_engines(
    workspace: Workspace, inventory: Inventory, deadline: float, memory_mb: int
) -> tuple[list[EngineRun], dict[str, list[Vulnerability]], dict[str, list[secrets.Found]], list[str]]:
    """Start Bandit and detect-secrets, then Semgrep per rules directory (Python once pre-passed).

    Return each run, the vulnerabilities and the secrets by relative path, and the files Bandit
    could not parse.
    """
    code = workspace.code
    relative_of = {code.joinpath(*file.relative.split("/")): file.relative for file in inventory.files}
    languages = dict(zip(relative_of, (file.language for file in inventory.files), strict=True))
    python = [path for path, language in languages.items() if language == "python"]
    by_directory: dict[str, list[semgrep.Target]] = defaultdict(list)
    for path, language in languages.items():
        if language is not None and language != "python":
            target = semgrep.Target(scanned=path, original=path, language=language)
            by_directory[semgrep.RULE_DIRECTORIES[language]].append(target)
    runs: list[EngineRun] = []
    found: dict[str, list[Vulnerability]] = defaultdict(list)
    found_secrets: dict[str, list[secrets.Found]] = {}
    unparsed: list[str] = []

    async def run_bandit() -> int:
        report = await bandit.scan_files(
            workspace, python, time_limit=_remaining(deadline, bandit.NAME), memory_mb=memory_mb
        )
        for path, vulnerabilities in report.found.items():
            found[_relative(relative_of, path, bandit.NAME)].extend(vulnerabilities)
        # A file Bandit cannot parse (Python 2, a template) has nothing it could report.
        unparsed.extend(relative_of.get(path, path.name) for path, _ in report.errors)
        return sum(len(vulnerabilities) for vulnerabilities in report.found.values())

    async def run_secrets() -> int:
        report = await secrets.scan_files(
            workspace, list(relative_of), time_limit=_remaining(deadline, secrets.NAME), memory_mb=memory_mb
        )
        found_secrets.update(
            (_relative(relative_of, path, secrets.NAME), items) for path, items in report.items()
        )
        return sum(len(items) for items in report.values())

    async def run_semgrep(targets: list[semgrep.Target]) -> int:
        report = await semgrep.scan_targets(
            workspace,
            targets,
            time_limit=_remaining(deadline, semgrep.NAME),
            memory_mb=memory_mb,
            jobs=SEMGREP_JOBS,
        )
        if report.errors:
            # A file the engine gave up on may hide results: a full import must not close them.
            first = report.errors[0].replace(f"{code}/", "")
            raise EngineFailed(f"semgrep gave up on {len(report.errors)} file(s), first: {first}")
        for path, vulnerabilities in report.found.items():
            found[_relative(relative_of, path, semgrep.NAME)].extend(vulnerabilities)
        return sum(len(vulnerabilities) for vulnerabilities in report.found.values())

    async def prepass() -> list[semgrep.Target] | EngineFailed:
        try:
            return await asyncio.to_thread(_prepass, workspace, python, deadline)
        except EngineFailed as failure:  # the Python run reports it; the others go on
            return failure

    async def prepass_then_semgrep(prepared: Awaitable[list[semgrep.Target] | EngineFailed]) -> int:
        targets = await prepared
        if isinstance(targets, EngineFailed):
            raise targets
        return await run_semgrep(targets)

    async def run_semgrep_each(prepared: Awaitable[list[semgrep.Target] | EngineFailed]) -> None:
        # One engine run at a time: each takes the cores it is given (``SEMGREP_JOBS``). The
        # pre-pass (a thread) goes on meanwhile, so Python comes last.
        for directory in sorted(by_directory):
            runs.append(await _timed(f"{semgrep.NAME}-{directory}", run_semgrep(by_directory[directory])))
        if python:
            runs.append(await _timed(f"{semgrep.NAME}-python", prepass_then_semgrep(prepared)))

    async def record(name: str, work: Awaitable[int]) -> None:
        runs.append(await _timed(name, work))

    async with asyncio.TaskGroup() as group:
        prepared = group.create_task(prepass())
        group.create_task(run_semgrep_each(prepared))
        if python:
            group.create_task(record(bandit.NAME, run_bandit()))
        if relative_of:
            group.create_task(record(secrets.NAME, run_secrets()))
    runs.sort(key=lambda run: run.name)
    return runs, found, found_secrets, sorted(unparsed)


def _relative(relative_of: dict[Path, str], path: Path, name: str) -> str:
    """Return the repository-relative path of a workspace file an engine reported."""
    try:
        return relative_of[path]
    except KeyError:
        raise EngineFailed(f"{name} reported a file it was not given") from None


async def _timed(name: str, work: Awaitable[int]) -> EngineRun:
    """Run one engine's work; an ``EngineFailed`` becomes the run's error, anything else propagates."""
    started = time.perf_counter()
    try:
        findings, error = await work, None
    except EngineFailed as failure:
        findings, error = 0, str(failure)
    elapsed = int((time.perf_counter() - started) * 1000)
    return EngineRun(name=name, findings=findings, duration_ms=elapsed, error=error)


def _remaining(deadline: float, name: str) -> float:
    """Return the seconds left for an engine about to start, refusing to start one with none left."""
    left = deadline - time.monotonic()
    if left < 1:
        raise EngineFailed(f"the time limit was reached before {name} started")
    return left


def _prepass(workspace: Workspace, python: list[Path], deadline: float) -> list[semgrep.Target]:
    """Write each Python file's pre-passed copy under ``prepared/`` (when it differs) for Semgrep."""
    prepared_root = workspace.directory / semgrep.PREPARED
    _private_directory(prepared_root)
    made: set[Path] = {prepared_root}
    targets = []
    for path in python:
        if time.monotonic() > deadline:
            raise EngineFailed("the time limit was reached during the pre-pass")
        source = path.read_text(encoding="utf-8")
        prepared = prepass.prepare(source)
        scanned = path
        if prepared != source:
            parts = path.relative_to(workspace.code).parts
            _make_directories(prepared_root, parts[:-1], made)
            scanned = prepared_root.joinpath(*parts)
            write_private(scanned, prepared.encode("utf-8"))
        targets.append(semgrep.Target(scanned=scanned, original=path, language="python"))
    return targets


def _secret_entries(
    found: dict[str, list[secrets.Found]], by_rules: dict[str, list[Vulnerability]]
) -> list[_Entry]:
    """Return one entry per line holding a secret, in file order.

    Where several detectors flag one line (a Stripe key is also a high-entropy string), the
    most specific one names it: an entropy detector only when nothing else did. A credential
    the rules found on a line where detect-secrets found none is added (the rules know formats
    detect-secrets does not); where both found one, detect-secrets' entry, with its hash and
    masked prefix, stands alone.
    """
    entries = []
    for relative in sorted(set(found) | set(by_rules)):
        detected = {item.vulnerability.line_start for item in found.get(relative, [])}
        for vulnerability in by_rules.get(relative, []):
            if vulnerability.cwe in SECRET_CWES and vulnerability.line_start not in detected:
                detected.add(vulnerability.line_start)
                entries.append(_Entry(relative, vulnerability, {"secretType": vulnerability.title}))
    for relative in sorted(found):
        seen: set[int] = set()
        for item in sorted(found[relative], key=_detector_order):
            if item.vulnerability.line_start in seen:
                continue
            seen.add(item.vulnerability.line_start)
            properties = {"secretType": item.vulnerability.title.removesuffix(" in source code")}
            if item.value_sha256 is not None and item.masked is not None:
                properties |= {"valueSha256": item.value_sha256, "maskedValue": item.masked}
            entries.append(_Entry(relative, item.vulnerability, properties))
    return entries


def _detector_order(item: secrets.Found) -> tuple[int, bool, str]:
    """Order a file's secrets by line, the specific detectors of a line before the entropy ones."""
    rule = item.vulnerability.rule_id
    return item.vulnerability.line_start, "entropy" in rule, rule


def _notes(inventory: Inventory, limits: Limits) -> list[str]:
    """Say what of the tree was not analysed, in sentences for the scan's record."""
    notes = []
    if inventory.truncated:
        notes.append(
            f"Stopped at --max-files {limits.max_files}: files after the first {limits.max_files} "
            "(in path order) were not analysed."
        )
    if inventory.skipped["too_large"]:
        notes.append(
            f"{inventory.skipped['too_large']} file(s) over --max-file-bytes {limits.max_file_bytes} "
            "were not analysed."
        )
    return notes


def _run_properties(
    inventory: Inventory, analysed: int, runs: list[EngineRun], notes: list[str]
) -> dict[str, Any]:
    """Return the run's property bag: files analysed and skipped, each engine's run, the notes."""
    return {
        "bastion": {
            "filesAnalysed": analysed,
            "filesSkipped": dict(sorted(inventory.skipped.items())),
            "truncated": inventory.truncated,
            "engines": [run.model_dump(mode="json") for run in runs],
            "notes": notes,
        }
    }


def _sarif_log(tool: str, entries: list[_Entry], code: Path, properties: dict[str, Any]) -> bytes:
    """Write the entries as one SARIF run, results shaped as ``imports.sarif_report`` shapes them.

    The fingerprint is ``imports``' scheme with the repository-relative path: it follows the
    code line, not its number, so inserting lines above a finding keeps its identity.
    """
    rules: dict[str, dict[str, Any]] = {}
    results = []
    lines_of: dict[str, list[str]] = {}
    for entry in entries:
        v = entry.vulnerability
        if entry.relative not in lines_of:
            text = code.joinpath(*entry.relative.split("/")).read_text(encoding="utf-8")
            lines_of[entry.relative] = text.splitlines()
        rules.setdefault(v.rule_id, sarif_rule(v))
        results.append(
            sarif_result(
                v,
                uri=_uri(entry.relative),
                path=entry.relative,
                lines=lines_of[entry.relative],
                properties=entry.properties,
            )
        )
    return orjson.dumps(sarif_log(tool, list(rules.values()), results, properties=properties))


def _uri(relative: str) -> str:
    """Return a relative path as a URI reference: percent-encoded, so any file name survives."""
    return quote(os.fsencode(relative), safe="/")


def write_reports(analysis: TreeAnalysis, output_dir: Path) -> list[Path]:
    """Write the logs that were produced into the directory, each whole or not at all; return them."""
    output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = []
    for name, log in ((SAST_FILE, analysis.sast), (SECRETS_FILE, analysis.secrets)):
        target = output_dir / name
        if log is None:
            target.unlink(missing_ok=True)  # an earlier run's log must not pass for this one's
            continue
        # Written beside, then renamed: a reader sees the old file or the whole new one.
        descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=output_dir)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(log)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(target)
    return written


def _seconds(text: str) -> float:
    """Parse a positive, finite number of seconds."""
    value = float(text)
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a number of seconds greater than 0, not {text}")
    return value


def _count(text: str) -> int:
    """Parse a positive whole number."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {text}")
    return value


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bastion.agent.analysis.tree",
        description="Analyse a repository tree with Bastion's engines; write sast.sarif and secrets.sarif.",
    )
    parser.add_argument("--source", type=Path, required=True, help="the repository's directory")
    parser.add_argument("--output-dir", type=Path, required=True, help="where the SARIF logs are written")
    parser.add_argument("--time-limit", type=_seconds, default=DEFAULT_TIME_LIMIT, help="seconds, whole run")
    parser.add_argument("--memory-mb", type=_count, default=None, help="memory per engine")
    parser.add_argument("--max-files", type=_count, default=DEFAULT_MAX_FILES)
    parser.add_argument("--max-file-bytes", type=_count, default=DEFAULT_MAX_FILE_BYTES)
    arguments = parser.parse_args(argv)
    if not arguments.source.is_dir():
        parser.error(f"--source {arguments.source} is not a directory")
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    """Analyse the tree named on the command line and write its logs; return the exit status."""
    arguments = _arguments(argv)
    limits = Limits(
        time_limit=arguments.time_limit,
        memory_mb=arguments.memory_mb or get_settings().analysis_memory_mb,
        max_files=arguments.max_files,
        max_file_bytes=arguments.max_file_bytes,
    )
    analysis = asyncio.run(analyze_tree(arguments.source.absolute(), limits=limits))
    write_reports(analysis, arguments.output_dir)
    for error in analysis.errors:
        sys.stderr.write(f"bastion-tree: {error}\n")
    return EXIT_FAILED if analysis.errors else 0


if __name__ == "__main__":
    sys.exit(main())
