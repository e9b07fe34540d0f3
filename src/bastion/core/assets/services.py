"""Writes to assets and tags, each recorded in the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from bastion.core.accounts.models import User
from bastion.core.assets.models import Asset, Tag
from bastion.core.audit import services as audit
from bastion.core.findings import figures

#: The asset's fields the dashboard's figures read.
FIGURED_FIELDS = frozenset({"name", "criticality"})


@transaction.atomic
def create_asset(*, actor: User | None, **fields: Any) -> Asset:
    """Create an asset in its organisation."""
    asset: Asset = audit.create_audited(
        Asset, actor=actor, organization=fields["organization"], fields=fields
    )
    return asset


@transaction.atomic
def update_asset(*, actor: User | None, asset: Asset, **changes: Any) -> Asset:
    """Change an asset (never its organisation)."""
    changes.pop("organization", None)
    result: Asset = audit.update_audited(asset, actor=actor, organization=asset.organization, changes=changes)
    if FIGURED_FIELDS.intersection(changes):  # the dashboard's riskiest assets show and weigh them
        figures.forget(organization_ids=[asset.organization_id])
    return result


@transaction.atomic
def delete_asset(*, actor: User | None, asset: Asset) -> None:
    """Delete an asset with its engagements and findings."""
    figures.forget(organization_ids=[asset.organization_id])
    audit.delete_audited(asset, actor=actor, organization=asset.organization)


@transaction.atomic
def create_tag(*, actor: User | None, **fields: Any) -> Tag:
    """Create a tag in its organisation."""
    tag: Tag = audit.create_audited(Tag, actor=actor, organization=fields["organization"], fields=fields)
    return tag


@transaction.atomic
def update_tag(*, actor: User | None, tag: Tag, **changes: Any) -> Tag:
    """Rename a tag."""
    changes.pop("organization", None)
    result: Tag = audit.update_audited(tag, actor=actor, organization=tag.organization, changes=changes)
    return result


@transaction.atomic
def delete_tag(*, actor: User | None, tag: Tag) -> None:
    """Delete a tag (assets and findings lose it)."""
    audit.delete_audited(tag, actor=actor, organization=tag.organization)
