"""Shapes that cross a process boundary: plain pydantic models, no framework imports."""

from bastion.contracts.finding import FindingLocation, NormalizedFinding, Severity
from bastion.contracts.health import CheckResult, HealthReport
from bastion.contracts.principal import MembershipGrant, Principal, Role

__all__ = [
    "CheckResult",
    "FindingLocation",
    "HealthReport",
    "MembershipGrant",
    "NormalizedFinding",
    "Principal",
    "Role",
    "Severity",
]
