"""The normalized finding: what every parser yields, whatever tool wrote the report."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

# The longest free text a finding keeps in one field; parsers clip longer text.
MAX_TEXT = 100_000
MAX_TITLE = 500


class Severity(StrEnum):
    """How bad a finding is, from the worst down."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Return a number for ordering: critical is 5, info is 1."""
        return {"critical": 5, "high": 4, "medium": 3, "low": 2, "info": 1}[self.value]


class FindingLocation(BaseModel):
    """Where a finding is: a place in code, a URL, a network service or a package.

    Fill the fields that apply; a container image or a cloud resource goes in ``component``.
    """

    model_config = ConfigDict(frozen=True)

    file_path: str | None = None
    line_start: int | None = Field(default=None, ge=0)
    line_end: int | None = Field(default=None, ge=0)
    url: str | None = None
    parameter: str | None = None
    host: str | None = None
    port: int | None = Field(default=None, ge=0, le=65535)
    protocol: str | None = None
    package: str | None = None
    package_version: str | None = None
    fixed_version: str | None = None
    component: str | None = None


class NormalizedFinding(BaseModel):
    """One finding as a report states it, mapped onto Bastion's terms."""

    model_config = ConfigDict(frozen=True)

    title: str = Field(min_length=1, max_length=MAX_TITLE)
    severity: Severity
    tool: str = Field(min_length=1, max_length=100)
    fingerprint: str = Field(min_length=1, max_length=128)
    description: str = Field(default="", max_length=MAX_TEXT)
    tool_version: str | None = None
    rule_id: str | None = Field(default=None, max_length=500)
    tool_finding_id: str | None = Field(default=None, max_length=500)
    advisory_ids: tuple[str, ...] = ()
    cwe_ids: tuple[int, ...] = ()
    cvss_v3_vector: str | None = None
    cvss_v3_score: float | None = Field(default=None, ge=0, le=10)
    cvss_v4_vector: str | None = None
    cvss_v4_score: float | None = Field(default=None, ge=0, le=10)
    location: FindingLocation = FindingLocation()
    evidence: str = Field(default="", max_length=MAX_TEXT)
    remediation: str = Field(default="", max_length=MAX_TEXT)
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
