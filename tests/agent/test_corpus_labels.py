"""The analysis evaluation corpus is consistent with its labels (checks the corpus, not the analysis)."""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).parent / "corpus"
LABELS: list[dict[str, Any]] = tomllib.loads((CORPUS / "labels.toml").read_text("utf-8"))["snippet"]
VULNERABLE = [label for label in LABELS if label["path"].startswith("vulnerable/")]
CLEAN = [label for label in LABELS if label["path"].startswith("clean/")]

CWE_BY_CATEGORY = {
    "sql injection": 89,
    "os command injection": 78,
    "code injection": 94,
    "unsafe deserialization": 502,
    "weak cryptography": 327,
    "insecure randomness": 330,
    "hard-coded credentials": 798,
    "path traversal": 22,
    "ssrf": 918,
    "cross-site scripting": 79,
    "disabled tls verification": 295,
}
EXTENSIONS = {
    "python": {".py"},
    "javascript": {".js", ".jsx", ".mjs"},
    "typescript": {".ts", ".tsx"},
    "java": {".java"},
    "go": {".go"},
}
# JavaScript and TypeScript count together towards the per-language minimums.
FAMILY = {"python": "python", "javascript": "js/ts", "typescript": "js/ts", "java": "java", "go": "go"}
MIN_VULNERABLE = {"python": 12, "js/ts": 11, "java": 10, "go": 10}
MIN_CLEAN = {"python": 6, "js/ts": 6, "java": 6, "go": 6}
NOT_SNIPPETS = {"labels.toml", "README.md"}


def _lines(label: dict[str, Any]) -> list[str]:
    path: Path = CORPUS / label["path"]
    return path.read_text("utf-8").splitlines()


def test_every_snippet_file_is_labelled_exactly_once() -> None:
    on_disk = {
        path.relative_to(CORPUS).as_posix()
        for path in CORPUS.rglob("*")
        if path.is_file()
        and path.relative_to(CORPUS).as_posix() not in NOT_SNIPPETS
        # The handlers corpus has its own labels (handlers/*.toml, tests/agent/test_handlers_corpus.py).
        and path.relative_to(CORPUS).parts[0] != "handlers"
    }
    labelled = Counter(label["path"] for label in LABELS)

    assert [path for path, count in labelled.items() if count > 1] == []
    assert sorted(on_disk - labelled.keys()) == []
    assert sorted(labelled.keys() - on_disk) == []


def test_label_language_matches_directory_and_extension() -> None:
    mismatched = []
    for label in LABELS:
        kind, language, name = label["path"].split("/")
        if (
            kind not in {"vulnerable", "clean"}
            or label["language"] != language
            or Path(name).suffix not in EXTENSIONS[language]
            or not label["note"].strip()
        ):
            mismatched.append(label["path"])

    assert mismatched == []


def test_vulnerable_labels_name_a_known_cwe_on_a_line_of_code() -> None:
    wrong = []
    for label in VULNERABLE:
        lines = _lines(label)
        line = label["line"]
        is_on_code = 1 <= line <= len(lines) and bool(lines[line - 1].strip())
        if label["cwe"] not in CWE_BY_CATEGORY.values() or not is_on_code:
            wrong.append(label["path"])

    assert wrong == []


def test_clean_labels_have_no_cwe_or_line() -> None:
    assert [label["path"] for label in CLEAN if "cwe" in label or "line" in label] == []


def test_snippets_are_10_to_60_lines() -> None:
    assert [label["path"] for label in LABELS if not 10 <= len(_lines(label)) <= 60] == []


def test_vulnerable_snippets_per_language_meet_the_minimums() -> None:
    per_family = Counter(FAMILY[label["language"]] for label in VULNERABLE)
    typescript = sum(1 for label in VULNERABLE if label["language"] == "typescript")

    assert per_family.keys() == MIN_VULNERABLE.keys()
    assert {family: count for family, count in per_family.items() if count < MIN_VULNERABLE[family]} == {}
    assert typescript >= 3
    assert len(VULNERABLE) >= 44


def test_clean_snippets_per_language_meet_the_minimums() -> None:
    per_family = Counter(FAMILY[label["language"]] for label in CLEAN)

    assert {family: count for family, count in per_family.items() if count < MIN_CLEAN[family]} == {}
    assert per_family.keys() == MIN_CLEAN.keys()
    assert len(CLEAN) >= 24


def test_each_language_covers_at_least_eight_categories() -> None:
    categories: defaultdict[str, set[int]] = defaultdict(set)
    for label in VULNERABLE:
        categories[FAMILY[label["language"]]].add(label["cwe"])

    assert categories.keys() == MIN_VULNERABLE.keys()
    assert {family: sorted(cwes) for family, cwes in categories.items() if len(cwes) < 8} == {}


def test_each_category_appears_in_at_least_three_languages() -> None:
    families: defaultdict[int, set[str]] = defaultdict(set)
    for label in VULNERABLE:
        families[label["cwe"]].add(FAMILY[label["language"]])

    assert {
        category: sorted(families[cwe]) for category, cwe in CWE_BY_CATEGORY.items() if len(families[cwe]) < 3
    } == {}


@pytest.mark.parametrize(
    "label", [label for label in LABELS if label["language"] == "python"], ids=lambda label: label["path"]
)
def test_python_snippet_compiles(label: dict[str, Any]) -> None:
    path = CORPUS / label["path"]

    compile(path.read_text("utf-8"), str(path), "exec")


@pytest.mark.parametrize(
    "label", [label for label in LABELS if label["language"] == "java"], ids=lambda label: label["path"]
)
def test_java_public_class_is_named_after_its_file(label: dict[str, Any]) -> None:
    path = CORPUS / label["path"]

    assert re.findall(r"^public (?:final )?class (\w+)", path.read_text("utf-8"), re.MULTILINE) == [path.stem]
