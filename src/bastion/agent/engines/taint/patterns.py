"""The pattern builders every language's rules share: Semgrep pattern objects written once.

Each builder returns the plain dictionary Semgrep reads, so a rule module reads as data and the
generated YAML stays exactly what the module spells out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bastion.agent.engines.taint.model import Certainty, Level, Pattern, TaintRule, Weakness
from bastion.agent.engines.taint.weaknesses import CWE_TITLES, reference

OWASP = "https://cheatsheetseries.owasp.org/cheatsheets"
# Numbers, booleans and values Semgrep can fold to a constant carry no one's text.
SAFE_VALUE_OPTIONS: dict[str, Any] = {
    "symbolic_propagation": True,
    "taint_assume_safe_numbers": True,
    "taint_assume_safe_booleans": True,
}
# Names that say a value is a secret: a token, password, key, code, session id.
SENSITIVE_NAME = (
    r"(?:(?i:.*(token|secret|passw|pwd|passphrase|nonce|salt|csrf|xsrf|session_?id|sess_?id|api_?key|apikey"
    r"|private_?key|secret_?key|signing_?key|auth_?code|verification|verify_?code|activation"
    r"|reset_?(code|link|key|hash)|invite_?code|invitation|recovery|credential|one_?time|mfa|2fa"
    r"|two_?factor|magic_?link|jwt|otp_|_otp))|.*(^|_)(?i:key|keys|pin|code|otp|salt|nonce)$"
    r"|.*[a-z0-9](Key|Keys|Pin|PIN|Code|Otp|OTP|Salt|Nonce)$|^(KEY|PIN|CODE|OTP)$|.*_(KEY|PIN|CODE|OTP)$)"
)
# Cookie names or values that say the cookie carries a session or a credential.
SECURITY_COOKIE = (
    r"(?i).*(sess|sid|token|auth|remember|jwt|login|csrf|xsrf|credential|secret|api_?key|access|refresh)"
)


def either(*patterns: str) -> Pattern:
    """Return a pattern matching any of ``patterns``."""
    return {"pattern-either": [{"pattern": pattern} for pattern in patterns]}


def regex(metavariable: str, expression: str) -> Pattern:
    """Return a condition on the text a metavariable binds (Semgrep anchors it at the start)."""
    return {"metavariable-regex": {"metavariable": metavariable, "regex": expression}}


def inside(*blocks: str) -> Pattern:
    """Return a condition that the match lies inside any of ``blocks``."""
    return {"pattern-either": [{"pattern-inside": block} for block in blocks]}


def _one_of(patterns: Sequence[str | Pattern]) -> Pattern:
    """Return the one pattern (a string or a pattern object) or, for several strings, any of them."""
    texts = [pattern for pattern in patterns if isinstance(pattern, str)]
    objects = [pattern for pattern in patterns if not isinstance(pattern, str)]
    if objects:
        if len(patterns) > 1:
            raise TypeError("expected one pattern object, or any number of pattern strings")
        return objects[0]
    return {"pattern": texts[0]} if len(texts) == 1 else either(*texts)


def focus(
    metavariable: str,
    *patterns: str | Pattern,
    where: Iterable[Pattern] = (),
    regexes: Mapping[str, str] | None = None,
) -> Pattern:
    """Return any of ``patterns``, under ``where`` and the ``regexes``, focused on one metavariable."""
    conditions = [regex(name, expression) for name, expression in (regexes or {}).items()]
    return {"patterns": [_one_of(patterns), *where, *conditions, {"focus-metavariable": metavariable}]}


def propagator(pattern: str) -> Pattern:
    """Return a propagator: taint flows from ``$FROM`` into ``$TO`` where ``pattern`` matches."""
    return {"pattern": pattern, "from": "$FROM", "to": "$TO"}


def checked(pattern: Pattern) -> Pattern:
    """Return ``pattern`` as a sanitiser that cleans its match from then on, whichever branch follows."""
    return pattern | {"by-side-effect": True}


def weakness(
    cwe: int,
    title: str,
    message: str,
    fix: str,
    link: str,
    *,
    severity: Level = "ERROR",
    confidence: Certainty = "HIGH",
) -> Weakness:
    """Return a weakness with its CWE title and the MITRE page first in its references."""
    return Weakness(
        cwe=CWE_TITLES[cwe],
        title=title,
        message=message,
        fix=fix,
        references=(reference(cwe), link),
        severity=severity,
        confidence=confidence,
    )


def taint(
    category: str, weakness: Weakness, sinks: tuple[Pattern, ...], sanitizers: tuple[Pattern, ...] = ()
) -> TaintRule:
    """Return a taint rule that treats numbers, booleans and folded constants as safe."""
    return TaintRule(
        category=category,
        weakness=weakness,
        sinks=sinks,
        sanitizers=sanitizers,
        options=SAFE_VALUE_OPTIONS,
    )


def host_checked(
    parses: Sequence[str],
    tests: Sequence[str],
    parse_calls: Sequence[str],
    member: tuple[str, str],
    checks: Sequence[str],
) -> tuple[Pattern, Pattern]:
    """Return by-side-effect sanitisers for a URL parsed by one of ``parses`` whose host is then checked.

    The parsed ``$URL`` counts as checked where one of ``checks`` is seen. The ``$TEXT`` it was parsed
    from (by one of ``parse_calls``) counts as checked from the parse on when one of ``tests`` follows,
    an ``if`` on the URL's ``member``: a metavariable and the regex of the names it may bind.
    """
    metavariable, names = member
    parsed = {
        "by-side-effect": True,
        "patterns": [
            inside(*(f"{parse}\n...\n" for parse in parses)),
            either(*checks),
            {"focus-metavariable": "$URL"},
        ],
    }
    text = {
        "by-side-effect": True,
        "patterns": [
            inside(*(f"{parse}\n...\n{test}\n" for parse in parses for test in tests)),
            _one_of(parse_calls),
            regex(metavariable, f"^({names})$"),
            {"focus-metavariable": "$TEXT"},
        ],
    }
    return parsed, text
