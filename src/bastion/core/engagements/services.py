"""Writes to engagements, each recorded in the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from bastion.core.accounts.models import User
from bastion.core.audit import services as audit
from bastion.core.engagements.models import Engagement


@transaction.atomic
def create_engagement(*, actor: User | None, **fields: Any) -> Engagement:
    """Create an engagement on an asset, in the asset's organisation."""
    fields["organization"] = fields["asset"].organization
    engagement: Engagement = audit.create_audited(
        Engagement, actor=actor, organization=fields["organization"], fields=fields
    )
    return engagement


@transaction.atomic
def update_engagement(*, actor: User | None, engagement: Engagement, **changes: Any) -> Engagement:
    """Change an engagement (its asset stays in the same organisation)."""
    changes.pop("organization", None)
    result: Engagement = audit.update_audited(
        engagement, actor=actor, organization=engagement.organization, changes=changes
    )
    return result


@transaction.atomic
def delete_engagement(*, actor: User | None, engagement: Engagement) -> None:
    """Delete an engagement; its findings stay, without it."""
    audit.delete_audited(engagement, actor=actor, organization=engagement.organization)
