"""One scan, from its claim to its imports: fetch the target, run each engine, import each report.

Each engine's report goes through the import pipeline as a full import of that engine's
tool on the scan's asset (``core.imports.intake.take_in_engine_report``), run here in the
scan's worker, so that deduplication, reopening and resolution work as for an uploaded
report. An engine that fails imports nothing (an empty report would resolve everything it
found before); the others go on, and the scan ends failed, naming the engines that failed.
"""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.storage import storages

from bastion.config import get_settings
from bastion.contracts.scans import ENGINES, ScanState, ScanStep, TargetKind
from bastion.core.imports import intake
from bastion.core.imports.models import ImportJob
from bastion.core.imports.tasks import run_import
from bastion.core.imports.upload import Upload
from bastion.core.scans import services, targets
from bastion.core.scans.models import ScanJob
from bastion.scanner.engines import dependency_audit, network, service_advisories
from bastion.scanner.engines.archives import ArchiveRefused, unpack_archive
from bastion.scanner.engines.dependencies.exceptions import ManifestError
from bastion.scanner.scans.runner import EngineError, EngineStopped, run_engine
from bastion.scanner.scans.workspace import ScanWorkspace, give_to_engines, scan_workspace

logger = logging.getLogger(__name__)

GIT_ENVIRONMENT = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_ALLOW_PROTOCOL": "https:ssh:git",
    "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new",
}
MAX_REPORT_BYTES = 256 * 1024 * 1024


class ScanCancelled(Exception):  # noqa: N818 (what happened, not an error)
    """The scan was cancelled while it ran."""


@dataclass
class Outcome:
    """What the engines did: the ones that failed, with why."""

    failed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Limits:
    """An engine's time (seconds) and memory (MB, 0: none)."""

    time_limit: int
    memory_mb: int


@dataclass(frozen=True)
class Report:
    """One report an engine wrote, to import as a full import of ``engine``'s tool."""

    engine: str
    path: Path


def run(scan: ScanJob) -> tuple[ScanState, str]:
    """Run a claimed scan's engines and import their reports; return how it ended and why."""
    should_stop = _stop_check(scan)
    outcome = Outcome()
    try:
        with scan_workspace() as workspace:
            if scan.target_kind == TargetKind.REPOSITORY:
                _fetch(scan, workspace, should_stop)
            for group in _groups(scan.engines):
                if should_stop():
                    raise ScanCancelled
                _run_group(scan, workspace, group, outcome, should_stop)
    except ScanCancelled:
        return ScanState.CANCELLED, ""
    except EngineError as error:  # fetching failed: no engine could run
        return ScanState.FAILED, str(error)
    finally:
        if scan.archive_key:
            storages["reports"].delete(scan.archive_key)
    if outcome.failed:
        reasons = "; ".join(f"{engine}: {reason}" for engine, reason in outcome.failed.items())
        return ScanState.FAILED, f"{len(outcome.failed)} of {len(scan.engines)} engines failed: {reasons}"
    return ScanState.COMPLETED, ""


def _stop_check(scan: ScanJob) -> Callable[[], bool]:
    def should_stop() -> bool:
        return services.is_cancelling(scan.pk)

    return should_stop


def _groups(engines: list[str]) -> Iterator[tuple[str, ...]]:
    """The engines in runs: code analysis and secrets come from one run of the analysis."""
    analysis = tuple(name for name in engines if name in ("sast", "secrets"))
    if analysis:
        yield analysis
    for name in engines:
        if name not in analysis:
            yield (name,)


def _run_group(
    scan: ScanJob,
    workspace: ScanWorkspace,
    group: tuple[str, ...],
    outcome: Outcome,
    should_stop: Callable[[], bool],
) -> None:
    for engine in group:
        services.append_log(
            scan_id=scan.pk, step=ScanStep.ENGINE_STARTED, engine=engine, message=ENGINES[engine].label
        )
    try:
        reports = _engine_reports(scan, workspace, group, should_stop)
    except EngineStopped as stopped:
        raise ScanCancelled from stopped
    except (EngineError, ManifestError, OSError, ValueError) as error:
        for engine in group:
            outcome.failed[engine] = str(error)
            services.append_log(
                scan_id=scan.pk, step=ScanStep.ENGINE_FAILED, engine=engine, message=str(error)
            )
        return
    for report in reports:
        if should_stop():
            raise ScanCancelled
        services.append_log(scan_id=scan.pk, step=ScanStep.IMPORTING, engine=report.engine)
        job = _import(scan, report)
        if job.state != "completed":
            outcome.failed[report.engine] = f"its report was not imported: {job.error}"
            services.append_log(
                scan_id=scan.pk, step=ScanStep.ENGINE_FAILED, engine=report.engine, message=job.error
            )
            continue
        services.add_import(scan_id=scan.pk, job=job)
        services.append_log(
            scan_id=scan.pk,
            step=ScanStep.ENGINE_FINISHED,
            engine=report.engine,
            found=job.parsed,
            new=job.new,
            reopened=job.reopened,
            resolved=job.resolved,
        )


def _engine_reports(
    scan: ScanJob, workspace: ScanWorkspace, group: tuple[str, ...], should_stop: Callable[[], bool]
) -> list[Report]:
    settings = get_settings()
    limits = Limits(settings.scan_engine_timeout_seconds, settings.scan_engine_memory_mb)
    out = workspace.out
    if group[0] in ("sast", "secrets"):
        argv = [
            sys.executable, "-I", "-m", "bastion.agent.analysis.tree",
            "--source", str(workspace.source), "--output-dir", str(out),
            "--time-limit", str(settings.scan_engine_timeout_seconds),
        ]  # fmt: skip
        finished = run_engine(
            argv,
            name="analysis",
            home=workspace.home,
            should_stop=should_stop,
            time_limit=limits.time_limit,
            memory_mb=limits.memory_mb,
        )
        _check_exit(finished.returncode, finished.stderr_tail, "the code analysis")
        return [_written(engine, out / f"{engine}.sarif") for engine in group]
    engine = group[0]
    if engine == "dependencies":
        report = out / "dependencies.sarif"
        report.write_bytes(dependency_audit.audit(workspace.source))
        return [Report(engine, report)]
    if engine == "services":
        return [_scan_services(scan, workspace, should_stop, limits)]
    if engine == "web":
        report = out / "web.sarif"
        allowed = services_allow_list(scan)
        argv = [sys.executable, "-I", "-m", "bastion.scanner.engines.web", "--url", scan.target,
                "--address", scan.addresses[0], "--output", str(report)]  # fmt: skip
        for entry in allowed:
            argv += ["--allow", entry]
        finished = run_engine(
            argv,
            name="web",
            home=workspace.home,
            should_stop=should_stop,
            time_limit=limits.time_limit,
            memory_mb=limits.memory_mb,
        )
        if finished.returncode not in (0, 3):  # 3: unreachable, said in the report itself
            _check_exit(finished.returncode, finished.stderr_tail, "the web checks")
        return [_written(engine, report)]
    raise EngineError(f"no engine {engine!r}")


def services_allow_list(scan: ScanJob) -> list[str]:
    """Return the allow-list a scan's redirects are held to: the organisation's, as it is now."""
    from bastion.core.scans.selectors import allow_list

    return allow_list(organization_id=scan.organization_id)


def _scan_services(
    scan: ScanJob, workspace: ScanWorkspace, should_stop: Callable[[], bool], limits: Limits
) -> Report:
    nmap = shutil.which("nmap")
    if nmap is None:
        raise EngineError("nmap is not installed on this worker (Debian's package nmap)")
    ports = network.parse_ports(scan.options["ports"]) if scan.options.get("ports") else network.DEFAULT_PORTS
    raw = workspace.out / "nmap.xml"
    argv = network.nmap_command(address=scan.addresses[0], ports=ports, output=raw, nmap=nmap)
    finished = run_engine(
        argv,
        name="nmap",
        home=workspace.home,
        should_stop=should_stop,
        time_limit=limits.time_limit,
        memory_mb=limits.memory_mb,
    )
    _check_exit(finished.returncode, finished.stderr_tail, "nmap")
    report = workspace.out / "services.sarif"
    inventory = network.sarif_from_nmap(_read_capped(raw), target=scan.target)
    report.write_bytes(service_advisories.add_advisories(inventory))
    return Report("services", report)


def _check_exit(returncode: int, stderr_tail: str, what: str) -> None:
    if returncode != 0:
        last = stderr_tail.strip().splitlines()[-1:] or ["no message"]
        raise EngineError(f"{what} exited with status {returncode}: {last[0][:500]}")


def _written(engine: str, path: Path) -> Report:
    if not path.is_file():
        raise EngineError(f"the {engine} engine wrote no report")
    return Report(engine, path)


def _read_capped(path: Path) -> bytes:
    if not path.is_file():
        raise EngineError(f"{path.name} was not written")
    if path.stat().st_size > MAX_REPORT_BYTES:
        raise EngineError(f"{path.name} is larger than {MAX_REPORT_BYTES} bytes")
    return path.read_bytes()


def _import(scan: ScanJob, report: Report) -> ImportJob:
    """Import one engine's report as a full import of its tool, now, in this worker."""
    upload = Upload.spool(_read_capped(report.path), file_name=f"{report.engine}.sarif", prefix="scan-")
    job = intake.take_in_engine_report(
        asset=scan.asset, actor=scan.created_by, upload=upload, tool=ENGINES[report.engine].tool
    )
    run_import(str(job.pk))
    job.refresh_from_db()
    return job


# --- fetching a repository ----------------------------------------------------------------------


def _fetch(scan: ScanJob, workspace: ScanWorkspace, should_stop: Callable[[], bool]) -> None:
    """Put the repository's tree in ``workspace.source``: clone, unpack or copy it."""
    if scan.archive_key:
        services.append_log(scan_id=scan.pk, step=ScanStep.FETCHING, message="unpacking the uploaded archive")
        archive = workspace.directory / "archive"
        with storages["reports"].open(scan.archive_key, "rb") as stored, archive.open("wb") as handle:
            shutil.copyfileobj(stored, handle)
        try:
            unpacked = unpack_archive(archive, workspace.source)
        except ArchiveRefused as refused:
            raise EngineError(f"the archive was refused: {refused.reason}") from refused
        finally:
            archive.unlink(missing_ok=True)
        give_to_engines(workspace.source)
        services.append_log(
            scan_id=scan.pk, step=ScanStep.FETCHING, message=f"{unpacked.file_count} files unpacked"
        )
        return
    if scan.target.startswith("/"):
        services.append_log(scan_id=scan.pk, step=ScanStep.FETCHING, message=f"copying {scan.target}")
        source = services.local_repository(scan.target)
        shutil.copytree(source, workspace.source, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        give_to_engines(workspace.source)
        return
    _clone(scan, workspace, should_stop)


def _clone(scan: ScanJob, workspace: ScanWorkspace, should_stop: Callable[[], bool]) -> None:
    git = shutil.which("git")
    if git is None:
        raise EngineError("git is not installed on this worker")
    checked = targets.check_git_url(scan.target)
    environment = dict(GIT_ENVIRONMENT)
    branch = scan.options.get("branch") or None
    argv = targets.git_clone_arguments(
        scan.target, str(workspace.source), commit=scan.commit or None, branch=branch
    )
    argv[0] = git
    if checked.scheme == "https" and scan.addresses:
        # The name was resolved when the scan was accepted: git connects to that address only.
        port = checked.port or 443
        address = scan.addresses[0]
        pinned = f"{checked.host}:{port}:{'[' + address + ']' if ':' in address else address}"
        argv[1:1] = ["-c", f"http.curloptResolve={pinned}"]
    elif scan.addresses:  # git and ssh: the URL names the address; ssh checks the host key by name
        argv[-2] = targets.pinned_git_url(scan.target, scan.addresses[0])
        environment["GIT_SSH_COMMAND"] += f" -o HostKeyAlias={checked.host}"
    message = f"cloning {scan.target}" + (f" at {scan.commit}" if scan.commit else "")
    services.append_log(scan_id=scan.pk, step=ScanStep.FETCHING, message=message)
    _git(argv, "git clone", workspace, should_stop, environment)
    if scan.commit:
        checkout = targets.git_checkout_arguments(str(workspace.source), scan.commit)
        checkout[0] = git
        _git(checkout, "git checkout", workspace, should_stop, environment)


def _git(
    argv: list[str],
    what: str,
    workspace: ScanWorkspace,
    should_stop: Callable[[], bool],
    environment: dict[str, str],
) -> None:
    """Run one git command as an engine (no memory limit: git maps packs larger than it uses)."""
    finished = run_engine(
        argv,
        name="git",
        home=workspace.home,
        should_stop=should_stop,
        environment=environment,
        time_limit=get_settings().scan_engine_timeout_seconds,
        memory_mb=0,
    )
    _check_exit(finished.returncode, finished.stderr_tail, what)
