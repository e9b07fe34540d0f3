"""The risk score and the recommendations: computed from the results, never by a model.

Each vulnerability weighs ``w = severity × confidence``, with severity critical 10, high 7,
medium 4, low 1.5, info 0 and confidence high 1.0, medium 0.8, low 0.5 (a model's own
finding is low). The score is ``10 × (1 − Π(1 − w/10))``, rounded to one decimal: nothing
found is 0, one high-confidence high is 7, two are 9.1, a critical is 10, and no number of
weak results adds up past 10. A model's "likely false positive" flag is shown but does not
lower the score: text planted in the analysed code could talk a model into flagging
everything.
"""

from __future__ import annotations

from collections import defaultdict

from bastion.agent.knowledge.cwe import cwe_number, weakness
from bastion.contracts.analysis import Confidence, EngineRun, Vulnerability
from bastion.contracts.finding import Severity

SEVERITY_WEIGHTS = {
    Severity.CRITICAL: 10.0,
    Severity.HIGH: 7.0,
    Severity.MEDIUM: 4.0,
    Severity.LOW: 1.5,
    Severity.INFO: 0.0,
}
CONFIDENCE_FACTORS = {Confidence.HIGH: 1.0, Confidence.MEDIUM: 0.8, Confidence.LOW: 0.5}
MAX_RECOMMENDATIONS = 10


def weight(vulnerability: Vulnerability) -> float:
    """Return one vulnerability's weight on the 0–10 scale."""
    return SEVERITY_WEIGHTS[vulnerability.severity] * CONFIDENCE_FACTORS[vulnerability.confidence]


def risk_score(vulnerabilities: list[Vulnerability]) -> float:
    """Combine the weights: ``10 × (1 − Π(1 − w/10))``."""
    remaining = 1.0
    for vulnerability in vulnerabilities:
        remaining *= 1.0 - weight(vulnerability) / 10.0
    return round(10.0 * (1.0 - remaining), 1)


def recommendations(vulnerabilities: list[Vulnerability], engines: list[EngineRun]) -> list[str]:
    """One line per weakness, worst first, with the lines it is on; then the engines that failed."""
    by_kind: dict[str, list[Vulnerability]] = defaultdict(list)
    for vulnerability in vulnerabilities:
        by_kind[vulnerability.cwe or vulnerability.rule_id].append(vulnerability)
    ordered = sorted(
        by_kind.items(),
        key=lambda item: (-max(weight(v) for v in item[1]), min(v.line_start for v in item[1])),
    )
    lines = []
    for kind, group in ordered[:MAX_RECOMMENDATIONS]:
        entry = weakness(cwe_number(group[0].cwe))
        name = f"{kind} {entry.name}" if entry else group[0].title
        places = ", ".join(str(line) for line in sorted({v.line_start for v in group}))
        noun = "line" if "," not in places else "lines"
        fix = entry.fix if entry else group[0].fix
        lines.append(f"{name} ({noun} {places}): {fix}")
    if not vulnerabilities:
        lines.append(
            "No vulnerability found by the engines. They do not prove the absence of flaws: review "
            "authentication, authorisation and business logic by hand."
        )
    for run in engines:
        if run.error:
            lines.append(f"{run.name} did not run ({run.error}): the results may be incomplete.")
    return lines
