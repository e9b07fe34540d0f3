"""The audit log records every change, and nothing can change or delete it."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from bastion.contracts.principal import Role
from bastion.core.assets import services as asset_services
from bastion.core.audit.models import AppendOnlyError, AuditEvent
from bastion.core.tenancy import services as tenancy_services
from tests import factories


def _events(object_type: str) -> list[tuple[str, dict[str, list[object]]]]:
    return [(e.action, e.changes) for e in AuditEvent.objects.filter(object_type=object_type).order_by("id")]


def test_asset_changes_are_recorded_with_actor_and_fields(db: None) -> None:
    # given
    org = factories.organization()
    admin = factories.member(org, Role.ADMIN, email="boss@example.com")
    # when
    asset = asset_services.create_asset(
        actor=admin, organization=org, kind="host", name="db1", identifier="10.0.0.5"
    )
    asset_services.update_asset(actor=admin, asset=asset, criticality=5, name="db1")
    asset_services.delete_asset(actor=admin, asset=asset)
    # then
    events = AuditEvent.objects.filter(object_type="assets.asset").order_by("id")
    assert [(e.action, e.actor_email, e.organization_slug) for e in events] == [
        ("create", "boss@example.com", org.slug),
        ("update", "boss@example.com", org.slug),
        ("delete", "boss@example.com", org.slug),
    ]
    assert events[1].changes == {
        "criticality": [3, 5],
        "updated_at": events[1].changes["updated_at"],
    }
    assert events[0].changes["identifier"] == [None, "10.0.0.5"]


def test_membership_and_token_changes_are_recorded_without_secrets(db: None) -> None:
    # given
    org = factories.organization()
    user = factories.member(org, Role.VIEWER)
    # when
    tenancy_services.set_membership(organization=org, user=user, role=Role.ANALYST)
    issued = tenancy_services.create_token(user=user, organization=org)
    tenancy_services.revoke_token(token=issued.token)
    # then
    assert [action for action, _ in _events("tenancy.membership")] == ["create", "update"]
    assert _events("tenancy.membership")[1][1] == {"role": ["viewer", "analyst"]}
    token_events = _events("tenancy.apitoken")
    assert [action for action, _ in token_events] == ["create", "update"]
    assert list(token_events[1][1]) == ["revoked_at"]
    assert issued.key not in str(token_events)
    assert issued.token.digest not in str(token_events)


def test_events_cannot_be_changed_or_deleted_through_the_orm(db: None) -> None:
    factories.organization()
    event = AuditEvent.objects.first()
    assert event is not None

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "create"


def test_postgresql_refuses_raw_changes_to_events(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    factories.organization()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET action = 'delete'")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1


def test_events_outlive_their_organisation(db: None) -> None:
    org = factories.organization("gone")
    tenancy_services.delete_organization(organization=org)

    assert [(e.action, e.organization_slug) for e in AuditEvent.objects.order_by("id")] == [
        ("create", "gone"),
        ("delete", "gone"),
    ]
