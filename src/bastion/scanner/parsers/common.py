"""Helpers parsers share: safe streaming JSON and XML, fingerprints, severities, ids."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

import ijson
import orjson
from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from bastion.contracts.finding import MAX_TEXT, MAX_TITLE, Severity
from bastion.scanner.parsers.exceptions import MalformedReport

CVE_PATTERN = re.compile(r"\bCVE-\d{4}-\d{4,}\b", re.IGNORECASE)
GHSA_PATTERN = re.compile(r"\bGHSA(?:-[23456789cfghjmpqrvwx]{4}){3}\b", re.IGNORECASE)
CWE_PATTERN = re.compile(r"(?:CWE[-_: ]?)?(\d{1,5})\b", re.IGNORECASE)

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


# --- JSON ---------------------------------------------------------------------------


def load_json(stream: BinaryIO) -> Any:
    """Load a whole JSON document (for formats whose reports are small by nature)."""
    data = stream.read()
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise MalformedReport(f"invalid JSON: {error.msg}", position=f"byte {error.pos}") from error


def iter_json(stream: BinaryIO, prefix: str) -> Iterator[Any]:
    """Stream the items under an ijson prefix (``"results.item"``) without loading the document."""
    index = 0
    try:
        for index, item in enumerate(ijson.items(stream, prefix, use_float=True)):  # noqa: B007
            yield item
    except ijson.JSONError as error:
        raise MalformedReport(
            f"invalid JSON: {error}", position=f"{prefix} record {index + 1}"
        ) from error


def iter_json_lines(stream: BinaryIO) -> Iterator[Any]:
    """Yield one decoded object per non-blank line (JSON Lines)."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield orjson.loads(line)
        except orjson.JSONDecodeError as error:
            raise MalformedReport(
                f"invalid JSON: {error.msg}", position=f"line {number}"
            ) from error


def expect_mapping(value: Any, position: str) -> Mapping[str, Any]:
    """Return ``value`` if it is a JSON object, else say where the report breaks its shape."""
    if not isinstance(value, Mapping):
        raise MalformedReport(
            f"expected an object, found {type(value).__name__}", position=position
        )
    return value


def expect_list(value: Any, position: str) -> list[Any]:
    """Return ``value`` if it is a JSON array (None counts as empty)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedReport(f"expected an array, found {type(value).__name__}", position=position)
    return value


# --- XML ----------------------------------------------------------------------------


def iter_xml(stream: BinaryIO, tags: Iterable[str]) -> Iterator[Element]:
    """Stream the elements named in ``tags`` (local names) and free each after use.

    DOCTYPEs, entities and external references are refused outright.
    """
    wanted = frozenset(tags)
    try:
        for _event, element in iterparse(
            stream, events=("end",), forbid_dtd=True, forbid_entities=True, forbid_external=True
        ):
            if local_name(element.tag) in wanted:
                yield element
                element.clear()
    except DefusedXmlException as error:
        raise MalformedReport(
            f"XML refused: {type(error).__name__} (DOCTYPE and entities are not allowed)"
        ) from error
    except SyntaxError as error:  # ParseError: line and column in its message
        raise MalformedReport(f"invalid XML: {error}") from error


def local_name(tag: str) -> str:
    """Return a tag without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def child_text(element: Element, name: str, default: str = "") -> str:
    """Return the stripped text of the first child with this local name."""
    for child in element:
        if local_name(child.tag) == name:
            return (child.text or "").strip()
    return default


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
    """Return the CWE numbers in ``values`` ("CWE-79", 79, "79"), deduplicated, in order."""
    found: list[int] = []
    for value in values:
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, int):
            numbers = [value]
        else:
            numbers = [int(match) for match in CWE_PATTERN.findall(str(value))]
        for number in numbers:
            if number > 0 and number not in found:
                found.append(number)
    return tuple(found)


def advisory_ids(values: Iterable[object]) -> tuple[str, ...]:
    """Return CVE and GHSA ids found in ``values``, upper-cased, deduplicated, in order."""
    found: list[str] = []
    for value in values:
        if not value:
            continue
        text = str(value)
        for match in (*CVE_PATTERN.findall(text), *GHSA_PATTERN.findall(text)):
            normalized = (
                match.upper() if match.upper().startswith("CVE") else "GHSA" + match[4:].lower()
            )
            if normalized not in found:
                found.append(normalized)
    return tuple(found)


def cvss3(vector: str | None) -> tuple[str | None, float | None]:
    """Return a CVSS v3 vector, cleaned, and its base score; (None, None) if invalid."""
    if not vector:
        return None, None
    try:
        parsed = CVSS3(vector.strip())
    except (CVSSError, ValueError, KeyError):
        return None, None
    return parsed.clean_vector(), float(parsed.base_score)


def cvss4(vector: str | None) -> tuple[str | None, float | None]:
    """Return a CVSS v4 vector, cleaned, and its base score; (None, None) if invalid."""
    if not vector:
        return None, None
    try:
        parsed = CVSS4(vector.strip())
    except (CVSSError, ValueError, KeyError):
        return None, None
    return parsed.clean_vector(), float(parsed.base_score)


def clip(text: object, limit: int = MAX_TEXT) -> str:
    """Return ``text`` as a string no longer than ``limit`` characters."""
    if text is None:
        return ""
    value = str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def title(text: object, fallback: str = "Untitled finding") -> str:
    """Return a one-line title of at most MAX_TITLE characters."""
    value = " ".join(str(text or "").split()) or fallback
    return clip(value, MAX_TITLE)


def as_int(value: object) -> int | None:
    """Return ``value`` as an int when it is one (or a numeric string), else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def head_text(head: bytes) -> str:
    """Decode a report's head for detection, tolerating a cut multi-byte character."""
    return head.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
