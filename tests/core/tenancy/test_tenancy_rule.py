"""The one tenancy rule, ``Model.objects.for_principal(principal, at_least=...)``, on every tenant model.

The models are found with ``django.apps.get_models()``, not listed by hand: a new tenant model is
covered as soon as it has its ``TenantQuerySet`` manager, and the world below must then give it a
row in each organisation (``test_the_world_has_a_row_of_every_tenant_model_in_each_organisation``).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import models

from bastion.contracts.principal import Principal, Role
from bastion.contracts.scans import TargetKind
from bastion.core.accounts.models import User
from bastion.core.assets import services as asset_services
from bastion.core.assistant import services as assistant_services
from bastion.core.assistant.choices import MessageRole, ProposalAction
from bastion.core.findings import saved_views
from bastion.core.findings import services as finding_services
from bastion.core.findings.choices import Status
from bastion.core.findings.models import FigureVersion
from bastion.core.imports.models import ImportJob, WebhookDelivery, WebhookSecret
from bastion.core.scans import services as scan_services
from bastion.core.sealed import seal
from bastion.core.tenancy import services as tenancy_services
from bastion.core.tenancy.models import Organization
from bastion.core.tenancy.querysets import DEFAULT_PATH, TenantQuerySet
from bastion.core.tenancy.selectors import principal_for_session
from tests import factories


def _is_tenant_model(model: type[models.Model]) -> bool:
    return isinstance(model._default_manager.all(), TenantQuerySet)


TENANT_MODELS = sorted((m for m in apps.get_models() if _is_tenant_model(m)), key=lambda m: m._meta.label)
LABELS = [model._meta.label for model in TENANT_MODELS]


def _rows(model: type[models.Model]) -> TenantQuerySet[Any]:
    rows = model._default_manager.all()
    assert isinstance(rows, TenantQuerySet)
    return rows


def _organization_id_of(row: models.Model) -> int | None:
    """Walk a row's ``organization_path`` in Python: the answer the query must agree with."""
    path: str = getattr(type(row), "organization_path", DEFAULT_PATH)
    if path == "pk":
        return int(row.pk)
    *hops, last = path.split("__")
    value: Any = row
    for hop in hops:
        value = getattr(value, hop)
    organization_id = getattr(value, f"{last}_id")
    return None if organization_id is None else int(organization_id)


def _organizations_of(rows: models.QuerySet[Any]) -> set[int | None]:
    return {_organization_id_of(row) for row in rows}


def _one_of_everything(org: Organization, user: User) -> None:
    """Give an organisation a row of every tenant model (most through the product's services)."""
    factories.token_key(user, org)
    asset = factories.asset(org)
    tag = asset_services.create_tag(actor=None, organization=org, name="pci")
    finding = factories.finding(
        asset,
        engagement=factories.engagement(asset),
        advisory_ids=["CVE-2024-0001"],
        cwe_ids=[79],
        tags=[tag],
    )
    finding_services.add_comment(actor=user, finding=finding, body="seen")
    finding_services.transition(actor=user, finding=finding, to_status=Status.TRIAGED, reason="checked")
    finding_services.set_sla_policy(actor=user, organization=org, high_days=20)
    job = ImportJob.objects.create(organization=org, asset=asset, created_by=user, storage_key="uploads/x")
    job.sightings.create(finding=finding)
    WebhookSecret.objects.create(organization=org, secret=seal("a long webhook secret"))
    saved_views.save_view(user=user, organization=org, name="mine", query="severity=high")
    FigureVersion.objects.create(organization=org, version=1)
    WebhookDelivery.objects.create(organization=org, delivery_id="delivery-1", import_job=job)
    conversation = assistant_services.start_conversation(
        user_id=user.pk, organization_id=org.pk, title="What is open?"
    )
    assistant_services.add_message(conversation_id=conversation.pk, role=MessageRole.USER, content="hi")
    assistant_services.propose(
        conversation=conversation, action=ProposalAction.STATUS, finding_ids=[finding.pk], to_status="triaged"
    )
    assistant_services.spend_tokens(organization_id=org.pk, tokens=10)
    scan_services.add_allowed_range(actor=user, organization=org, value="203.0.113.0/24")
    scan_services.request_scan(actor=user, asset=asset, kind=TargetKind.HOST, target="203.0.113.7")
    scan_services.save_schedule(
        actor=user, asset=asset, kind=TargetKind.HOST, target="203.0.113.8", cron="daily"
    )


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """Two organisations with a row of every tenant model each, made by their owners."""
    north, south = factories.organization("north"), factories.organization("south")
    for org in (north, south):
        _one_of_everything(org, factories.member(org, Role.OWNER, email=f"owner@{org.slug}.test"))
    return {"north": north, "south": south}


def _principal(user: User) -> Principal:
    return principal_for_session(user=user)


def test_the_tenant_models_are_found() -> None:
    assert LABELS == [
        "assets.Asset",
        "assets.Tag",
        "assistant.Conversation",
        "assistant.Message",
        "assistant.Proposal",
        "assistant.TokenUsage",
        "audit.AuditEvent",
        "engagements.Engagement",
        "findings.Comment",
        "findings.FigureVersion",
        "findings.Finding",
        "findings.FindingAdvisory",
        "findings.FindingCwe",
        "findings.FindingTransition",
        "findings.SavedView",
        "findings.SlaPolicy",
        "imports.ImportJob",
        "imports.Sighting",
        "imports.WebhookDelivery",
        "imports.WebhookSecret",
        "scans.AllowedRange",
        "scans.ScanJob",
        "scans.ScanSchedule",
        "tenancy.ApiToken",
        "tenancy.Membership",
        "tenancy.Organization",
    ]


def test_every_model_that_points_at_an_organisation_is_a_tenant_model() -> None:
    pointing = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is Organization
    }
    assert pointing - set(LABELS) == set()


@pytest.mark.parametrize("model", TENANT_MODELS, ids=LABELS)
def test_the_world_has_a_row_of_every_tenant_model_in_each_organisation(
    world: dict[str, Any], model: type[models.Model]
) -> None:
    assert _organizations_of(model._default_manager.all()) == {world["north"].pk, world["south"].pk}


@pytest.mark.parametrize("model", TENANT_MODELS, ids=LABELS)
def test_a_member_of_one_organisation_reaches_only_its_rows(
    world: dict[str, Any], model: type[models.Model]
) -> None:
    # given: a viewer of the north only
    viewer = factories.member(world["north"], Role.VIEWER, email="viewer@north.test")
    north_rows = {
        row.pk for row in model._default_manager.all() if _organization_id_of(row) == world["north"].pk
    }
    # when
    reached = _rows(model).for_principal(_principal(viewer))
    # then
    assert {row.pk for row in reached} == north_rows
    assert _organizations_of(reached) == {world["north"].pk}


@pytest.mark.parametrize("model", TENANT_MODELS, ids=LABELS)
def test_at_least_keeps_the_organisations_where_the_role_allows_it(
    world: dict[str, Any], model: type[models.Model]
) -> None:
    # given: a viewer of the north who is an admin of the south
    user = factories.member(world["north"], Role.VIEWER, email="both@example.test")
    tenancy_services.set_membership(organization=world["south"], user=user, role=Role.ADMIN)
    principal = _principal(user)
    north, south = world["north"].pk, world["south"].pk
    # when
    reached = {
        role: _organizations_of(_rows(model).for_principal(principal, at_least=role))
        for role in (Role.VIEWER, Role.ANALYST, Role.ADMIN, Role.OWNER)
    }
    # then
    assert reached == {
        Role.VIEWER: {north, south},
        Role.ANALYST: {south},
        Role.ADMIN: {south},
        Role.OWNER: set(),
    }
