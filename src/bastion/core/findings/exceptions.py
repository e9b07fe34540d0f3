"""Finding errors.

FindingError
├── TransitionNotAllowed   the workflow does not allow that move
├── RiskAcceptanceInvalid  justification, approver or expiry missing or not acceptable
└── FindingsNotFound       some ids of a bulk action are not the caller's to change
    └── AssigneeNotMember  the assignee does not belong to every finding's organisation
"""


class FindingError(Exception):
    """Base of every finding error; the message is shown to the user."""


class TransitionNotAllowed(FindingError):  # noqa: N818
    """The workflow does not allow moving a finding from its status to the one asked."""


class RiskAcceptanceInvalid(FindingError):  # noqa: N818
    """A risk acceptance lacks a justification, a qualified approver or a future expiry."""


class FindingsNotFound(FindingError):  # noqa: N818
    """Some findings of a bulk action do not exist for the caller."""


class AssigneeNotMember(FindingsNotFound):
    """The user a bulk action assigns does not belong to every finding's organisation."""
