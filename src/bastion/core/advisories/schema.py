"""The fields of the OSV schema (https://ossf.github.io/osv-schema/) Bastion reads, validated."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Text = Annotated[str, StringConstraints(max_length=200)]
OsvId = Annotated[
    str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
]


class _Model(BaseModel):
    # OSV records carry many fields Bastion does not use (credits, ecosystem_specific...).
    model_config = ConfigDict(extra="ignore", frozen=True)


class Event(_Model):
    """One range event: exactly one of introduced, fixed, last_affected, limit."""

    introduced: Text | None = None
    fixed: Text | None = None
    last_affected: Text | None = None
    limit: Text | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Event:
        if len(self.model_dump(exclude_none=True)) != 1:
            raise ValueError("an event has exactly one of introduced, fixed, last_affected, limit")
        return self


class Range(_Model):
    """A range of affected versions, as events."""

    type: Literal["ECOSYSTEM", "SEMVER", "GIT"]
    repo: str | None = None
    events: list[Event] = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _has_introduced(self) -> Range:
        if not any(event.introduced is not None for event in self.events):
            raise ValueError("a range needs an introduced event")
        return self


class Package(_Model):
    ecosystem: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    name: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    purl: str | None = None


class Affected(_Model):
    """A package and the versions of it the advisory affects."""

    package: Package | None = None
    ranges: list[Range] = Field(default_factory=list, max_length=1000)
    versions: list[Text] = Field(default_factory=list, max_length=100_000)


class Severity(_Model):
    type: Annotated[str, StringConstraints(max_length=16)]
    score: Annotated[str, StringConstraints(max_length=300)]


class Reference(_Model):
    type: Annotated[str, StringConstraints(max_length=32)]
    url: Annotated[str, StringConstraints(max_length=2000)]


class Record(_Model):
    """An OSV record."""

    id: OsvId
    modified: datetime
    published: datetime | None = None
    withdrawn: datetime | None = None
    aliases: list[OsvId] | None = None
    summary: str | None = None
    details: str | None = None
    severity: list[Severity] | None = None
    affected: list[Affected] | None = None
    references: list[Reference] | None = None
    database_specific: dict[str, Any] | None = None
