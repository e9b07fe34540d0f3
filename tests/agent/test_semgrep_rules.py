"""Bastion's own Semgrep rules: each passes its annotated test target, loads cleanly, and carries metadata.

Test targets live in ``semgrep_targets/<language>/<category>.<ext>`` (any extension, e.g. ``.js`` and
``.ts``), paired with ``rules/<language>/<category>.yaml`` by the name before the first dot. A
``ruleid: <id>`` comment says the next line must match that rule, an ``ok: <id>`` comment that it
must not: the check ``semgrep --test`` makes, here run on one scan per language by the native CLI.

Not ``semgrep --test`` itself (issue 9, item 18): it gives every rule on every file a 5-second
budget measured on the wall clock, which its ``--timeout`` does not change, in a pool of one Python
process per CPU. On a machine too busy to schedule it, a rule "timed out" on a file it matches in
milliseconds, and the test failed. The scan here has no per-rule timeout (``--timeout 0``), one job,
its own ``HOME``, and a copy of the targets outside the repository (the native CLI walks the whole
git project around a target otherwise).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from bastion.agent.engines.taint import generate

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
    "sql-injection": [
        "CWE-89: Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')"
    ],
    "command-injection": [
        "CWE-78: Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')"
    ],
    "code-injection": [
        "CWE-94: Improper Control of Generation of Code ('Code Injection')",
        "CWE-95: Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')",
    ],
    "insecure-deserialization": ["CWE-502: Deserialization of Untrusted Data"],
    "weak-cryptography": ["CWE-327: Use of a Broken or Risky Cryptographic Algorithm"],
    "weak-hash": ["CWE-328: Use of Weak Hash"],
    "insecure-randomness": ["CWE-330: Use of Insufficiently Random Values"],
    "hardcoded-secret": ["CWE-798: Use of Hard-coded Credentials"],
    "path-traversal": [
        "CWE-22: Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')"
    ],
    "ssrf": ["CWE-918: Server-Side Request Forgery (SSRF)"],
    "xss": ["CWE-79: Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')"],
    "insecure-tls": ["CWE-295: Improper Certificate Validation"],
    "ldap-injection": [
        "CWE-90: Improper Neutralization of Special Elements used in an LDAP Query ('LDAP Injection')"
    ],
    "xpath-injection": [
        "CWE-643: Improper Neutralization of Data within XPath Expressions ('XPath Injection')"
    ],
    "open-redirect": ["CWE-601: URL Redirection to Untrusted Site ('Open Redirect')"],
    "xxe": ["CWE-611: Improper Restriction of XML External Entity Reference"],
    "trust-boundary": ["CWE-501: Trust Boundary Violation"],
    "insecure-cookie": [
        "CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute",
        "CWE-1004: Sensitive Cookie Without 'HttpOnly' Flag",
    ],
}
# Every language has at least these categories; Python has every one.
COMMON_CATEGORIES = {
    "sql-injection", "command-injection", "path-traversal", "ssrf", "xss", "open-redirect",
    "insecure-randomness", "hardcoded-secret", "insecure-tls", "weak-cryptography",
}  # fmt: skip
# Semgrep stays offline: no metrics, no version check (it otherwise waits ~100 s on a DNS lookup).
OFFLINE = ("--metrics=off", "--disable-version-check")
SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z]|\s*$)")
OK_ANNOTATION = re.compile(r"(?://|#)\s*ok:\s*(.+)$")
ANNOTATION = re.compile(r"(?://|#) ?(?P<kind>ruleid|ok):(?P<rule_ids>.+)$")
# A scan frozen this long, now and then, is what a starved machine looks like to Semgrep's clock.
FROZEN_SECONDS = 5.5


def _semgrep(*arguments: str | Path, home: Path, starved: bool = False) -> subprocess.CompletedProcess[str]:
    """Run Semgrep with its own ``HOME``; ``starved`` freezes it ``FROZEN_SECONDS`` of every 0.5 s it runs."""
    if not SEMGREP.exists():
        pytest.skip(f"{SEMGREP} is missing: run `make install-dev` to install Semgrep")
    environment = {
        **os.environ,
        "HOME": str(home),
        "SEMGREP_ENABLE_VERSION_CHECK": "0",
        "SEMGREP_SEND_METRICS": "off",
    }
    process = subprocess.Popen(  # noqa: S603 - our Semgrep, an argument list
        [str(SEMGREP), *map(str, arguments)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        cwd=home,
        start_new_session=True,
    )
    finished = threading.Event()

    def starve() -> None:
        while not finished.wait(0.5):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGSTOP)
            time.sleep(FROZEN_SECONDS)  # the whole freeze, even if the scan was about to end
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGCONT)

    freezer = threading.Thread(target=starve, daemon=True)
    if starved:
        freezer.start()
    try:
        stdout, stderr = process.communicate(timeout=300)
    finally:
        finished.set()
        if starved:
            freezer.join()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


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


def _category(target: Path) -> str:
    return target.name.split(".", 1)[0]


def _checks(language: str, tmp_path: Path, *, starved: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """Scan a copy of the language's targets with its rules; return per rule and target file the
    annotated and the reported lines, and the scan's report."""
    targets = tmp_path / "targets"
    shutil.copytree(TARGETS / language, targets)
    home = tmp_path / "home"
    home.mkdir()
    completed = _semgrep(
        "--experimental", "--json", *OFFLINE, "--no-git-ignore", "--timeout", "0", "--jobs", "1",
        "--config", RULES / language, targets,
        home=home, starved=starved,
    )  # fmt: skip
    report = json.loads(completed.stdout)
    category_of = {rule["id"]: category for category, rules in _rules(language).items() for rule in rules}
    expected: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for target in sorted(targets.iterdir()):
        for number, line in enumerate(target.read_text("utf-8").split("\n"), start=1):
            if (match := ANNOTATION.search(line)) and match["kind"] == "ruleid":
                for rule_id in filter(None, (part.strip() for part in match["rule_ids"].split(","))):
                    expected[rule_id][target.name].add(number + 1)  # the line below the comment
    reported: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for result in report["results"]:
        target = Path(result["path"])
        # As semgrep --test: a rule file is checked against the targets of its own category only.
        if category_of.get(result["check_id"]) == _category(target):
            reported[result["check_id"]][target.name].add(int(result["start"]["line"]))
    checks = {
        rule_id: {
            name: {"expected": sorted(expected[rule_id][name]), "reported": sorted(reported[rule_id][name])}
            for name in sorted(set(expected[rule_id]) | set(reported[rule_id]))
        }
        for rule_id in set(expected) | set(reported) | set(category_of)
    }
    report["missing_targets"] = sorted(
        category
        for category in _rules(language)
        if not any(_category(t) == category for t in targets.iterdir())
    )
    return checks, report


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_category_has_a_rule_file(language: str) -> None:
    expected = set(CWE_BY_CATEGORY) if language == "python" else COMMON_CATEGORIES
    assert sorted(expected - set(_rules(language))) == []
    assert sorted(set(_rules(language)) - set(CWE_BY_CATEGORY)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_rules_pass_their_annotated_targets(language: str, tmp_path: Path) -> None:
    # when
    checks, report = _checks(language, tmp_path)

    # then: every rule has a target, reports exactly its ruleid: lines, and has at least one
    failures = {
        rule_id: files
        for rule_id, files in checks.items()
        if any(lines["expected"] != lines["reported"] for lines in files.values())
    }
    assert report["missing_targets"] == []
    assert report["errors"] == []
    assert failures == {}
    assert sorted(checks) == sorted(_rule_ids(language))
    assert sorted(rule_id for rule_id, files in checks.items() if not files) == []


def test_item_18_the_rules_pass_their_targets_on_a_starved_machine(tmp_path: Path) -> None:
    """A scan frozen for longer than Semgrep's default per-rule budget, over and over, still passes."""
    # when: JavaScript and TypeScript, the heaviest targets, frozen 5.5 s of every 0.5 s of running
    checks, report = _checks("javascript", tmp_path, starved=True)

    # then
    assert report["errors"] == []
    assert {
        rule_id: files
        for rule_id, files in checks.items()
        if any(lines["expected"] != lines["reported"] for lines in files.values())
    } == {}
    assert sorted(checks) == sorted(_rule_ids("javascript"))


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
    home = tmp_path / "home"
    home.mkdir()
    empty = tmp_path / "empty"
    empty.mkdir()
    completed = _semgrep(
        *(["--experimental"] if experimental else []),
        "--config",
        RULES / language,
        "--strict",
        "--json",
        *OFFLINE,
        "--no-git-ignore",
        empty,
        home=home,
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
                "cwe": len(metadata.get("cwe", [])) == 1 and metadata["cwe"][0] in CWE_BY_CATEGORY[category],
                "category": metadata.get("category") == "security",
                "confidence": metadata.get("confidence") in {"HIGH", "MEDIUM", "LOW"},
                "title": 0 < len(metadata.get("title", "")) < 80,
                "fix": 1 <= _sentences(metadata.get("fix", "")) <= 2,
                "references": 1 <= len(references) <= 2
                and all(re.fullmatch(r"https://\S+", reference) for reference in references),
            }
            problems.extend(f"{rule_id}: {name}" for name, passed in checks.items() if not passed)

    assert problems == []


def test_the_generated_rule_files_are_what_their_rule_sets_render() -> None:
    # when
    outdated = generate.stale()

    # then: `python -m bastion.agent.engines.taint.generate` was run after the last change
    assert [str(path.relative_to(RULES)) for path in outdated] == []
