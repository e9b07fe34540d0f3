"""Tenancy errors.

TenancyError
├── AuthenticationFailed   credentials given but not valid (wrong, revoked, expired)
└── TenancyConflict        a write that would break an invariant (duplicate slug, member)
"""


class TenancyError(Exception):
    """Base of every tenancy error."""


class AuthenticationFailed(TenancyError):  # noqa: N818 - the name HTTP frameworks use
    """Credentials were given but do not identify an active caller."""

    public_message = "Invalid or expired token."

    def __init__(self) -> None:
        super().__init__(self.public_message)


class TenancyConflict(TenancyError):  # noqa: N818
    """A write would break a tenancy invariant."""
