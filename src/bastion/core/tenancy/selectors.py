"""Reads of tenancy tables."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from bastion.contracts.principal import MembershipGrant, Principal, Role
from bastion.core.accounts.models import User
from bastion.core.tenancy.models import ApiToken, Membership, Organization


def grants_for(*, user: User, organization_id: int | None = None) -> tuple[MembershipGrant, ...]:
    """Return the user's roles, in one organisation or in all of theirs."""
    memberships = Membership.objects.filter(user=user).select_related("organization")
    if organization_id is not None:
        memberships = memberships.filter(organization_id=organization_id)
    return tuple(
        MembershipGrant(
            organization_id=membership.organization_id,
            organization_slug=membership.organization.slug,
            role=Role(membership.role),
        )
        for membership in memberships.order_by("organization__slug")
    )


def principal_for_session(*, user: User) -> Principal:
    """Return the principal of a signed-in user: every organisation they belong to."""
    return Principal(
        user_id=user.pk,
        email=user.email,
        is_superuser=user.is_superuser,
        auth_method="session",
        memberships=grants_for(user=user),
    )


def principal_for_token(*, token: ApiToken) -> Principal:
    """Return the principal of a token: its own organisation only, at the user's current role."""
    return Principal(
        user_id=token.user.pk,
        email=token.user.email,
        is_superuser=token.user.is_superuser,
        auth_method="token",
        token_id=token.pk,
        memberships=grants_for(user=token.user, organization_id=token.organization_id),
    )


def members_for(*, principal: Principal, at_least: Role = Role.VIEWER) -> QuerySet[User]:
    """Return the users who belong to an organisation where the caller's role allows ``at_least``."""
    reachable = Membership.objects.for_principal(principal, at_least=at_least)
    return User.objects.filter(memberships__in=reachable).distinct()


def organizations_left_without_owner(*, leaving: QuerySet[Membership]) -> list[str]:
    """Return the slugs of organisations that would have no owner once these memberships are gone."""
    leaving_owners = dict(
        leaving.filter(role=Role.OWNER.value)
        .order_by()
        .values_list("organization_id")
        .annotate(count=Count("pk", distinct=True))
    )
    if not leaving_owners:
        return []
    all_owners = dict(
        Membership.objects.filter(role=Role.OWNER.value, organization_id__in=leaving_owners)
        .order_by()
        .values_list("organization_id")
        .annotate(count=Count("pk"))
    )
    emptied = [pk for pk, count in leaving_owners.items() if all_owners.get(pk) == count]
    return list(Organization.objects.filter(pk__in=emptied).order_by("slug").values_list("slug", flat=True))
