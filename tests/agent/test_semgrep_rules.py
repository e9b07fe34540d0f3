"""Bastion's own Semgrep rules: each passes its annotated test target, loads cleanly, and carries metadata.

Test targets live in ``semgrep_targets/<language>/<category>.<ext>`` (any extension, e.g. ``.js`` and
``.ts``); ``semgrep --test`` pairs them with ``rules/<language>/<category>.yaml`` by relative path and
checks that every ``ruleid:`` line matches and no ``ok:`` line does.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SEMGREP = ROOT / ".tools/semgrep/bin/semgrep"
RULES = ROOT / "src/bastion/agent/engines/rules"
TARGETS = Path(__file__).resolve().parent / "semgrep_targets"
LANGUAGES = ("python", "javascript", "java", "go")
RULE_LANGUAGES = {
    "python": ["python"],
    "javascript": ["javascript", "typescript"],
    "java": ["java"],
    "go": ["go"],
}
CWE_BY_CATEGORY = {
    "sql-injection": "CWE-89: Improper Neutralization of Special Elements used in an SQL Command"
    " ('SQL Injection')",
    "command-injection": "CWE-78: Improper Neutralization of Special Elements used in an OS Command"
    " ('OS Command Injection')",
    "code-injection": "CWE-94: Improper Control of Generation of Code ('Code Injection')",
    "insecure-deserialization": "CWE-502: Deserialization of Untrusted Data",
    "weak-cryptography": "CWE-327: Use of a Broken or Risky Cryptographic Algorithm",
    "insecure-randomness": "CWE-330: Use of Insufficiently Random Values",
    "hardcoded-secret": "CWE-798: Use of Hard-coded Credentials",
    "path-traversal": "CWE-22: Improper Limitation of a Pathname to a Restricted Directory"
    " ('Path Traversal')",
    "ssrf": "CWE-918: Server-Side Request Forgery (SSRF)",
    "xss": "CWE-79: Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
    "insecure-tls": "CWE-295: Improper Certificate Validation",
}
# Semgrep stays offline: no metrics, no version check (it otherwise waits ~100 s on a DNS lookup).
OFFLINE = ("--metrics=off", "--disable-version-check")
SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z]|\s*$)")
OK_ANNOTATION = re.compile(r"(?://|#)\s*ok:\s*(.+)$")


def _semgrep(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    if not SEMGREP.exists():
        pytest.skip(f"{SEMGREP} is missing: run `make install-dev` to install Semgrep")
    environment = {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
    return subprocess.run(
        [str(SEMGREP), *map(str, arguments)],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        check=False,
    )


def _rules(language: str) -> dict[str, list[dict[str, Any]]]:
    """Return the rules of each category file of a language, by category."""
    return {
        path.stem: yaml.safe_load(path.read_text("utf-8"))["rules"]
        for path in sorted((RULES / language).glob("*.yaml"))
    }


def _rule_ids(language: str) -> set[str]:
    return {rule["id"] for rules in _rules(language).values() for rule in rules}


def _sentences(text: str) -> int:
    return len(SENTENCE_END.findall(" ".join(text.split())))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_category_has_a_rule_file(language: str) -> None:
    assert sorted(_rules(language)) == sorted(CWE_BY_CATEGORY)


@pytest.mark.parametrize("language", LANGUAGES)
def test_rules_pass_their_annotated_targets(language: str) -> None:
    # when
    completed = _semgrep("--test", "--json", *OFFLINE, "--config", RULES / language, TARGETS / language)

    # then
    report = json.loads(completed.stdout)
    checks = {
        rule_id: check
        for configuration in report["results"].values()
        for rule_id, check in configuration["checks"].items()
    }
    failures = {
        rule_id: check["matches"] or check["errors"]
        for rule_id, check in checks.items()
        if not check["passed"] or check["errors"]
    }
    without_positive_case = sorted(
        rule_id
        for rule_id, check in checks.items()
        if not any(match["expected_lines"] for match in check["matches"].values())
    )
    assert report["config_missing_tests"] == []
    assert report["config_with_errors"] == []
    assert failures == {}
    assert sorted(checks) == sorted(_rule_ids(language))
    assert without_positive_case == []
    assert completed.returncode == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_rule_has_a_clean_look_alike_in_its_target(language: str) -> None:
    annotated: set[str] = set()
    for target in (TARGETS / language).iterdir():
        for line in target.read_text("utf-8").splitlines():
            if match := OK_ANNOTATION.search(line.strip()):
                annotated.update(rule_id.strip() for rule_id in match.group(1).split(","))

    assert sorted(_rule_ids(language) - annotated) == []


@pytest.mark.parametrize("experimental", [False, True], ids=["python-cli", "native-cli"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_rules_validate(language: str, experimental: bool, tmp_path: Path) -> None:
    """Load the rules as a scan does: schema and pattern checks, with every error fatal (--strict).

    ``semgrep --validate`` also downloads the ``p/semgrep-rule-lints`` pack from the registry, which is
    out of reach offline; loading the rules for a scan of an empty directory runs the same schema and
    semgrep-core rule checks. The native CLI (``--experimental``) is the one the agent runs, and it
    parses YAML differently (no anchors), so both are checked.
    """
    # when
    completed = _semgrep(
        *(["--experimental"] if experimental else []),
        "--config",
        RULES / language,
        "--strict",
        "--json",
        *OFFLINE,
        "--no-git-ignore",
        tmp_path,
    )

    # then
    report = json.loads(completed.stdout)
    assert [error.get("message") for error in report["errors"]] == []
    assert report["results"] == []
    assert completed.returncode == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_rule_has_the_required_metadata(language: str) -> None:
    problems: list[str] = []
    for category, rules in _rules(language).items():
        for rule in rules:
            rule_id = rule["id"]
            metadata = rule.get("metadata", {})
            references = metadata.get("references", [])
            checks = {
                "id": re.fullmatch(rf"bastion\.{language}\.{category}(\.[a-z0-9]+(-[a-z0-9]+)*)?", rule_id),
                "languages": rule.get("languages") == RULE_LANGUAGES[language],
                "severity": rule.get("severity") in {"ERROR", "WARNING", "INFO"},
                "message": 1 <= _sentences(rule.get("message", "")) <= 2,
                "cwe": metadata.get("cwe") == [CWE_BY_CATEGORY[category]],
                "category": metadata.get("category") == "security",
                "confidence": metadata.get("confidence") in {"HIGH", "MEDIUM", "LOW"},
                "title": 0 < len(metadata.get("title", "")) < 80,
                "fix": 1 <= _sentences(metadata.get("fix", "")) <= 2,
                "references": 1 <= len(references) <= 2
                and all(re.fullmatch(r"https://\S+", reference) for reference in references),
            }
            problems.extend(f"{rule_id}: {name}" for name, passed in checks.items() if not passed)

    assert problems == []
