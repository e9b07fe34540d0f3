"""The shapes of a rule set: what a weakness says, a taint rule, a pattern rule, a language's set."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Pattern = dict[str, Any]
"""One Semgrep pattern object, exactly as it is written in YAML (``{"pattern": "eval(...)"}``)."""

Level = Literal["ERROR", "WARNING", "INFO"]
Certainty = Literal["HIGH", "MEDIUM", "LOW"]


@dataclass(frozen=True)
class Weakness:
    """What a rule reports: its CWE (the full "CWE-89: ..." title), title, message, fix and links."""

    cwe: str
    title: str
    message: str
    fix: str
    references: tuple[str, ...]
    severity: Level = "ERROR"
    confidence: Certainty = "HIGH"


@dataclass(frozen=True)
class TaintRule:
    """A data-flow rule: the language's sources reach one of ``sinks`` through no sanitiser.

    ``sources`` replaces the language's sources when given (a category whose input is not the
    request's, such as a cookie value); ``sanitizers`` and ``propagators`` add to the language's.
    """

    category: str
    weakness: Weakness
    sinks: tuple[Pattern, ...]
    sanitizers: tuple[Pattern, ...] = ()
    propagators: tuple[Pattern, ...] = ()
    sources: tuple[Pattern, ...] | None = None
    extra_sources: tuple[Pattern, ...] = ()
    name: str = ""
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PatternRule:
    """A rule that matches a shape of code (a cookie set without its flags), with no data flow."""

    category: str
    weakness: Weakness
    match: Pattern
    name: str = ""


Rule = TaintRule | PatternRule


@dataclass(frozen=True)
class RuleSet:
    """Every generated rule of one rules directory, with the taint vocabulary its rules share."""

    directory: str
    languages: tuple[str, ...]
    sources: tuple[Pattern, ...]
    sanitizers: tuple[Pattern, ...]
    propagators: tuple[Pattern, ...]
    rules: tuple[Rule, ...]
