"""How records become findings that deduplicate: fingerprints, groups of repeats, numbered places.

A finding's fingerprint is what the commit deduplicates on across imports; a tool
that writes one record per place a problem was found has its records gathered into
one finding per group (:class:`FindingGroups`, the convention docs/formats/README.md
describes); a static analyser that flags the same code at several lines numbers
them apart (:class:`RepeatCounter`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterator
from dataclasses import dataclass

from bastion.contracts.finding import MAX_TEXT, NormalizedFinding
from bastion.parsers.text import clip

__all__ = ["INSTANCE_LIMIT", "FindingGroups", "RepeatCounter", "fingerprint"]

# The most instances one grouped finding lists; later ones are only counted.
INSTANCE_LIMIT = 1000


def fingerprint(*parts: object) -> str:
    """Hash identifying fields into a stable deduplication key (None and "" are equal)."""
    text = "\x1f".join("" if part is None else str(part).strip() for part in parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


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
