"""Code analysis: what ``POST /agent/v1/analyze`` takes and answers."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bastion.contracts.finding import Severity
from bastion.contracts.text import NulFree

# 512 KiB of source: far more than a reviewer pastes, small enough to scan within the time limit.
MAX_CODE_BYTES = 512 * 1024

Language = Literal["python", "javascript", "typescript", "java", "go"]
ScanType = Literal["security", "secrets"]


class Source(StrEnum):
    """Which engine (or the model) reported a vulnerability."""

    BANDIT = "bandit"
    SEMGREP = "semgrep"
    DETECT_SECRETS = "detect-secrets"
    MODEL = "model"


class Confidence(StrEnum):
    """How sure the reporting engine is."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class AnalyzeRequest(BaseModel):
    """Code to analyse; ``asset`` imports the results as that asset's findings."""

    model_config = ConfigDict(extra="forbid")

    code: NulFree = Field(min_length=1, max_length=MAX_CODE_BYTES)
    language: Language = "python"
    scan_type: ScanType = "security"
    filename: str | None = Field(default=None, max_length=255, pattern=r"^[^/\\\x00]+$")
    asset: int | None = None


# A trace keeps its first and last steps and at most this many in all (a long chain is elided).
MAX_TRACE_STEPS = 20
# The code quoted at each step of a trace, at most.
MAX_TRACE_CODE = 200


class TraceStep(BaseModel):
    """One point where untrusted data passes: where it enters, each variable it goes through, the sink."""

    kind: Literal["source", "step", "sink"]
    line: int = Field(ge=1)
    code: str = Field(
        max_length=MAX_TRACE_CODE, description="the expression at that point (secrets redacted)"
    )


class Vulnerability(BaseModel):
    """One problem in the analysed code."""

    rule_id: str
    title: str
    severity: Severity
    cwe: str | None = Field(default=None, description='"CWE-89" form')
    line_start: int
    line_end: int
    message: str
    fix: str
    source: Source
    confidence: Confidence = Confidence.MEDIUM
    likely_false_positive: bool = False
    model_note: str | None = Field(default=None, description="the model's comment, when one reviewed it")
    trace: list[TraceStep] = Field(
        default_factory=list,
        max_length=MAX_TRACE_STEPS,
        description="how untrusted data reaches the sink, source first (data-flow rules only)",
    )


class EngineRun(BaseModel):
    """How one engine ran: its findings count, its time, and its error if it failed."""

    name: str
    findings: int
    duration_ms: int
    error: str | None = None


class AnalyzeResponse(BaseModel):
    """The vulnerabilities found, a risk score computed from them, and what to do."""

    vulnerabilities: list[Vulnerability]
    risk_score: float = Field(ge=0, le=10)
    recommendations: list[str]
    engines: list[EngineRun]
    explanation: str | None = Field(
        default=None, description="the model's review, when a model is configured"
    )
    model: str | None = None
    import_id: str | None = Field(default=None, description="the import job, when an asset was given")
