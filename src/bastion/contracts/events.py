"""Events published on the bus after an import commits (topic exchange ``bastion.events``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bastion.contracts.imports import ImportCounts

EventType = Literal["import.completed", "finding.created", "finding.reopened", "finding.resolved"]


class Event(BaseModel):
    """The envelope of every event; its type is also the routing key."""

    model_config = ConfigDict(frozen=True)

    type: EventType
    occurred_at: datetime
    organization_id: int
    asset_id: int
    import_id: str


class FindingsChanged(Event):
    """A batch of findings created, reopened or resolved by one import."""

    finding_ids: tuple[int, ...]


class ImportCompleted(ImportCounts, Event):
    """An import committed: what it changed."""
