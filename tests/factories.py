"""Test data, made through the same services the product uses."""

from __future__ import annotations

from datetime import timedelta
from itertools import count
from typing import Any

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.assets import services as asset_services
from bastion.core.assets.models import Asset
from bastion.core.engagements import services as engagement_services
from bastion.core.engagements.models import Engagement
from bastion.core.findings import saved_views
from bastion.core.findings import services as finding_services
from bastion.core.findings.models import Finding, SavedView
from bastion.core.imports.models import ImportJob
from bastion.core.tenancy import services
from bastion.core.tenancy.models import ApiToken, Organization

_numbers = count(1)


def organization(slug: str | None = None) -> Organization:
    """Create an organisation with a unique slug."""
    return services.create_organization(slug=slug or f"org-{next(_numbers)}")


def member(org: Organization, role: Role = Role.ANALYST, email: str | None = None) -> User:
    """Create a user with a role in an organisation."""
    user = User.objects.create_user(email or f"user{next(_numbers)}@example.com", "a long test password")
    services.set_membership(organization=org, user=user, role=role)
    return user


def token_key(user: User, org: Organization, expires_in: timedelta | None = None) -> str:
    """Issue a token and return its key."""
    return services.create_token(user=user, organization=org, expires_in=expires_in).key


def asset(
    org: Organization, name: str | None = None, criticality: int = 3, kind: str = "repository"
) -> Asset:
    """Create an asset."""
    number = next(_numbers)
    return asset_services.create_asset(
        actor=None,
        organization=org,
        kind=kind,
        name=name or f"asset-{number}",
        identifier=f"https://git.example.com/{org.slug}/repo-{number}",
        criticality=criticality,
    )


def engagement(target: Asset, name: str | None = None) -> Engagement:
    """Create an engagement on an asset."""
    return engagement_services.create_engagement(
        actor=None, asset=target, kind="pentest", name=name or f"engagement-{next(_numbers)}"
    )


def finding(
    target: Asset,
    *,
    severity: str = "high",
    title: str | None = None,
    status: str = "open",
    **fields: Any,
) -> Finding:
    """Create a finding on an asset (in a given status, set directly for test set-up)."""
    number = next(_numbers)
    created = finding_services.create_finding(
        actor=None,
        organization=target.organization,
        asset=target,
        title=title or f"Finding {number}",
        severity=severity,
        fingerprint=f"fp-{number}",
        tool=fields.pop("tool", "bandit"),
        **fields,
    )
    if status != "open":
        Finding.objects.filter(pk=created.pk).update(status=status)
        created.refresh_from_db()
    return created


def import_job(target: Asset, *, file_name: str | None = None, **fields: Any) -> ImportJob:
    """Create a completed import on an asset, with no stored report behind it (for pages that list it)."""
    number = next(_numbers)
    return ImportJob.objects.create(
        organization=target.organization,
        asset=target,
        storage_key=f"reports/test-{number}.json",
        file_name=file_name or f"report-{number}.json",
        state=fields.pop("state", "completed"),
        **fields,
    )


def api_token(user: User, org: Organization, name: str = "") -> ApiToken:
    """Issue a token and return its row (the key is dropped)."""
    return services.create_token(user=user, organization=org, name=name).token


def saved_view(user: User, org: Organization | None, name: str, query: str) -> SavedView:
    """Save a findings-list view for a user."""
    return saved_views.save_view(user=user, organization=org, name=name, query=query)


def totp_authenticator(user: User) -> str:
    """Give a user an authenticator app (with recovery codes) as allauth's setup does; return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret
