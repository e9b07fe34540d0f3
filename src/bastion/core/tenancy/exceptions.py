"""Tenancy errors.

TenancyError
├── AuthenticationFailed   credentials given but not valid (wrong, revoked, expired)
├── MfaSetupRequired       a session of a user whose organisation requires MFA, with no authenticator
└── TenancyConflict        a write that would break an invariant (duplicate slug, member)
    ├── LastOwnerRequired  the change would leave an organisation without an owner
    └── AlreadyMember      an invitation for someone who belongs to the organisation already
"""


class TenancyError(Exception):
    """Base of every tenancy error."""


class AuthenticationFailed(TenancyError):  # noqa: N818 - the name HTTP frameworks use
    """Credentials were given but do not identify an active caller."""

    public_message = "Invalid or expired token."

    def __init__(self) -> None:
        super().__init__(self.public_message)


class MfaSetupRequired(TenancyError):  # noqa: N818
    """A signed-in user must set up an authenticator before an organisation requiring MFA lets them in."""

    code = "mfa_required"

    def __init__(self, organization_names: list[str]) -> None:
        self.organization_names = organization_names
        self.public_message = (
            f"{', '.join(organization_names)} requires two-factor authentication: "
            "set up an authenticator app or a security key to continue."
        )
        super().__init__(self.public_message)


class TenancyConflict(TenancyError):  # noqa: N818
    """A write would break a tenancy invariant."""


class LastOwnerRequired(TenancyConflict):
    """Removing or demoting this member would leave the organisation without an owner."""

    public_message = "an organisation must keep at least one owner"

    def __init__(self, organization_slug: str) -> None:
        super().__init__(f"{self.public_message}: {organization_slug} has no other owner")


class AlreadyMember(TenancyConflict):
    """The person invited belongs to the organisation already: their role is changed, not invited."""

    def __init__(self, email: str) -> None:
        super().__init__(f"{email} is already a member; change their role instead.")
