"""Writes to tenancy tables: organisations, members, tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.audit import services as audit
from bastion.core.tenancy.exceptions import AlreadyMember, LastOwnerRequired, TenancyConflict
from bastion.core.tenancy.models import ApiToken, Membership, Organization

TOKEN_PREFIX = "bst_"  # noqa: S105 - a marker, not a secret
TOKEN_LAST_USED_RESOLUTION = timedelta(seconds=60)


@dataclass(frozen=True)
class IssuedToken:
    """A token just created: the key exists only here, never in the database."""

    token: ApiToken
    key: str


@dataclass(frozen=True)
class Invited:
    """A person just given a role: ``is_new_user`` when their account was made for the invitation."""

    user: User
    is_new_user: bool


def digest_key(key: str) -> str:
    """Return the stored form of a token key."""
    return hashlib.sha256(key.encode()).hexdigest()


def create_organization(*, slug: str, name: str = "", actor: User | None = None) -> Organization:
    """Create an organisation; the slug must be new."""
    organization = Organization(slug=slug, name=name or slug)
    organization.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            organization.save()
            audit.record_creation(actor=actor, organization=organization, instance=organization)
    except IntegrityError as error:
        raise TenancyConflict(f"organisation {slug!r} already exists") from error
    return organization


@transaction.atomic
def update_organization(*, organization: Organization, actor: User | None = None, name: str) -> Organization:
    """Rename an organisation (its slug never changes: URLs and tokens rely on it)."""
    before = audit.snapshot(organization)
    organization.name = name
    organization.full_clean()
    organization.save(update_fields=["name"])
    audit.record_update(actor=actor, organization=organization, instance=organization, before=before)
    return organization


@transaction.atomic
def delete_organization(*, organization: Organization, actor: User | None = None) -> None:
    """Delete an organisation with everything in it; the audit log keeps the record."""
    audit.record_deletion(actor=actor, organization=organization, instance=organization)
    organization.delete()


def _keep_an_owner(*, organization: Organization, leaving: Membership) -> None:
    """Refuse a change that takes away the organisation's last owner.

    The organisation's owner rows stay locked until the transaction ends, so two owners
    demoting each other at the same moment cannot both succeed.
    """
    owners = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(organization=organization, role=Role.OWNER.value)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if owners == [leaving.pk]:
        raise LastOwnerRequired(organization.slug)


@transaction.atomic
def set_membership(
    *, organization: Organization, user: User, role: Role, actor: User | None = None
) -> Membership:
    """Give a user a role in an organisation, replacing any role they had there.

    Raises ``LastOwnerRequired`` when that would demote the organisation's only owner.
    """
    membership = Membership.objects.filter(organization=organization, user=user).first()
    if membership is not None and role != Role.OWNER:
        _keep_an_owner(organization=organization, leaving=membership)
        membership.refresh_from_db(fields=["role"])
    if membership is None:
        membership = Membership.objects.create(organization=organization, user=user, role=role.value)
        audit.record_creation(actor=actor, organization=organization, instance=membership)
    elif membership.role != role.value:
        before = audit.snapshot(membership)
        membership.role = role.value
        membership.save(update_fields=["role"])
        audit.record_update(actor=actor, organization=organization, instance=membership, before=before)
    return membership


@transaction.atomic
def remove_membership(*, membership: Membership, actor: User | None = None) -> None:
    """Take a user out of an organisation; their tokens for it stop working at once.

    Raises ``LastOwnerRequired`` when the member is the organisation's only owner.
    """
    _keep_an_owner(organization=membership.organization, leaving=membership)
    audit.record_deletion(actor=actor, organization=membership.organization, instance=membership)
    membership.delete()


@transaction.atomic
def create_token(
    *,
    user: User,
    organization: Organization,
    name: str = "",
    expires_in: timedelta | None = None,
    actor: User | None = None,
) -> IssuedToken:
    """Issue an API token for a member of an organisation; the key is returned once."""
    if not Membership.objects.filter(organization=organization, user=user).exists():
        raise TenancyConflict(f"{user.email} is not a member of {organization.slug}")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        organization=organization,
        name=name,
        prefix=key[:12],
        digest=digest_key(key),
        expires_at=timezone.now() + expires_in if expires_in is not None else None,
    )
    audit.record_creation(actor=actor or user, organization=organization, instance=token)
    return IssuedToken(token=token, key=key)


@transaction.atomic
def revoke_token(*, token: ApiToken, actor: User | None = None) -> ApiToken:
    """Revoke a token at once; revoking twice keeps the first time."""
    if token.revoked_at is None:
        before = audit.snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record_update(actor=actor, organization=token.organization, instance=token, before=before)
    return token


def record_token_use(*, token: ApiToken) -> None:
    """Note when a token was last used, at most once a minute to spare the database."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


@transaction.atomic
def set_mfa_requirement(
    *, organization: Organization, is_required: bool, actor: User | None = None
) -> Organization:
    """Make two-factor authentication mandatory (or optional again) for the organisation's members.

    Members without an authenticator are sent to set one up on their next page; the owner's
    permission is checked by the caller, as for every other organisation setting.
    """
    before = audit.snapshot(organization)
    organization.requires_mfa = is_required
    organization.save(update_fields=["requires_mfa"])
    audit.record_update(actor=actor, organization=organization, instance=organization, before=before)
    return organization


@transaction.atomic
def invite_member(*, actor: User | None, organization: Organization, email: str, role: Role) -> Invited:
    """Give the person with this e-mail a role, making them an account first when they have none.

    A new account has no usable password: the caller sends the newcomer a link to choose one.
    It stays active, since a password-reset e-mail goes to active accounts only. Raises
    ``AlreadyMember`` when they belong to the organisation already.
    """
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and Membership.objects.filter(organization=organization, user=user).exists():
        raise AlreadyMember(user.email)
    is_new_user = user is None
    if user is None:
        user = User.objects.create_user(email, None)
        audit.record_creation(actor=actor, organization=organization, instance=user)
    set_membership(organization=organization, user=user, role=role, actor=actor)
    return Invited(user=user, is_new_user=is_new_user)
