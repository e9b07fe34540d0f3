"""Bandit beside the data-flow rules: where a rule follows the data, Bandit's unconfirmed guess is dropped.

Bandit answers "is this call dangerous?" without asking where its argument comes from: it flags
every formatted SQL string, every ``subprocess`` call and every ``random`` call. For the categories
Bastion's Semgrep rules decide with a data-flow or usage question (is the value the user's, is it
sanitised, is the random value a secret, is the hash a password's), those rules are authoritative:
a Bandit result they do not confirm on the same line (the same category's CWE) is dropped.
Everything else Bandit finds (hard-coded passwords, disabled TLS checks, debug mode, binding to
every interface, …) is kept as it is. When Semgrep did not run, Bandit's results are all kept.
"""

from __future__ import annotations

import re

from bastion.contracts.analysis import Source, Vulnerability

# Bandit's tests whose question the rules answer, with the CWEs of the category that answers it.
SUPERSEDED: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(("B608", "B610", "B611"), (89,)),
    **dict.fromkeys(("B602", "B603", "B604", "B605", "B606", "B607", "B609"), (78,)),
    **dict.fromkeys(("B102", "B307"), (94, 95)),
    **dict.fromkeys(("B301", "B302", "B506", "B614"), (502,)),
    "B310": (918, 22),
    **dict.fromkeys(("B313", "B314", "B315", "B316", "B317", "B318", "B319", "B320"), (611,)),
    **dict.fromkeys(("B308", "B703", "B704"), (79,)),
    "B311": (330,),
    **dict.fromkeys(("B303", "B324"), (328, 327)),
}
CWE_NUMBER = re.compile(r"^CWE-(\d+)$")


def reconcile(vulnerabilities: list[Vulnerability], *, semgrep_ran: bool) -> list[Vulnerability]:
    """Drop Bandit's results in the rules' categories that the rules do not confirm."""
    if not semgrep_ran:
        return vulnerabilities
    confirmed = {
        (line, _number(v.cwe))
        for v in vulnerabilities
        if v.source is Source.SEMGREP
        for line in range(v.line_start, v.line_end + 1)
    }
    kept = []
    for vulnerability in vulnerabilities:
        test = vulnerability.rule_id.removeprefix("bandit.")
        if vulnerability.source is Source.BANDIT and test in SUPERSEDED:
            lines = range(vulnerability.line_start, vulnerability.line_end + 1)
            if not any((line, cwe) in confirmed for line in lines for cwe in SUPERSEDED[test]):
                continue
        kept.append(vulnerability)
    return kept


def _number(cwe: str | None) -> int | None:
    match = CWE_NUMBER.match(cwe or "")
    return int(match[1]) if match else None
