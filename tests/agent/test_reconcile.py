"""Bandit beside the data-flow rules: unconfirmed results in the rules' categories are dropped."""

from __future__ import annotations

from bastion.agent.analysis.reconcile import reconcile
from bastion.contracts.analysis import Source, Vulnerability
from bastion.contracts.finding import Severity


def _result(source: Source, rule_id: str, cwe: str, line: int) -> Vulnerability:
    return Vulnerability(
        rule_id=rule_id, title="t", severity=Severity.HIGH, cwe=cwe, line_start=line, line_end=line,
        message="m", fix="f", source=source,
    )  # fmt: skip


def test_a_bandit_result_the_rules_do_not_confirm_is_dropped_and_a_confirmed_one_kept() -> None:
    shell = _result(Source.BANDIT, "bandit.B602", "CWE-78", 4)
    unconfirmed_sql = _result(Source.BANDIT, "bandit.B608", "CWE-89", 9)
    rule = _result(Source.SEMGREP, "bastion.python.command-injection", "CWE-78", 4)

    kept = reconcile([shell, unconfirmed_sql, rule], semgrep_ran=True)

    assert [(v.rule_id, v.line_start) for v in kept] == [
        ("bandit.B602", 4),
        ("bastion.python.command-injection", 4),
    ]


def test_a_confirmation_must_be_of_the_same_category_and_line() -> None:
    weak_hash = _result(Source.BANDIT, "bandit.B324", "CWE-327", 7)
    other_category = _result(Source.SEMGREP, "bastion.python.sql-injection", "CWE-89", 7)
    other_line = _result(Source.SEMGREP, "bastion.python.weak-hash", "CWE-328", 8)

    kept = reconcile([weak_hash, other_category, other_line], semgrep_ran=True)

    assert [v.rule_id for v in kept] == ["bastion.python.sql-injection", "bastion.python.weak-hash"]


def test_bandit_results_outside_the_rules_categories_stay() -> None:
    password = _result(Source.BANDIT, "bandit.B105", "CWE-259", 3)
    debug = _result(Source.BANDIT, "bandit.B201", "CWE-94", 12)

    assert reconcile([password, debug], semgrep_ran=True) == [password, debug]


def test_without_semgrep_every_bandit_result_stays() -> None:
    shell = _result(Source.BANDIT, "bandit.B602", "CWE-78", 4)
    randomness = _result(Source.BANDIT, "bandit.B311", "CWE-330", 5)

    assert reconcile([shell, randomness], semgrep_ran=False) == [shell, randomness]
