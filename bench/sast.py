"""The code analysis on the handlers corpus, scored the usual way, beside Bandit alone.

    .venv/bin/python -m bench.sast [--language python] [--concurrency 2]

Every case of ``tests/agent/corpus/handlers/`` goes through the real analysis service (pre-pass,
Semgrep's engine with Bastion's rules, Bandit, detect-secrets, reconciliation), one file per call
as ``POST /agent/v1/analyze`` runs it; Bandit alone runs on the same Python files. Prints TPR, FPR
and TPR − FPR per category and overall, for every language and for Python beside Bandit, the p95
time of one analysis, and whether the issue's targets hold: overall ≥ 0.70, no category below
0.40, at least 0.35 above Bandit on the Python files. Needs no server and no network.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.agent.handlers_eval import Case, bandit_alone, cases, overall, score, table  # noqa: E402

from bastion.agent.analysis import service  # noqa: E402
from bastion.contracts.analysis import AnalyzeRequest, Vulnerability  # noqa: E402

TARGET_OVERALL = 0.70
TARGET_CATEGORY = 0.40
TARGET_ABOVE_BANDIT = 0.35


async def analyse(
    labelled: list[Case], concurrency: int
) -> tuple[dict[str, list[Vulnerability]], list[float]]:
    """Analyse every case through the service; return the results by path and each call's seconds."""
    limit = asyncio.Semaphore(concurrency)
    timings: list[float] = []

    async def one(case: Case) -> tuple[str, list[Vulnerability]]:
        async with limit:
            started = time.perf_counter()
            response = await service.analyze(
                AnalyzeRequest(
                    code=case.file.read_text("utf-8"), language=case.language, filename=case.file.name
                )  # type: ignore[arg-type]
            )
            timings.append(time.perf_counter() - started)
        failed = [f"{run.name}: {run.error}" for run in response.engines if run.error]
        if failed:
            print(f"{case.path}: {failed}", file=sys.stderr)
        return case.path, response.vulnerabilities

    return dict(await asyncio.gather(*(one(case) for case in labelled))), timings


def main() -> int:
    """Run the corpus, print the tables and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", help="only this language's cases")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--every", type=int, default=1, help="every N-th case only, a sample (default: all)")
    options = parser.parse_args()
    labelled = [case for case in cases() if options.language in (None, case.language)][:: options.every]
    results, timings = asyncio.run(analyse(labelled, options.concurrency))
    everything = score(labelled, results)
    python = [case for case in labelled if case.language == "python"]
    python_rates = score(python, results)
    bandit_rates = score(python, bandit_alone(python))
    print(f"## All languages ({len(labelled)} cases)\n\n{table(everything)}\n")
    for language in sorted({case.language for case in labelled}):
        chosen = [case for case in labelled if case.language == language]
        print(f"- {language}: {len(chosen)} cases, overall {overall(score(chosen, results)):+.2f}")
    print(f"\n## Python beside Bandit alone ({len(python)} cases)\n\n{table(python_rates, bandit_rates)}\n")
    ordered = sorted(timings)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    print(f"analysis time per file: median {statistics.median(ordered):.2f} s, p95 {p95:.2f} s")
    lowest = min(everything.items(), key=lambda item: item[1].score)
    above = overall(python_rates) - overall(bandit_rates)
    checks = {
        f"overall {overall(everything):+.2f} ≥ {TARGET_OVERALL}": overall(everything) >= TARGET_OVERALL,
        f"lowest category {lowest[0]} {lowest[1].score:+.2f} ≥ {TARGET_CATEGORY}": lowest[1].score
        >= TARGET_CATEGORY,
        f"Python {above:+.2f} above Bandit ≥ {TARGET_ABOVE_BANDIT}": above >= TARGET_ABOVE_BANDIT,
    }
    for text, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'}  {text}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
