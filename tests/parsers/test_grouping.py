"""Grouping the records a tool repeats into one finding per group."""

from __future__ import annotations

import os
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, cast

import pytest

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping


@pytest.fixture(params=["in memory", "on disk"], autouse=True)
def _where_groups_are(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test with the groups held as objects, and again with every group on disk."""
    if request.param == "on disk":
        monkeypatch.setattr(grouping, "IN_MEMORY_BYTES", -1)


def _finding(
    host: str, *, cves: tuple[str, ...] = (), evidence: str = "", references: tuple[str, ...] = ()
) -> NormalizedFinding:
    return NormalizedFinding(
        title="Weak cipher",
        severity=Severity.MEDIUM,
        tool="test",
        fingerprint="f",
        advisory_ids=cves,
        cwe_ids=(327,),
        cvss_v3_score=5.3,
        evidence=evidence,
        references=references,
        location=FindingLocation(host=host, port=443),
        tags=("family:ssl",),
    )


def test_groups_locate_the_first_record_and_list_the_others() -> None:
    # given
    groups = grouping.FindingGroups()
    groups.add("plugin-1", _finding("10.0.0.1", evidence="out 1"), "10.0.0.1 tcp/443")
    groups.add("plugin-1", _finding("10.0.0.2", cves=("CVE-2016-2183",)), "10.0.0.2 tcp/443")
    groups.add("plugin-1", _finding("10.0.0.2"), "10.0.0.2 tcp/443")  # the same place again
    groups.add("plugin-2", _finding("10.0.0.3"), "10.0.0.3")
    # when
    first, second = list(groups.findings())
    # then
    assert first.location.host == "10.0.0.1"
    assert first.evidence == "out 1\n\nOther instances (1):\n- 10.0.0.2 tcp/443"
    assert first.tags == ("family:ssl", "instances:2")
    assert first.advisory_ids == ("CVE-2016-2183",)
    assert (second.evidence, second.tags) == ("", ("family:ssl", "instances:1"))
    assert list(groups.findings()) == []


def test_groups_list_at_most_the_limit_and_count_the_rest() -> None:
    # given
    groups = grouping.FindingGroups()
    for number in range(grouping.INSTANCE_LIMIT + 5):
        groups.add("key", _finding(f"host-{number}"), f"host-{number}")
    # when
    (finding,) = list(groups.findings())
    # then
    assert finding.tags[-1] == f"instances:{grouping.INSTANCE_LIMIT + 5}"
    assert finding.evidence.endswith("\n- … and 5 more")
    assert finding.evidence.count("\n- host-") == grouping.INSTANCE_LIMIT - 1


def test_groups_past_the_memory_limit_merge_and_keep_first_seen_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: the first group in memory, the rest on disk, each group repeated after the others
    monkeypatch.setattr(grouping, "IN_MEMORY_BYTES", 1)
    groups = grouping.FindingGroups()
    for key in ("a", "b", "c", "d"):
        groups.add(
            key, _finding(f"{key}-1", evidence=f"first {key}", references=("https://x/1",)), f"{key}-1"
        )
    for key in ("d", "c", "b", "a"):
        groups.add(
            key, _finding(f"{key}-2", cves=(f"CVE-2024-{ord(key)}",), references=("https://x/2",)), f"{key}-2"
        )
        groups.add(key, _finding(f"{key}-2"), f"{key}-2")
    # when
    found = list(groups.findings())
    # then: the same findings, in the order first seen, whichever side held them
    assert [finding.location.host for finding in found] == ["a-1", "b-1", "c-1", "d-1"]
    for finding, key in zip(found, "abcd", strict=True):
        assert finding.evidence == f"first {key}\n\nOther instances (1):\n- {key}-2"
        assert finding.advisory_ids == (f"CVE-2024-{ord(key)}",)
        assert finding.references == ("https://x/1", "https://x/2")
        assert finding.tags == ("family:ssl", "instances:2")
        assert (finding.severity, finding.cwe_ids, finding.cvss_v3_score) == (Severity.MEDIUM, (327,), 5.3)
        assert finding.location == FindingLocation(host=f"{key}-1", port=443)


def test_groups_on_disk_leave_no_file_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    monkeypatch.setattr(grouping, "IN_MEMORY_BYTES", -1)
    before = _open_files()
    groups = grouping.FindingGroups()
    for number in range(50):
        groups.add(number, _finding(f"host-{number}"), f"host-{number}")
    # when: read halfway, then dropped (a consumer that stops early)
    findings = cast("Generator[NormalizedFinding, None, None]", groups.findings())
    next(findings)
    opened = {path for path in _open_files() - before if path.startswith("/")}
    findings.close()
    # then: the files were unlinked from the start, and are closed
    assert opened
    assert all(path.endswith("(deleted)") for path in opened)
    assert not _open_files() - before


def _open_files() -> set[str]:
    """Return what this process's open file descriptors point at."""
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.add(os.readlink(f"/proc/self/fd/{fd}"))
        except FileNotFoundError:
            continue  # the descriptor listdir itself used
    return found


@dataclass
class _Tally:
    name: str
    places: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    ids: tuple[int, ...] = ()

    @classmethod
    def revived(cls, data: dict[str, Any]) -> _Tally:
        return cls(**{**data, "seen": set(data["seen"]), "ids": tuple(data["ids"])})

    def footprint(self) -> int:
        return 100 + sum(map(len, self.places))


def test_a_group_store_keeps_changes_and_first_seen_order_in_memory_and_on_disk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: a budget the first group alone passes, so that the others wait on disk,
    # and one group on disk kept as an object, so that each change writes the other back
    monkeypatch.setattr(grouping, "IN_MEMORY_BYTES", 1)
    monkeypatch.setattr(grouping.GroupStore, "RECENT", 1)
    store: grouping.GroupStore[_Tally] = grouping.GroupStore(_Tally.revived, _Tally.footprint)
    for round_number in range(3):
        for name in ("b", "a", "c"):
            tally = store.get(name) or _Tally(name, ids=(7,))
            tally.places.append(f"{name}{round_number}")
            tally.seen.add(f"host-{round_number % 2}")
            store.put(name, tally)
    # when
    tallies = list(store.values())
    # then
    assert [tally.name for tally in tallies] == ["b", "a", "c"]
    for tally in tallies:
        assert tally.places == [f"{tally.name}{number}" for number in range(3)]
        assert (tally.seen, tally.ids) == ({"host-0", "host-1"}, (7,))
    assert list(store.values()) == []
