"""The handlers corpus is well labelled, and the analysis meets its targets on it.

The targets are the taint rules issue's: TPR − FPR averaged over categories ≥ 0.70, no category
below 0.40, and the Python cases at least 0.35 above Bandit alone on the same files. The scores
come from one Semgrep run per language and one Bandit run (``handlers_eval.batch``), the same
pieces ``/analyze`` runs per file; ``bench/sast.py`` scores through the service itself.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from bastion.agent.engines.taint.weaknesses import CATEGORY_CWES
from tests.agent.handlers_eval import HANDLERS, SEMGREP_CLI, bandit_alone, batch, cases, overall, score, table

EXTENSIONS = {"python": ".py", "javascript": ".js", "typescript": ".ts", "java": ".java", "go": ".go"}


def test_every_handler_file_is_labelled_once_with_a_known_category_and_cwe() -> None:
    labelled = cases()
    files = sorted(
        path.relative_to(HANDLERS).as_posix()
        for path in HANDLERS.rglob("*")
        if path.is_file() and path.suffix in EXTENSIONS.values()
    )

    assert sorted(case.path for case in labelled) == files
    assert [path for path, count in Counter(case.path for case in labelled).items() if count > 1] == []
    assert [
        c.path for c in labelled if c.category not in CATEGORY_CWES or c.cwe not in CATEGORY_CWES[c.category]
    ] == []
    assert [c.path for c in labelled if not c.path.endswith(EXTENSIONS[c.language])] == []


def test_exploitable_cases_point_at_their_source_and_sink_and_safe_ones_do_not() -> None:
    problems = []
    for case in cases():
        length = len(case.file.read_text("utf-8").splitlines())
        if case.exploitable:
            if not (
                case.line
                and case.source_line
                and 1 <= case.source_line <= length
                and 1 <= case.line <= length
            ):
                problems.append(case.path)
        elif case.line is not None or case.source_line is not None:
            problems.append(case.path)

    assert problems == []


def test_the_corpus_is_large_mostly_python_and_balanced_in_every_category() -> None:
    labelled = cases()
    balance = Counter((c.language, c.category, c.exploitable) for c in labelled)

    assert len(labelled) >= 300
    assert sum(c.language == "python" for c in labelled) / len(labelled) >= 0.6
    assert {c.language for c in labelled} == set(EXTENSIONS)
    assert sorted({c.category for c in labelled if c.language == "python"}) == sorted(CATEGORY_CWES)
    assert [
        (language, category)
        for (language, category, exploitable), count in balance.items()
        if exploitable and balance[(language, category, False)] != count
    ] == []


def test_python_cases_parse_and_java_classes_match_their_files() -> None:
    broken = []
    for case in cases():
        text = case.file.read_text("utf-8")
        if case.language == "python":
            try:
                ast.parse(text)
            except SyntaxError:
                broken.append(case.path)
        elif case.language == "java" and not re.search(
            rf"public\s+(final\s+)?class\s+{Path(case.path).stem}\b", text
        ):
            broken.append(case.path)

    assert broken == []


@pytest.mark.slow
def test_the_analysis_meets_its_targets_and_beats_bandit(tmp_path: Path) -> None:
    if not SEMGREP_CLI.exists():
        pytest.skip(f"{SEMGREP_CLI} is missing: run `make install-dev` to install Semgrep")
    labelled = cases()
    python = [case for case in labelled if case.language == "python"]

    # when
    results, _ = batch(labelled, tmp_path)
    rates = score(labelled, results)
    python_rates, bandit_rates = score(python, results), score(python, bandit_alone(python))

    # then
    report = f"{table(rates)}\n\nPython:\n{table(python_rates, bandit_rates)}"
    assert overall(rates) >= 0.70, report
    assert {category: round(r.score, 2) for category, r in rates.items() if r.score < 0.40} == {}, report
    assert overall(python_rates) - overall(bandit_rates) >= 0.35, report
