"""Invite someone to an organisation by e-mail.

The tenancy service gives the role (making an account with no usable password for a
newcomer); this page's part is the e-mail: allauth's password-reset message, whose link
lets the newcomer choose a password. It needs the request to build that link.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.forms import ResetPasswordForm  # type: ignore[import-untyped, unused-ignore]
from django.http import HttpRequest

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.tenancy import services as tenancy
from bastion.core.tenancy.exceptions import AlreadyMember
from bastion.core.tenancy.models import Organization


@dataclass(frozen=True)
class Invitation:
    message: str
    already_member: bool = False
    invited: bool = False


def invite(request: HttpRequest, *, organization: Organization, email: str, role: Role) -> Invitation:
    """Add ``email`` to ``organization`` with ``role``, e-mailing a new user a link to set a password."""
    actor = request.user
    assert isinstance(actor, User)  # login_required
    try:
        invited = tenancy.invite_member(actor=actor, organization=organization, email=email, role=role)
    except AlreadyMember as error:
        return Invitation(str(error), already_member=True)
    if not invited.is_new_user:
        return Invitation(f"{invited.user.email} was added as {role.value}.")
    form = ResetPasswordForm(data={"email": invited.user.email})
    if form.is_valid():
        form.save(request)
    return Invitation(
        f"{invited.user.email} was invited as {role.value}: an e-mail lets them choose a password.",
        invited=True,
    )
