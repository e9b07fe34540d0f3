"""Synthetic reports for benchmarks and crash tests: realistic shape, any size, streamed to disk."""

from __future__ import annotations

import random
from pathlib import Path

import orjson

RULES = [
    ("py.sql-injection", "error", 89),
    ("py.command-injection", "error", 78),
    ("py.path-traversal", "warning", 22),
    ("py.weak-hash", "warning", 328),
    ("py.insecure-random", "note", 330),
    ("py.hardcoded-secret", "error", 798),
]


def write_sarif(path: Path, findings: int, *, seed: int = 7, tool: str = "benchscan", first: int = 0) -> Path:
    """Write a SARIF 2.1.0 report of ``findings`` results, each with its own fingerprint
    (numbered from ``first``: reports with the same numbers report the same findings)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    rules = [
        {
            "id": rule_id,
            "name": rule_id,
            "shortDescription": {"text": f"Rule {rule_id}"},
            "defaultConfiguration": {"level": level},
            "properties": {"tags": ["security", f"external/cwe/cwe-{cwe}"]},
        }
        for rule_id, level, cwe in RULES
    ]
    head = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": tool, "version": "1.0.0", "rules": rules}}, "results": []}],
    }
    prefix, suffix = orjson.dumps(head).split(b'"results":[]')
    with path.open("wb") as out:
        out.write(prefix + b'"results":[')
        for n in range(first, first + findings):
            rule_index = rng.randrange(len(RULES))
            rule_id, level, _cwe = RULES[rule_index]
            result = {
                "ruleId": rule_id,
                "ruleIndex": rule_index,
                "level": level,
                "message": {"text": f"{rule_id} reaches a sink in handler {n % 997}"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": f"src/service_{n % 503}/module_{n % 4999}.py"},
                            "region": {"startLine": n % 800 + 1, "endLine": n % 800 + 3},
                        }
                    }
                ],
                "partialFingerprints": {"primaryLocationLineHash": f"{n:016x}:1"},
            }
            out.write((b"," if n > first else b"") + orjson.dumps(result))
        out.write(b"]" + suffix)
    return path
