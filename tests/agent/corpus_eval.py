"""Score code analysis on the labelled corpus: recall on vulnerable snippets, silence on clean ones.

A vulnerable snippet is found when a result carries its labelled CWE. A clean snippet is
silent when it gets no result at all. At the result level, a result is a true positive when
it carries the labelled CWE of a vulnerable snippet, a false positive otherwise (every
result on a clean snippet, and any other weakness reported on a vulnerable one: each
vulnerable snippet holds exactly one).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).parent / "corpus"
# The rules now name two weaknesses more precisely than these labels: a weak hash (328) is a weak
# algorithm (327), eval injection (95) is code injection (94).
NARROWER = {"CWE-328": "CWE-327", "CWE-95": "CWE-94"}


@dataclass(frozen=True)
class Snippet:
    """One labelled file of the corpus."""

    path: str
    language: str
    cwe: int | None
    line: int | None

    @property
    def code(self) -> str:
        """Return the snippet's source."""
        return (CORPUS / self.path).read_text(encoding="utf-8")


@dataclass
class Score:
    """What the analysis got right and wrong on the corpus."""

    found: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)
    noisy: list[str] = field(default_factory=list)
    true_positives: int = 0
    false_positives: int = 0

    @property
    def recall(self) -> float:
        """Return the share of vulnerable snippets whose CWE was reported."""
        return len(self.found) / (len(self.found) + len(self.missed))

    @property
    def clean_rate(self) -> float:
        """Return the share of clean snippets with no result at all."""
        return len(self.silent) / (len(self.silent) + len(self.noisy))

    @property
    def precision(self) -> float:
        """Return the share of results that are the labelled weakness."""
        total = self.true_positives + self.false_positives
        return self.true_positives / total if total else 1.0


def snippets() -> list[Snippet]:
    """Return every labelled snippet."""
    labels = tomllib.loads((CORPUS / "labels.toml").read_text(encoding="utf-8"))
    return [Snippet(s["path"], s["language"], s.get("cwe"), s.get("line")) for s in labels["snippet"]]


def score(results: dict[str, list[dict[str, Any]]], chosen: list[Snippet] | None = None) -> Score:
    """Score the vulnerabilities each snippet (every one, or those ``chosen``) got (by path)."""
    outcome = Score()
    for snippet in snippets() if chosen is None else chosen:
        cwes = [NARROWER.get(str(v.get("cwe")), str(v.get("cwe"))) for v in results[snippet.path]]
        if snippet.cwe is None:
            (outcome.silent if not cwes else outcome.noisy).append(snippet.path)
            outcome.false_positives += len(cwes)
            continue
        expected = f"CWE-{snippet.cwe}"
        (outcome.found if expected in cwes else outcome.missed).append(snippet.path)
        outcome.true_positives += min(1, cwes.count(expected))
        outcome.false_positives += len([c for c in cwes if c != expected]) + max(0, cwes.count(expected) - 1)
    return outcome
