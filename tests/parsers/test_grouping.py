"""Grouping the records a tool repeats into one finding per group."""

from __future__ import annotations

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.parsers import grouping


def _finding(host: str, *, cves: tuple[str, ...] = (), evidence: str = "") -> NormalizedFinding:
    return NormalizedFinding(
        title="Weak cipher",
        severity=Severity.MEDIUM,
        tool="test",
        fingerprint="f",
        advisory_ids=cves,
        evidence=evidence,
        location=FindingLocation(host=host),
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
