"""The admin site: every model registered; staff see and edit only their organisations' rows."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client

from bastion.contracts.principal import Role
from bastion.core.findings.admin import FindingAdmin
from tests import factories

DOMAIN_APPS = {"accounts", "tenancy", "assets", "engagements", "findings", "audit"}


def test_every_domain_model_is_registered() -> None:
    models = [m for m in apps.get_models() if m._meta.app_label in DOMAIN_APPS and not m._meta.auto_created]
    unregistered = [m._meta.label for m in models if m not in admin.site._registry]
    inline_only = {"findings.FindingAdvisory", "findings.FindingCwe", "findings.FindingTransition"}
    # A user's own saved list views, and the dashboard cache's bookkeeping: nothing for staff to edit.
    not_administered = {"findings.SavedView", "findings.FigureVersion"}
    assert sorted(set(unregistered) - inline_only - not_administered) == []


def test_finding_admin_is_configured_as_the_design_says() -> None:
    assert FindingAdmin.list_display == ["title", "severity", "status", "asset", "created_at"]
    assert FindingAdmin.list_filter == ["severity", "status", "asset__organization"]
    assert FindingAdmin.search_fields == ["title", "description", "advisories__identifier"]
    assert {"created_at", "updated_at"} <= set(FindingAdmin.readonly_fields)


@pytest.fixture
def staff_world(db: None) -> dict[str, object]:
    home, away = factories.organization("home"), factories.organization("away")
    staff = factories.member(home, Role.ADMIN, email="staff@home.test")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    mine = factories.finding(factories.asset(home), title="Home finding")
    theirs = factories.finding(factories.asset(away), title="Away finding")
    client = Client()
    client.force_login(staff)
    return {"client": client, "mine": mine, "theirs": theirs}


def test_staff_lists_only_their_organisations_findings(staff_world: dict[str, object]) -> None:
    response = staff_world["client"].get("/admin/findings/finding/")  # type: ignore[attr-defined]

    assert response.status_code == 200
    assert "Home finding" in response.content.decode()
    assert "Away finding" not in response.content.decode()


def test_staff_cannot_open_or_change_another_organisations_finding(
    staff_world: dict[str, object],
) -> None:
    client, theirs, mine = staff_world["client"], staff_world["theirs"], staff_world["mine"]

    other = client.get(f"/admin/findings/finding/{theirs.pk}/change/")  # type: ignore[attr-defined]
    own = client.get(f"/admin/findings/finding/{mine.pk}/change/")  # type: ignore[attr-defined]

    assert other.status_code == 302  # Django's admin redirects to the index for a missing object
    assert own.status_code == 200
