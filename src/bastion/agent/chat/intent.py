"""Read what the user asked for, from the user's own words only, into tool calls.

The plan decides which tools run before any model is asked (and all of them when there is
no model), and whether the user asked for a change at all: only then may a tool that
proposes a change run, whoever (or whatever text in the data) asks for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bastion.contracts.finding import Severity
from bastion.core.findings.choices import Status

FINDING_REF = re.compile(r"(?:#|\bfindings?\s+(?:#|no\.?\s*)?)(\d{1,12})\b", re.IGNORECASE)
CWE = re.compile(r"\bCWE[-\s]?(\d{1,5})\b", re.IGNORECASE)
ADVISORY = re.compile(r"\b(CVE-\d{4}-\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3})\b", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
QUOTED = re.compile(r"[\"“']([^\"”']{2,100})[\"”']")
SEVERITY_WORDS: dict[str, Severity] = {severity.value: severity for severity in Severity}
#: A status by its names (``in_progress``, "in progress", "in-progress") and everyday words.
STATUS_WORDS: dict[str, Status] = {
    **{
        word: status
        for status in Status
        for word in (
            status.value,
            status.value.replace("_", " "),
            status.value.replace("_", "-"),
            str(status.label).lower(),
        )
    },
    "fixed": Status.RESOLVED,
    "closed": Status.RESOLVED,
    "accepted": Status.RISK_ACCEPTED,
}
#: In a change request, the verbs that name their status too ("reopen #3", "triage #4").
CHANGE_WORDS: dict[str, Status] = {**STATUS_WORDS, "reopen": Status.REOPENED, "triage": Status.TRIAGED}


def _phrases(words: dict[str, Status]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


STATUS_PHRASE = _phrases(STATUS_WORDS)
CHANGE_PHRASE = _phrases(CHANGE_WORDS)
# "as" or "to" before the status the user wants: "mark #3 as triaged", "set #3 to the in progress state"
TARGET = re.compile(r"\b(?:as|to)\s+(?:the\s+|a\s+)?(?:status\s+|state\s+)?[\"“']?([a-z][\w-]*)")
STATUS_NAMES = ", ".join(status.value for status in Status)
CHANGE_VERBS = re.compile(
    r"\b(mark|set|change|move|close|resolve|reopen|confirm|flag|assign|reassign|triage)\b", re.IGNORECASE
)
EXPLAIN = re.compile(
    r"\b(explain|what is|what's|tell me about|describe|how (?:do|can|should) i fix|fix for)\b", re.I
)
SUMMARY = re.compile(
    r"\b(summar\w*|overview|posture|status of|state of|how (?:is|are) .* doing)\b", re.IGNORECASE
)
# "progress", but not the status "in progress"
TRENDS = re.compile(
    r"\b(trends?|over time|per week|weekly|(?<!in[ -])progress|velocity|mttr|time to (?:resolve|fix))\b", re.I
)
SLA = re.compile(r"\b(sla|overdue|breach\w*|past due|deadline)\b", re.IGNORECASE)
LAST_IMPORT = re.compile(
    r"\b(last|latest|recent|previous) (?:import|scan|upload)\b|\bwhat changed\b", re.IGNORECASE
)


@dataclass
class Plan:
    """The tools to run, with their arguments, and whether the user asked for a change."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    asks_for_change: bool = False
    refusal: str = ""  # what the user asked for cannot be done: said instead of running anything


def _mentioned(text: str, names: list[str]) -> str:
    lowered = text.lower()
    for name in sorted(names, key=len, reverse=True):
        if len(name) >= 3 and re.search(rf"(?<![\w-]){re.escape(name.lower())}(?![\w-])", lowered):
            return name
    return ""


def _target_status(lowered: str) -> tuple[Status | None, str]:
    """Return the status a change request names, or why there is none."""
    target = TARGET.search(lowered)
    if target:
        after = CHANGE_PHRASE.match(lowered, target.start(1))
        if after:
            return CHANGE_WORDS[after.group(1)], ""
    anywhere = CHANGE_PHRASE.search(lowered)
    if anywhere:
        return CHANGE_WORDS[anywhere.group(1)], ""
    if re.search(r"\b(close|resolve)\b", lowered):
        return Status.RESOLVED, ""
    if target:
        return None, f"there is no status “{target.group(1)}”: a finding's status is one of {STATUS_NAMES}"
    return None, f"say which status the findings should have: one of {STATUS_NAMES}"


def plan(
    message: str,
    *,
    asset_names: list[str],
    engagement_names: list[str],
    subject_finding_id: int | None = None,
) -> Plan:
    """Turn the user's message into tool calls.

    ``subject_finding_id`` is the finding the question is asked about (from its page): a change
    request naming no finding is about it, and so is a question that names no other criterion.
    """
    text = " ".join(message.split())
    lowered = text.lower()
    result = Plan()
    finding_ids = [int(match) for match in FINDING_REF.findall(text)][:50]
    if not finding_ids and subject_finding_id is not None and CHANGE_VERBS.search(text):
        finding_ids = [subject_finding_id]
    asset = _mentioned(text, asset_names)
    engagement = _mentioned(text, engagement_names)

    if finding_ids and CHANGE_VERBS.search(text):
        result.asks_for_change = True
        email = EMAIL.search(text)
        if re.search(r"\b(re)?assign", lowered):
            if email:
                result.calls.append(
                    ("propose_assignment", {"finding_ids": finding_ids, "assignee_email": email.group(0)})
                )
            else:
                result.refusal = "say whom to assign the findings to by their email address"
        else:
            target, refusal = _target_status(lowered)
            if target is not None:
                result.calls.append(
                    (
                        "propose_status_change",
                        {"finding_ids": finding_ids, "status": target.value, "reason": text[:500]},
                    )
                )
            result.refusal = refusal
        return result
    if finding_ids:
        result.calls += [("explain_finding", {"finding_id": finding_id}) for finding_id in finding_ids[:5]]
        return result
    if SUMMARY.search(text):
        if engagement and "engagement" in lowered:
            result.calls.append(("summarize", {"scope": "engagement", "name": engagement}))
        elif asset:
            result.calls.append(("summarize", {"scope": "asset", "name": asset}))
        else:
            result.calls.append(("summarize", {"scope": "organization"}))
    if TRENDS.search(text):
        result.calls.append(("trends", {}))
    if SLA.search(text):
        result.calls.append(("sla_breaches", {}))
    if LAST_IMPORT.search(text):
        result.calls.append(("last_import", {"asset": asset}))
    if result.calls:
        return result

    search: dict[str, Any] = {}
    severities = [
        severity.value for word, severity in SEVERITY_WORDS.items() if re.search(rf"\b{word}\b", lowered)
    ]
    if severities:
        search["severity"] = severities
    named = {STATUS_WORDS[match.group(1)] for match in STATUS_PHRASE.finditer(lowered)}
    if named:
        search["status"] = [status.value for status in Status if status in named]
    if asset:
        search["asset"] = asset
    cwe = CWE.search(text)
    if cwe:
        search["cwe"] = int(cwe.group(1))
    advisory = ADVISORY.search(text)
    if advisory:
        search["advisory"] = advisory.group(1)
    quoted = QUOTED.search(text)
    about = re.search(r"\b(?:about|matching|mentioning|related to|containing)\s+([\w.-]{3,60})", text, re.I)
    if quoted:
        search["text"] = quoted.group(1)
    elif about and not cwe and not advisory:
        search["text"] = about.group(1)
    elif cwe and EXPLAIN.search(text):
        search["text"] = ""
    if not search and subject_finding_id is not None:  # "how do I fix it?" on a finding's page
        result.calls.append(("explain_finding", {"finding_id": subject_finding_id}))
        return result
    result.calls.append(("search_findings", search))
    return result
