"""End-to-end import rate on PostgreSQL + RabbitMQ, against a plain COPY of the same rows.

    .venv/bin/python bench/ingest.py [--findings 200000] [--findings 1000000 ...]
    .venv/bin/python bench/ingest.py --small 1000 [--clients 8] [--assets 50]
    .venv/bin/python bench/ingest.py --parse-only [--findings 200000 ...]

For each size: writes a SARIF report, starts ``bastion up`` on a fresh database with
RabbitMQ as the broker, uploads the report through the scanner and waits until the
import is committed. Reports findings per second (upload to committed), the peak RSS
of the worker processes and of the process serving the scanner, and, in the same run,
the rate of a plain COPY of the same rows into a bare table. Targets: the import at
least 50% of the plain COPY rate; peak RSS under 512 MB for 1,000,000 findings.

Each size also prints the parse's CPU cost (``--parse-only`` prints only that, without
starting an instance): process CPU time, best of 3, of ijson's C backend tokenising the
report, of the SARIF parser producing every finding, and of the parser plus the staging
row the import makes of each finding; per finding and as multiples of the tokenising.
Target: the parse at most 4x the tokenising.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.instance import running  # noqa: E402
from bench.reports import write_sarif  # noqa: E402

SERVER = "postgres://postgres@127.0.0.1:5432"
BROKER = "amqp://guest:guest@127.0.0.1:5672//"


class PeakMemory(threading.Thread):
    """Sample the RSS of a process tree, by role, until stopped."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peaks = {"worker": 0, "scanner": 0}
        self.running = True

    def run(self) -> None:
        while self.running:
            try:
                for process in psutil.Process(self.root).children(recursive=True):
                    command = " ".join(process.cmdline())
                    role = "worker" if "worker" in command else "scanner" if "uvicorn" in command else None
                    if role:
                        self.peaks[role] = max(self.peaks[role], process.memory_info().rss)
            except psutil.Error:
                pass
            time.sleep(0.05)


def fresh_database(name: str) -> str:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER}/{name}"


def plain_copy_rate(report: Path) -> float:
    """COPY the report's normalized rows into a bare table; return rows per second."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.core.settings")
    os.environ.setdefault("BASTION_LOG_LEVEL", "WARNING")  # not a line per status poll of the bench
    import django

    django.setup()
    from bastion.core.imports.commit import STAGED_COLUMNS, staged_row
    from bastion.parsers import parse_report

    with report.open("rb") as stream:
        rows = [staged_row(n, finding) for n, finding in enumerate(parse_report(stream)[1])]
    columns = ", ".join(f'"{name}" text' for name in STAGED_COLUMNS)
    url = fresh_database("bastion_bench_copy")
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bare ({columns})")
        started = time.perf_counter()
        with cursor.copy("COPY bare FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        connection.commit()
        elapsed = time.perf_counter() - started
    return len(rows) / elapsed


def best_cpu(work: Callable[[], object], repeat: int = 3) -> float:
    """Return the least process CPU time of ``repeat`` runs of ``work``."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def parse_cpu(report: Path, findings: int) -> None:
    """Print the CPU of tokenising the report, of parsing it, and of parsing plus staging rows."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.core.settings")
    os.environ.setdefault("BASTION_LOG_LEVEL", "WARNING")  # not a line per status poll of the bench
    import django

    django.setup()
    import ijson

    from bastion.core.imports.commit import staged_row
    from bastion.parsers import parse_report

    backend = ijson.get_backend("yajl2_c")

    def tokenise() -> int:
        with report.open("rb") as stream:
            return sum(1 for _event in backend.basic_parse(stream))

    def parse() -> int:
        with report.open("rb") as stream:
            return sum(1 for _finding in parse_report(stream, format_name="sarif")[1])

    def parse_and_stage() -> int:
        with report.open("rb") as stream:
            findings = parse_report(stream, format_name="sarif")[1]
            return sum(1 for n, finding in enumerate(findings) if staged_row(n, finding))

    with report.open("rb") as stream:
        parsed = sum(1 for _finding in parse_report(stream, format_name="sarif")[1])
    assert parsed == findings, (parsed, findings)
    tokens, parsing, staging = best_cpu(tokenise), best_cpu(parse), best_cpu(parse_and_stage)
    print(
        f"{findings:,} findings, CPU best of 3: ijson C tokenise {tokens:.2f} s, "
        f"parse {parsing:.2f} s ({parsing / findings * 1e6:.1f} us/finding, {parsing / tokens:.1f}x), "
        f"parse + staged_row {staging:.2f} s ({staging / findings * 1e6:.1f} us/finding, "
        f"{staging / tokens:.1f}x); target parse <= 4x"
    )


def run_import(report: Path, findings: int, port: int) -> tuple[float, dict[str, int]]:
    settings = {
        "database_url": fresh_database("bastion_bench_ingest"),
        "broker_url": BROKER,
        "max_upload_bytes": str(8 * 1024**3),
    }
    with running(port, **settings) as (base, token, up):
        headers = {"Authorization": f"Token {token}"}
        memory = PeakMemory(up.pid)
        memory.start()
        started = time.perf_counter()
        with report.open("rb") as body:
            response = httpx.post(
                f"{base}/scanner/v1/imports?asset_identifier=bench&asset_kind=repository&format=sarif",
                headers={**headers, "Content-Type": "application/octet-stream"},
                content=body, timeout=600,
            )  # fmt: skip
        response.raise_for_status()
        status_url = base + response.json()["status_url"]
        while True:
            state = httpx.get(status_url, headers=headers, timeout=30).json()
            if state["state"] in {"completed", "failed"}:
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        memory.running = False
        assert state["state"] == "completed", state
        assert state["new"] == findings, state
        return findings / elapsed, memory.peaks


def run_small(reports: int, clients: int, assets: int, findings: int, port: int) -> None:
    """Post many small reports at once, as CI pipelines do; print imports committed per second.

    Report ``k`` goes to asset ``k % assets``; every ``2 * assets`` reports the findings
    change, so each asset gets a new report, then the same report again (nothing new):
    half the imports add findings, half only see them again.
    """
    folder = Path(tempfile.mkdtemp())
    bodies = [
        write_sarif(folder / f"{k}.sarif", findings, first=(k // (2 * assets)) * findings).read_bytes()
        for k in range(reports)
    ]
    settings = {
        "database_url": fresh_database("bastion_bench_ingest"),
        "broker_url": BROKER,
        "imports_per_minute": str(100 * reports),  # the bench measures the pipeline, not the rate limit
    }
    with running(port, **settings) as (base, token, _up):
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/octet-stream"}
        latencies: list[float] = []
        status_urls: list[str] = [""] * reports
        queue = list(range(reports))
        lock = threading.Lock()

        def client() -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
                while True:
                    with lock:
                        if not queue:
                            return
                        k = queue.pop(0)
                    started = time.perf_counter()
                    response = http.post(
                        f"/scanner/v1/imports?asset_identifier=small-{k % assets}&asset_kind=repository"
                        "&format=sarif",
                        content=bodies[k],
                    )
                    latencies.append(time.perf_counter() - started)
                    response.raise_for_status()
                    status_urls[k] = response.json()["status_url"]

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        posted = time.perf_counter() - started
        states: dict[int, dict[str, object]] = {}
        with httpx.Client(base_url=base, headers={"Authorization": f"Token {token}"}, timeout=30) as http:
            while len(states) < reports:
                for k in range(reports):
                    if k not in states:
                        state = http.get(status_urls[k]).json()
                        if state["state"] in {"completed", "failed"}:
                            states[k] = state
                if len(states) < reports:
                    time.sleep(0.2)
        committed = time.perf_counter() - started
    failed = [k for k, state in states.items() if state["state"] != "completed"]
    new = sum(int(str(state["new"])) for state in states.values())
    expected_new = sum(findings for k in range(reports) if (k // assets) % 2 == 0)
    ordered = sorted(latencies)
    print(
        f"{reports} reports of {findings} findings over {assets} assets, {clients} clients: "
        f"posted at {reports / posted:.1f}/s (POST p50 {ordered[len(ordered) // 2] * 1000:.0f} ms, "
        f"p95 {ordered[int(len(ordered) * 0.95)] * 1000:.0f} ms), committed at {reports / committed:.1f} "
        f"imports/s ({reports * findings / committed:,.0f} findings/s); {len(failed)} failed; "
        f"{new:,} new findings (expected {expected_new:,})"
    )
    assert not failed, failed
    assert new == expected_new, (new, expected_new)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--findings", type=int, action="append", help="report sizes (default 200000)")
    parser.add_argument("--small", type=int, metavar="REPORTS", help="many small imports instead (e.g. 1000)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients of --small")
    parser.add_argument("--assets", type=int, default=50, help="assets of --small")
    parser.add_argument("--port", type=int, default=18765, help="the bench instance's port")
    parser.add_argument("--parse-only", action="store_true", help="only the parse's CPU, no instance")
    args = parser.parse_args()
    if args.small:
        run_small(args.small, args.clients, args.assets, findings=10, port=args.port)
        return 0
    for findings in args.findings or [200_000]:
        report = write_sarif(Path(tempfile.mkdtemp()) / "report.sarif", findings)
        parse_cpu(report, findings)
        if args.parse_only:
            continue
        rate, peaks = run_import(report, findings, args.port)
        copy_rate = plain_copy_rate(report)
        mb = {role: value / 1024**2 for role, value in peaks.items()}
        print(
            f"{findings:,} findings ({report.stat().st_size / 1024**2:.0f} MB SARIF): import {rate:,.0f}/s, "
            f"plain COPY {copy_rate:,.0f}/s, ratio {rate / copy_rate:.0%}; "
            f"peak RSS worker {mb['worker']:.0f} MB, scanner {mb['scanner']:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
