"""Every script of bench/ runs, at a tiny size, so that none can rot unnoticed (bench/README.md).

The scripts run as they are run by hand, as programs, with the real servers. Sizes are the
smallest that still go through every step; the figures they print are not judged here (a loaded
CI machine says nothing of speed), only that each script gets to its end and prints its results.
Independent scripts run three at a time: most of their time is a ``bastion up`` starting.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

from tests import services

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "bastion_bench_make_test"
TIMEOUT = 900


def _chains(ports: list[int]) -> dict[str, list[tuple[list[str], str]]]:
    """Each chain's commands, in order, with a line its output must hold."""
    return {
        "parsers": [
            (["bench/parsers.py", "--findings", "40", "--factor", "2", "--only", "sarif", "tenable", "zap",
              "fortify"], "| fortify |"),
        ],
        "queries": [
            (["bench/seed_query.py", "--database", DATABASE, "--findings", "2000", "--assets", "20",
              "--organizations", "2", "--runs", "1", "--seconds", "1", "--workers", "1"],
             "| page 100 by cursor"),
            (["-m", "bench.ui", "--database", DATABASE, "--reuse", "--runs", "1"], "finding page: median"),
        ],
        "ingest": [
            (["bench/ingest.py", "--findings", "300", "--port", str(ports[0])], "300 findings"),
            (["bench/ingest.py", "--small", "8", "--clients", "2", "--assets", "2", "--port", str(ports[0])],
             "0 failed"),
        ],
        "scans": [(["bench/scans.py", "--files", "12", "--osv-records", "40"], "unchanged re-import")],
        "sast": [(["-m", "bench.sast", "--every", "40"], "analysis time per file")],
        "agent": [
            (["bench/agent.py", "--runs", "1", "--every", "20", "--llm-tokens", "16",
              "--port", str(ports[1])], "provider llamacpp"),
        ],
    }  # fmt: skip


def _run(chain: list[tuple[list[str], str]]) -> list[str]:
    """Run a chain's commands one after the other; return what went wrong."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("BASTION_")}
    problems = []
    for arguments, expected in chain:
        result = subprocess.run(  # noqa: S603 - our interpreter, our scripts, an argument list
            [sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True,
            timeout=TIMEOUT,
        )  # fmt: skip
        # A script may exit 1 for a target a tiny run misses (sast, ui); never with a traceback.
        if "Traceback" in result.stderr or result.returncode not in (0, 1) or expected not in result.stdout:
            problems.append(
                f"{' '.join(arguments)}: exit {result.returncode}, expected {expected!r}\n"
                f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
            )
            break
    return problems


def _script(arguments: list[str]) -> str:
    """Return the file a command runs: ``bench/x.py`` or ``-m bench.x``."""
    return Path(arguments[0]).name if arguments[0] != "-m" else arguments[1].removeprefix("bench.") + ".py"


def test_every_bench_script_runs_at_a_tiny_size() -> None:
    services.require("postgres", "rabbitmq")
    services.require_llm()
    chains = _chains([services.free_port(), services.free_port()])
    # every script of the folder, but the helpers the others import
    scripts = {path.name for path in (ROOT / "bench").glob("*.py")} - {
        "__init__.py",
        "instance.py",
        "reports.py",
    }
    assert scripts == {_script(arguments) for chain in chains.values() for arguments, _ in chain}
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            problems = [problem for found in pool.map(_run, chains.values()) for problem in found]
    finally:
        with psycopg.connect(services.POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    assert not problems, "\n\n".join(problems)
