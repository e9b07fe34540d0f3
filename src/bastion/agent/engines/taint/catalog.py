"""Every generated rule set, with the module that declares it."""

from __future__ import annotations

from bastion.agent.engines.taint import go, java, javascript, python_injection, python_sources, python_web
from bastion.agent.engines.taint.model import RuleSet

PYTHON = RuleSet(
    directory="python",
    languages=("python",),
    sources=python_sources.SOURCES,
    sanitizers=python_sources.SANITIZERS,
    propagators=python_sources.PROPAGATORS,
    rules=python_injection.RULES + python_web.RULES,
)

RULESETS: tuple[tuple[RuleSet, str], ...] = (
    (PYTHON, "taint/python_injection.py and taint/python_web.py"),
    (javascript.RULESET, "taint/javascript.py"),
    (java.RULESET, "taint/java_sources.py and taint/java.py"),
    (go.RULESET, "taint/go.py"),
)
