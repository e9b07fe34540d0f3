"""Score code analysis on the handlers corpus the usual way: TPR − FPR per weakness category.

A case is *flagged* when the analysis reports, anywhere in its file, a weakness of the case's
category (the category's CWEs; Bandit's results by the category its test belongs to, since
Bandit files ``eval`` under CWE-78). The true-positive rate of a category is the share of its
exploitable cases flagged, the false-positive rate the share of its safe look-alikes flagged;
a category's score is TPR − FPR, and the overall score is the mean over categories.

``batch`` runs the analysis's own pieces (pre-pass, Semgrep with Bastion's rules, Bandit,
reconciliation, merge) once per language directory instead of once per file, for a test that
fits the suite's time; ``bench/sast.py`` runs the real ``/analyze`` service on every file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bastion.agent.analysis.reconcile import reconcile
from bastion.agent.analysis.service import merge
from bastion.agent.engines import bandit, prepass, semgrep
from bastion.agent.engines.taint.weaknesses import CATEGORY_CWES
from bastion.contracts.analysis import Source, Vulnerability

HANDLERS = Path(__file__).parent / "corpus" / "handlers"
ROOT = Path(__file__).resolve().parents[2]
SEMGREP_CLI = ROOT / ".tools/semgrep/bin/semgrep"
OFFLINE = {"SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"}
# Bandit's tests by the category whose question they ask (Bandit's own CWEs differ: eval is 78).
BANDIT_CATEGORIES: dict[str, str] = {
    **dict.fromkeys(("B608", "B610", "B611"), "sql-injection"),
    **dict.fromkeys(("B602", "B603", "B604", "B605", "B606", "B607", "B609"), "command-injection"),
    **dict.fromkeys(("B102", "B307"), "code-injection"),
    **dict.fromkeys(("B301", "B302", "B506", "B614"), "insecure-deserialization"),
    "B310": "ssrf",
    **dict.fromkeys(("B313", "B314", "B315", "B316", "B317", "B318", "B319", "B320"), "xxe"),
    **dict.fromkeys(("B308", "B703", "B704", "B701"), "xss"),
    "B311": "insecure-randomness",
    **dict.fromkeys(("B303", "B324"), "weak-hash"),
}
CATEGORY_BY_CWE = {f"CWE-{cwe}": category for category, cwes in CATEGORY_CWES.items() for cwe in cwes}
CATEGORY_BY_CWE["CWE-327"] = "weak-hash"  # a weak hash is reported as a weak algorithm by some tools


@dataclass(frozen=True)
class Case:
    """One labelled handler file."""

    path: str
    language: str
    category: str
    cwe: int
    exploitable: bool
    line: int | None
    source_line: int | None

    @property
    def file(self) -> Path:
        """Return the case's file."""
        return HANDLERS / self.path


def cases() -> list[Case]:
    """Return every labelled case of every label file."""
    found = []
    for labels in sorted(HANDLERS.glob("*.toml")):
        for case in tomllib.loads(labels.read_text(encoding="utf-8"))["case"]:
            found.append(
                Case(
                    path=case["path"],
                    language=case["language"],
                    category=case["category"],
                    cwe=int(case["cwe"]),
                    exploitable=bool(case["exploitable"]),
                    line=case.get("line"),
                    source_line=case.get("source_line"),
                )
            )
    return found


def category_of(vulnerability: Vulnerability) -> str | None:
    """Return the weakness category a result counts for, if any."""
    if vulnerability.source is Source.BANDIT:
        return BANDIT_CATEGORIES.get(vulnerability.rule_id.removeprefix("bandit."))
    return CATEGORY_BY_CWE.get(vulnerability.cwe or "")


@dataclass(frozen=True)
class Rates:
    """One category's outcome."""

    exploitable: int
    flagged_exploitable: int
    safe: int
    flagged_safe: int

    @property
    def true_positive_rate(self) -> float:
        """Return the share of exploitable cases flagged."""
        return self.flagged_exploitable / self.exploitable if self.exploitable else 0.0

    @property
    def false_positive_rate(self) -> float:
        """Return the share of safe cases flagged."""
        return self.flagged_safe / self.safe if self.safe else 0.0

    @property
    def score(self) -> float:
        """Return TPR − FPR."""
        return self.true_positive_rate - self.false_positive_rate


def score(labelled: Iterable[Case], results: dict[str, list[Vulnerability]]) -> dict[str, Rates]:
    """Return the rates per category of the cases, from the results each file got (by case path)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for case in labelled:
        flagged = any(category_of(v) == case.category for v in results.get(case.path, []))
        row = counts[case.category]
        offset = 0 if case.exploitable else 2
        row[offset] += 1
        row[offset + 1] += int(flagged)
    return {category: Rates(*row) for category, row in sorted(counts.items())}


def overall(rates: dict[str, Rates]) -> float:
    """Return the mean score over categories."""
    return sum(r.score for r in rates.values()) / len(rates) if rates else 0.0


def batch(
    labelled: list[Case], work: Path
) -> tuple[dict[str, list[Vulnerability]], dict[str, list[Vulnerability]]]:
    """Analyse every case with one Semgrep run per language and one Bandit run; return, by case path,
    the analysis's results and Bandit's alone."""
    by_path = {case.path: case for case in labelled}
    semgrep_found: dict[str, list[Vulnerability]] = defaultdict(list)
    for directory in sorted({semgrep.RULE_DIRECTORIES[case.language] for case in labelled}):
        copies = work / directory
        for case in labelled:
            if semgrep.RULE_DIRECTORIES[case.language] == directory:
                target = copies / case.path
                target.parent.mkdir(parents=True, exist_ok=True)
                text = case.file.read_text(encoding="utf-8")
                target.write_text(
                    prepass.prepare(text) if case.language == "python" else text, encoding="utf-8"
                )
        for result in _semgrep(copies, directory, work):
            path = Path(result["path"]).resolve().relative_to(copies.resolve()).as_posix()
            _, metadata = semgrep.merged_rules(directory)
            lines = by_path[path].file.read_text(encoding="utf-8").splitlines()
            semgrep_found[path].append(
                semgrep._vulnerability(result, metadata.get(str(result["check_id"]), {}), lines)  # noqa: SLF001
            )
    bandit_found = bandit_alone([case for case in labelled if case.language == "python"])
    combined = {
        case.path: merge(
            reconcile(bandit_found.get(case.path, []) + semgrep_found.get(case.path, []), semgrep_ran=True)
        )
        for case in labelled
    }
    return combined, bandit_found


def _semgrep(copies: Path, directory: str, work: Path) -> list[dict[str, Any]]:
    home = work / "home"
    home.mkdir(exist_ok=True)
    completed = subprocess.run(  # noqa: S603 - our Semgrep, an argument list
        [
            str(SEMGREP_CLI), "--experimental", "--config", str(semgrep.RULES / directory), "--json",
            "--metrics=off", "--disable-version-check", "--no-git-ignore", "--timeout", "0", "--jobs", "2",
            str(copies),
        ],
        capture_output=True,
        cwd=home,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), **OFFLINE},
        timeout=600,
        check=False,
    )  # fmt: skip
    report = orjson.loads(completed.stdout)
    assert [e.get("message") for e in report["errors"] if e.get("level") == "error"] == [], report["errors"]
    results: list[dict[str, Any]] = report["results"]
    return results


def bandit_alone(labelled: list[Case]) -> dict[str, list[Vulnerability]]:
    if not labelled:
        return {}
    completed = subprocess.run(  # noqa: S603 - our Bandit, an argument list
        [
            sys.executable, "-I", "-m", "bandit", "--format", "json", "--quiet",
            "--skip", ",".join(bandit.SKIPPED_TESTS), *(str(case.file) for case in labelled),
        ],
        capture_output=True,
        timeout=600,
        check=False,
    )  # fmt: skip
    report = orjson.loads(completed.stdout)
    found: dict[str, list[Vulnerability]] = defaultdict(list)
    for result in report["results"]:
        path = Path(result["filename"]).resolve().relative_to(HANDLERS.resolve()).as_posix()
        found[path].append(bandit._vulnerability(result))  # noqa: SLF001
    return found


def table(rates: dict[str, Rates], bandit_rates: dict[str, Rates] | None = None) -> str:
    """Return the rates as a Markdown table (with Bandit's beside them when given)."""
    head = "| category | cases | TPR | FPR | score |"
    rule = "|---|---:|---:|---:|---:|"
    if bandit_rates is not None:
        head += " Bandit TPR | Bandit FPR | Bandit score |"
        rule += "---:|---:|---:|"
    rows = [head, rule]
    for category, r in rates.items():
        row = _row(category, r.exploitable + r.safe, r)
        if bandit_rates is not None:
            b = bandit_rates.get(category, Rates(0, 0, 0, 0))
            row += f" {b.true_positive_rate:.2f} | {b.false_positive_rate:.2f} | {b.score:+.2f} |"
        rows.append(row)
    total = sum(r.exploitable + r.safe for r in rates.values())
    last = f"| **overall** | {total} | | | **{overall(rates):+.2f}** |"
    if bandit_rates is not None:
        last += f" | | **{overall(bandit_rates):+.2f}** |"
    rows.append(last)
    return "\n".join(rows)


def _row(category: str, count: int, rates: Rates) -> str:
    return (
        f"| {category} | {count} | {rates.true_positive_rate:.2f} | {rates.false_positive_rate:.2f}"
        f" | {rates.score:+.2f} |"
    )
