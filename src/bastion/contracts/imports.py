"""What an import did to an asset's findings: the counts, declared once.

The commit tallies them (``core.imports.commit.CommitCounts``), the job stores them (one
column each on ``ImportJob``), the ``import.completed`` event carries them
(``contracts.events.ImportCompleted``) and the scanner answers them (``ImportStatus``):
each derives from :class:`ImportCounts`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ImportCounts(BaseModel):
    """How many findings an import read, and what became of them."""

    model_config = ConfigDict(frozen=True)

    parsed: int
    new: int
    updated: int
    reopened: int
    resolved: int
    unchanged: int


COUNT_NAMES: tuple[str, ...] = tuple(ImportCounts.model_fields)
