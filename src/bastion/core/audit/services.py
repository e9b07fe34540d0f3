"""Recording audit events; every service that changes tenant data calls these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from bastion.core.accounts.models import User
from bastion.core.audit.models import AuditAction, AuditEvent
from bastion.core.tenancy.models import Organization

# Fields never copied into the audit log.
SECRET_FIELDS = frozenset({"digest", "password"})


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Return the audited fields of an object as plain JSON values (foreign keys as ids)."""
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in SECRET_FIELDS or (fields is not None and field.name not in fields):
            continue
        values[field.name] = _plain(getattr(instance, field.attname))
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [before, after]}`` for every field whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record(
    *,
    actor: User | None,
    organization: Organization | None,
    action: AuditAction,
    instance: models.Model,
    changes: Mapping[str, list[Any]],
) -> AuditEvent:
    """Append one event to the audit log."""
    return AuditEvent.objects.create(
        organization=organization,
        organization_slug=organization.slug if organization else "",
        actor=actor,
        actor_email=actor.email if actor else "",
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=dict(changes),
    )


def record_creation(
    *, actor: User | None, organization: Organization | None, instance: models.Model
) -> AuditEvent:
    """Record a new object with all its audited fields."""
    after = snapshot(instance)
    return record(
        actor=actor,
        organization=organization,
        action=AuditAction.CREATE,
        instance=instance,
        changes={name: [None, value] for name, value in after.items()},
    )


def record_update(
    *,
    actor: User | None,
    organization: Organization | None,
    instance: models.Model,
    before: Mapping[str, Any],
) -> AuditEvent | None:
    """Record what changed since ``before`` (a snapshot); nothing when nothing changed."""
    changes = diff(before, snapshot(instance))
    if not changes:
        return None
    return record(
        actor=actor,
        organization=organization,
        action=AuditAction.UPDATE,
        instance=instance,
        changes=changes,
    )


def record_deletion(
    *, actor: User | None, organization: Organization | None, instance: models.Model
) -> AuditEvent:
    """Record an object about to be deleted, with its last values."""
    before = snapshot(instance)
    return record(
        actor=actor,
        organization=organization,
        action=AuditAction.DELETE,
        instance=instance,
        changes={name: [value, None] for name, value in before.items()},
    )


def create_audited(
    model: type[models.Model],
    *,
    actor: User | None,
    organization: Organization | None,
    fields: Mapping[str, Any],
) -> Any:
    """Validate and create an object, and record its creation."""
    instance = model(**{name: value for name, value in fields.items() if not _is_many(model, name)})
    instance.full_clean()
    instance.save()
    for name, value in fields.items():
        if _is_many(model, name):
            getattr(instance, name).set(value)
    record_creation(actor=actor, organization=organization, instance=instance)
    return instance


def update_audited(
    instance: models.Model,
    *,
    actor: User | None,
    organization: Organization | None,
    changes: Mapping[str, Any],
) -> Any:
    """Validate and save changes to an object, and record what changed."""
    before = snapshot(instance)
    many = {name: value for name, value in changes.items() if _is_many(type(instance), name)}
    for name, value in changes.items():
        if name not in many:
            setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)
    record_update(actor=actor, organization=organization, instance=instance, before=before)
    return instance


def delete_audited(instance: models.Model, *, actor: User | None, organization: Organization | None) -> None:
    """Record an object's last state, then delete it."""
    record_deletion(actor=actor, organization=organization, instance=instance)
    instance.delete()


def _is_many(model: type[models.Model], name: str) -> bool:
    field = next((f for f in model._meta.get_fields() if f.name == name), None)
    return bool(field is not None and field.many_to_many)
