"""Invite someone to an organisation by e-mail.

An existing user is given the role at once. Anyone else gets an account without a usable
password (they cannot sign in with one until they choose it) and allauth's password-reset
e-mail, whose link lets them choose it. The account is left active: allauth sends no reset
e-mail to an inactive user, so an inactive invitee could never finish.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.forms import ResetPasswordForm  # type: ignore[import-untyped, unused-ignore]
from django.db import transaction
from django.http import HttpRequest

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.tenancy import services as tenancy
from bastion.core.tenancy.models import Membership, Organization


@dataclass(frozen=True)
class Invitation:
    message: str
    already_member: bool = False
    invited: bool = False


def invite(request: HttpRequest, *, organization: Organization, email: str, role: Role) -> Invitation:
    """Add ``email`` to ``organization`` with ``role``, e-mailing a new user a link to set a password."""
    actor = request.user
    assert isinstance(actor, User)
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and Membership.objects.filter(organization=organization, user=user).exists():
        return Invitation(
            f"{user.email} is already a member; change their role instead.", already_member=True
        )
    created = user is None
    with transaction.atomic():
        if user is None:
            # The accounts app has no service for this; its manager is what `bastion user create` uses.
            user = User.objects.create_user(email, None)
        tenancy.set_membership(organization=organization, user=user, role=role, actor=actor)
    if not created:
        return Invitation(f"{user.email} was added as {role.value}.")
    form = ResetPasswordForm(data={"email": user.email})
    if form.is_valid():
        form.save(request)
    return Invitation(
        f"{user.email} was invited as {role.value}: an e-mail lets them choose a password.", invited=True
    )
