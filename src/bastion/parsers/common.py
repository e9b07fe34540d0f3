"""Helpers parsers share: streaming JSON, XML and CSV readers, grouping, values.

Every reader streams: memory follows the largest record, never the report. Every
damage they meet is a :class:`MalformedReport` naming where, with one convention for
positions across the package:

* a record in a structured document by its path, with zero-based indexes:
  ``results[3]``, ``runs[0].results[12]``, ``ReportHost[2].ReportItem[0]``; an
  entry of a JSON object by its key, ``advisories[1234]``; the document itself
  as ``top level``;
* a line of a line-oriented report (CSV, JSON Lines) by its one-based number, as
  editors show it: ``line 4``; an XML syntax error by its line and column;
* a syntax error found by a whole-document JSON read by its byte offset: ``byte 812``;
* a finding the registry could not build by its zero-based place: ``finding[0]``.

docs/formats/README.md says the same for users, with the grouping convention
(:class:`FindingGroups`).

The readers live in private modules beside this one (``_streams``, ``_json``,
``_xml``, ``_csv``); parsers import them from here, as ``common.iter_json``...
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError

from bastion.contracts.finding import MAX_TEXT, MAX_TITLE, NormalizedFinding, Severity
from bastion.parsers._csv import csv_header, iter_csv, iter_csv_records
from bastion.parsers._json import (
    JsonReader,
    JsonRecord,
    as_mapping,
    check_depth,
    depth_checked,
    expect_list,
    expect_mapping,
    iter_json,
    iter_json_lines,
    load_json,
    not_a_report,
    read_values,
)
from bastion.parsers._streams import (
    EMPTY_REPORT,
    MAX_DEPTH,
    first_byte,
    head_text,
    peek,
    replayed,
    rewound,
    seekable,
)
from bastion.parsers._xml import (
    child,
    child_text,
    children,
    descendants,
    iter_xml,
    local_name,
    root_attributes,
)
from bastion.parsers.exceptions import MalformedReport

__all__ = [
    "CVE_PATTERN",
    "CWE_PATTERN",
    "EMPTY_REPORT",
    "GHSA_PATTERN",
    "HARD_CODED_CREDENTIALS",
    "HARD_CODED_CREDENTIALS_FIX",
    "INSTANCE_LIMIT",
    "MAX_DEPTH",
    "SEVERITY_WORDS",
    "FindingGroups",
    "JsonReader",
    "JsonRecord",
    "RepeatCounter",
    "advisory_ids",
    "as_int",
    "as_mapping",
    "check_depth",
    "child",
    "child_text",
    "children",
    "clip",
    "cpe_product",
    "csv_header",
    "cvss3",
    "cvss4",
    "cwe_ids",
    "depth_checked",
    "descendants",
    "expect_list",
    "expect_mapping",
    "fingerprint",
    "first_byte",
    "head_text",
    "html_text",
    "iter_csv",
    "iter_csv_records",
    "iter_json",
    "iter_json_lines",
    "iter_xml",
    "line_number",
    "load_json",
    "local_name",
    "not_a_report",
    "peek",
    "purl_name_version",
    "read_values",
    "redacted",
    "replayed",
    "rewound",
    "root_attributes",
    "score",
    "seekable",
    "severity_from_score",
    "severity_from_word",
    "text",
    "title",
    "urls",
]

CVE_PATTERN = re.compile(r"\bCVE-\d{4}-\d{4,}\b", re.IGNORECASE)
GHSA_PATTERN = re.compile(r"\bGHSA(?:-[23456789cfghjmpqrvwx]{4}){3}\b", re.IGNORECASE)
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


# --- grouping -----------------------------------------------------------------------

# The most instances one grouped finding lists; later ones are only counted.
INSTANCE_LIMIT = 1000


@dataclass
class _Group:
    first: NormalizedFinding
    instances: dict[str, None]
    advisory_ids: dict[str, None]
    cwe_ids: dict[int, None]
    references: dict[str, None]
    unlisted: int = 0
    size: int = 0


class FindingGroups:
    """Gather the records a tool repeats into one finding per group, in first-seen order.

    Each record comes as a finding and a one-line label of where it is (host and
    port, URL, commit...). A group's finding is its first record's, located at that
    first place, with the advisory ids, CWEs and references of every record; the
    other places are listed in ``evidence`` after the first's own evidence (up to
    INSTANCE_LIMIT, and what fits in the text), and ``instances:N`` counts the
    distinct places (once the list is full, every further record counts). The
    findings come out when the report has been read: memory follows the groups.
    """

    def __init__(self) -> None:
        self._groups: dict[Hashable, _Group] = {}

    def add(self, key: Hashable, finding: NormalizedFinding, instance: str) -> None:
        """Add a record to the group of ``key``."""
        group = self._groups.get(key)
        if group is None:
            self._groups[key] = _Group(
                first=finding,
                instances={instance: None},
                advisory_ids=dict.fromkeys(finding.advisory_ids),
                cwe_ids=dict.fromkeys(finding.cwe_ids),
                references=dict.fromkeys(finding.references),
                size=len(instance),
            )
            return
        group.advisory_ids.update(dict.fromkeys(finding.advisory_ids))
        group.cwe_ids.update(dict.fromkeys(finding.cwe_ids))
        if len(group.references) < INSTANCE_LIMIT:
            group.references.update(dict.fromkeys(finding.references))
        if instance in group.instances:
            return
        if len(group.instances) >= INSTANCE_LIMIT or group.size > MAX_TEXT:
            group.unlisted += 1
            return
        group.instances[instance] = None
        group.size += len(instance) + 3

    def findings(self) -> Iterator[NormalizedFinding]:
        """Yield one finding per group, then forget the groups."""
        groups, self._groups = self._groups, {}
        for group in groups.values():
            count = len(group.instances) + group.unlisted
            others = [f"- {instance}" for instance in list(group.instances)[1:]]
            if group.unlisted:
                others.append(f"- … and {group.unlisted} more")
            listing = f"Other instances ({count - 1}):\n" + "\n".join(others) if others else ""
            yield group.first.model_copy(
                update={
                    "advisory_ids": tuple(group.advisory_ids),
                    "cwe_ids": tuple(group.cwe_ids),
                    "references": tuple(group.references),
                    "evidence": clip("\n\n".join(filter(None, [group.first.evidence, listing]))),
                    "tags": (*group.first.tags, f"instances:{count}"),
                }
            )


class RepeatCounter:
    """Number the distinct lines that share one fingerprint anchor, in report order.

    Static analysers anchor a fingerprint on the flagged code rather than the line
    (which moves); the same code flagged at several lines of one file then needs a
    number to stay apart: the first place gets 0 (keep the plain fingerprint),
    later ones 1, 2... A report that repeats one place repeats its number. Flat maps
    of short strings and ints: one small entry per finding.
    """

    def __init__(self) -> None:
        self._first: dict[str, int | None] = {}  # anchor -> the first line it was seen at
        self._later: dict[str, int] = {}  # "anchor@line" -> its number, for later lines
        self._counts: dict[str, int] = {}  # anchor -> lines numbered so far, once over one

    def number(self, anchor: str, line: int | None) -> int:
        """Return the number of this place among those sharing ``anchor``."""
        key = anchor[:32]  # 128 bits of a SHA-256 hex digest tell anchors apart
        if key not in self._first:
            self._first[key] = line
            return 0
        if self._first[key] == line:
            return 0
        place = f"{key}@{line}"
        number = self._later.get(place)
        if number is None:
            number = self._counts.get(key, 1)
            self._counts[key] = number + 1
            self._later[place] = number
        return number


# --- values -------------------------------------------------------------------------


def fingerprint(*parts: object) -> str:
    """Hash identifying fields into a stable deduplication key (None and "" are equal)."""
    text = "\x1f".join("" if part is None else str(part).strip() for part in parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


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
    found: list[str] = []
    for value in values:
        if not value:
            continue
        text = str(value)
        for match in (*CVE_PATTERN.findall(text), *GHSA_PATTERN.findall(text)):
            normalized = match.upper() if match.upper().startswith("CVE") else "GHSA" + match[4:].lower()
            if normalized not in found:
                found.append(normalized)
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
    try:
        parsed = kind(vector.strip())
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


CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
#: Longer than this, one field is not a finding's text but a broken or hostile report.
ABSURD_FIELD_CHARACTERS = 1_000_000


def clip(text: object, limit: int = MAX_TEXT) -> str:
    """Return ``text`` as a string of at most ``limit`` characters, without control characters.

    NUL and other control characters never reach the database (PostgreSQL refuses NUL).
    """
    if text is None:
        return ""
    value = str(text)
    if len(value) > ABSURD_FIELD_CHARACTERS:
        raise MalformedReport(
            f"a field of {len(value):,} characters is longer than the limit of {ABSURD_FIELD_CHARACTERS:,}"
        )
    value = value.translate(CONTROL_CHARACTERS)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def title(text: object, fallback: str = "Untitled finding") -> str:
    """Return a one-line title of at most MAX_TITLE characters."""
    value = " ".join(str(text or "").split()) or fallback
    return clip(value, MAX_TITLE)


def text(value: object) -> str | None:
    """Return a scalar as stripped text, None when it is absent, empty or not a scalar."""
    if value is None or isinstance(value, Mapping | list):
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


def redacted(secret: str) -> str:
    """Return at most a secret's first four characters (fewer for short ones) and an ellipsis."""
    return f"{secret[: min(4, len(secret) // 2)]}…" if secret else ""


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


# --- markup -------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"<\s*(?:br|/?p|/?div|/li|/tr|/h\d|/ul|/ol)\b[^<>]{0,200}>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<\s*li\b[^<>]{0,200}>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]{0,2000}>")
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_URL_START = re.compile(r"(?=https?://)", re.IGNORECASE)


def html_text(value: str) -> str:
    """Return the text of an HTML fragment, one line per paragraph or list item."""
    folded = " ".join(value.split())  # in HTML a line break in the source is a space
    folded = _LIST_ITEM.sub("\n- ", _LINE_BREAK.sub("\n", folded))
    plain = html.unescape(_TAG.sub("", folded))
    lines = (" ".join(line.split()) for line in plain.splitlines())
    return "\n".join(line for line in lines if line)


def urls(value: str) -> list[str]:
    """Return the URLs in ``value`` (text or HTML), splitting ones written back to back."""
    found: list[str] = []
    for match in _URL.findall(html.unescape(value)):
        for url in _URL_START.split(match):
            url = url.rstrip(".,;")
            if url.endswith(")") and url.count(")") > url.count("("):
                url = url[:-1]
            if url and url not in found:
                found.append(url)
    return found
