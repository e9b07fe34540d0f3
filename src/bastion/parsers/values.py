"""Values read from a tool's fields: severities, scores, CVSS vectors, ids, numbers, packages.

Each function takes what a report wrote (a word, a number as text, a vector, a
purl...) and returns Bastion's value, or None (or the given default) when the
field does not hold one: a bad value in one field never refuses a report.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from urllib.parse import unquote

from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError

from bastion.contracts.finding import Severity

__all__ = [
    "CVE_PATTERN",
    "CWE_PATTERN",
    "GHSA_PATTERN",
    "HARD_CODED_CREDENTIALS",
    "HARD_CODED_CREDENTIALS_FIX",
    "SEVERITY_WORDS",
    "advisory_ids",
    "as_int",
    "cpe_product",
    "cvss3",
    "cvss4",
    "cwe_ids",
    "line_number",
    "purl_name_version",
    "score",
    "severity_from_score",
    "severity_from_word",
    "text",
]

CVE_PATTERN = re.compile(r"\bCVE-\d{4}-\d{4,}\b", re.IGNORECASE)
GHSA_PATTERN = re.compile(r"\bGHSA(?:-[23456789cfghjmpqrvwx]{4}){3}\b", re.IGNORECASE)
# Either id in one pass (a report may hold hundreds of thousands of texts to search).
_CVE_LOWER = re.compile(r"cve-\d{4}-\d{4,}\b")
_GHSA_LOWER = re.compile(r"ghsa(?:-[23456789cfghjmpqrvwx]{4}){3}\b")
# In free text a CWE needs its prefix: "CWE-79", "cwe_79", "CWE:79", "CWE #79".
CWE_PATTERN = re.compile(r"\bCWE\s?[-_:#/ ]?\s?(\d{1,5})\b", re.IGNORECASE)

SEVERITY_WORDS: Mapping[str, Severity] = {
    "critical": Severity.CRITICAL,
    "crit": Severity.CRITICAL,
    "very high": Severity.CRITICAL,
    "high": Severity.HIGH,
    "error": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "moderate": Severity.MEDIUM,
    "med": Severity.MEDIUM,
    "warning": Severity.MEDIUM,
    "low": Severity.LOW,
    "minor": Severity.LOW,
    "note": Severity.LOW,
    "info": Severity.INFO,
    "informational": Severity.INFO,
    "information": Severity.INFO,
    "none": Severity.INFO,
    "negligible": Severity.INFO,
    "unknown": Severity.INFO,
}

# CWE-798, Use of Hard-coded Credentials: what every secret scanner reports.
HARD_CODED_CREDENTIALS = 798
HARD_CODED_CREDENTIALS_FIX = (
    "Revoke and rotate the secret, remove it from the code and the repository's history, "
    "and load it from a secret store at run time."
)


def severity_from_word(value: object, default: Severity = Severity.INFO) -> Severity:
    """Map a tool's severity word (``High``, ``MODERATE``, ``warning``...) onto Bastion's."""
    if value is None:
        return default
    return SEVERITY_WORDS.get(str(value).strip().lower(), default)


def severity_from_score(score: float | None, default: Severity = Severity.INFO) -> Severity:
    """Map a CVSS base score onto a severity, as CVSS v3 rates it."""
    if score is None:
        return default
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    if score > 0.0:
        return Severity.LOW
    return Severity.INFO


def cwe_ids(values: Iterable[object]) -> tuple[int, ...]:
    """Return the CWE numbers in ``values``, deduplicated, in order.

    An int or a string of digits is a CWE number; in any other text a number counts
    only with its prefix ("CWE-79", "cwe_79", "CWE:79"), so other numbers in a
    message or a title are not taken for CWEs.
    """
    found: dict[int, None] = {}
    for value in values:
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, int):
            numbers = [value]
        elif str(value).strip().isdigit():
            numbers = [int(str(value).strip())]
        else:
            numbers = [int(match) for match in CWE_PATTERN.findall(str(value))]
        found.update((number, None) for number in numbers if 0 < number < 100_000)
    return tuple(found)


def advisory_ids(values: Iterable[object]) -> tuple[str, ...]:
    """Return CVE and GHSA ids found in ``values``, upper-cased, deduplicated, in order."""
    # One search of all the texts (a report may give a finding dozens of short ones), lower-cased:
    # a pattern that starts with a literal is searched for several times faster than one that
    # ignores case; the word boundary before it is checked by hand, for the same reason.
    lowered = "\n".join(str(value) for value in values if value).lower()
    matches: list[tuple[int, str]] = []
    for pattern in (_CVE_LOWER, _GHSA_LOWER):
        for match in pattern.finditer(lowered):
            start = match.start()
            if start and (lowered[start - 1].isalnum() or lowered[start - 1] == "_"):
                continue  # inside a word, as "xcve-2020-1234"
            matches.append((start, match.group()))
    found: dict[str, None] = {}
    for _start, advisory in sorted(matches):
        found[advisory.upper() if advisory.startswith("cve") else "GHSA" + advisory[4:]] = None
    return tuple(found)


def cvss3(vector: str | None) -> tuple[str | None, float | None]:
    """Return a CVSS v3 vector, cleaned, and its base score; (None, None) if invalid."""
    return _cvss(CVSS3, vector)


def cvss4(vector: str | None) -> tuple[str | None, float | None]:
    """Return a CVSS v4 vector, cleaned, and its base score; (None, None) if invalid."""
    return _cvss(CVSS4, vector)


def _cvss(kind: type[CVSS3 | CVSS4], vector: str | None) -> tuple[str | None, float | None]:
    if not vector:
        return None, None
    return _scored(kind is CVSS4, vector)


# A report repeats a few hundred vectors over and over; scoring one takes some 300 µs.
@functools.lru_cache(maxsize=4096)
def _scored(version4: bool, vector: str) -> tuple[str | None, float | None]:
    try:
        parsed = (CVSS4 if version4 else CVSS3)(vector.strip())
    except (CVSSError, ValueError, KeyError):
        return None, None
    return parsed.clean_vector(), float(parsed.base_score)


def score(value: object) -> float | None:
    """Return a score from 0 to 10 given as a number or a string, else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if 0.0 <= number <= 10.0 else None


def text(value: object) -> str | None:
    """Return a scalar as stripped text, None when it is absent, empty or not a scalar."""
    if type(value) is str:  # the usual case, first: called millions of times a report
        return value.strip() or None
    if value is None or isinstance(value, dict | list):
        return None
    return str(value).strip() or None


def as_int(value: object) -> int | None:
    """Return ``value`` as an int when it is one (or a numeric string), else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def line_number(value: object) -> int | None:
    """Return a line number (1 or more), else None: tools write 0 or -1 for "no line"."""
    number = as_int(value)
    return number if number is not None and number > 0 else None


def purl_name_version(purl: str) -> tuple[str | None, str | None]:
    """Return a purl's package name (an npm scope kept) and version."""
    body = purl.removeprefix("pkg:").split("#", 1)[0].split("?", 1)[0]
    kind, _, rest = body.partition("/")
    path, at, version = rest.rpartition("@")
    if not at or not path or path.endswith("/"):  # that "@" opened an npm scope
        path, version = rest, ""
    segments = [unquote(segment) for segment in path.split("/") if segment]
    if not segments:
        return None, unquote(version) or None
    name = segments[-1]
    if kind == "npm" and len(segments) >= 2 and segments[-2].startswith("@"):
        name = f"{segments[-2]}/{name}"
    return name, unquote(version) or None


def cpe_product(cpe: str) -> tuple[str | None, str | None]:
    """Return the product and version of a CPE 2.2 (``cpe:/a:ietf:md5``) or 2.3 name.

    ``(None, None)`` when ``cpe`` is not a CPE with a product.
    """
    tokens = cpe.split()  # some tools list several CPEs: the first names the product
    parts = tokens[0].split(":") if tokens else []
    if len(parts) < 4 or parts[0].lower() != "cpe":
        return None, None
    offset = 1 if parts[1] == "2.3" else 0  # cpe:2.3:a:vendor:product:version
    product = parts[offset + 3] if len(parts) > offset + 3 else ""
    version = parts[offset + 4] if len(parts) > offset + 4 else ""
    return product or None, version if version not in ("", "*", "-") else None
