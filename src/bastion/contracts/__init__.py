"""Shapes that cross a process boundary: plain pydantic models, no framework imports."""

from bastion.contracts.health import CheckResult, HealthReport
from bastion.contracts.principal import MembershipGrant, Principal, Role

__all__ = ["CheckResult", "HealthReport", "MembershipGrant", "Principal", "Role"]
