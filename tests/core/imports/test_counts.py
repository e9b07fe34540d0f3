"""Import counts are declared once (contracts.imports.ImportCounts); every other shape derives from it."""

from __future__ import annotations

from bastion.contracts.events import ImportCompleted
from bastion.contracts.imports import COUNT_NAMES, ImportCounts
from bastion.core.imports.commit import CommitCounts
from bastion.core.imports.models import ImportJob
from bastion.scanner.imports.schemas import ImportStatus


def test_the_counts_are_named_once() -> None:
    assert COUNT_NAMES == ("parsed", "new", "updated", "reopened", "resolved", "unchanged")


def test_the_event_the_commit_and_the_scanners_answer_derive_from_the_contract() -> None:
    for shape in (ImportCompleted, CommitCounts, ImportStatus):
        assert issubclass(shape, ImportCounts)


def test_the_job_has_a_count_column_per_count() -> None:
    columns = {field.name: field for field in ImportJob._meta.concrete_fields}

    assert [name for name in COUNT_NAMES if name in columns] == list(COUNT_NAMES)
    assert {columns[name].get_internal_type() for name in COUNT_NAMES} == {"PositiveIntegerField"}


def test_a_commit_starts_from_zero_and_its_tally_changes() -> None:
    counts = CommitCounts.zero()

    counts.parsed += 2
    counts.tools.add("bandit")

    assert counts.model_dump(include=set(COUNT_NAMES)) == dict.fromkeys(COUNT_NAMES, 0) | {"parsed": 2}
    assert counts.tools == {"bandit"}
