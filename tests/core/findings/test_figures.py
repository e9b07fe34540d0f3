"""The dashboard's figures: per organisation, added up across organisations, cached until a change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from bastion.contracts.finding import Severity
from bastion.contracts.principal import Role
from bastion.core.assets import services as asset_services
from bastion.core.findings import figures
from bastion.core.findings import services as finding_services
from bastion.core.findings.choices import Status
from bastion.core.findings.models import FigureVersion, Finding
from bastion.core.tenancy.models import Organization
from bastion.core.tenancy.selectors import principal_for_session
from tests import factories

pytestmark = pytest.mark.django_db


def _seed(org: Organization, *, criticality: int) -> dict[str, Any]:
    now = timezone.now()
    today = now.date()
    asset = factories.asset(org, name=f"{org.slug}-web", criticality=criticality)
    critical = factories.finding(asset, severity="critical")
    Finding.objects.filter(pk=critical.pk).update(sla_due_on=today - timedelta(days=1))
    high = factories.finding(asset, severity="high", status="triaged")
    Finding.objects.filter(pk=high.pk).update(sla_due_on=today + timedelta(days=2))
    fixed = factories.finding(asset, severity="medium", status="resolved")
    Finding.objects.filter(pk=fixed.pk).update(first_seen=now - timedelta(days=4), resolved_at=now)
    return {"asset": asset, "critical": critical, "high": high}


@pytest.fixture
def two() -> dict[str, Any]:
    acme, globex = factories.organization("acme"), factories.organization("globex")
    lead = factories.member(acme, Role.ANALYST, email="lead@example.com")
    factories.member(globex, Role.VIEWER, email="other@example.com")
    from bastion.core.tenancy import services as tenancy

    tenancy.set_membership(organization=globex, user=lead, role=Role.VIEWER)
    return {
        "acme": acme,
        "globex": globex,
        "lead": lead,
        "a": _seed(acme, criticality=5),
        "g": _seed(globex, criticality=2),
    }


def _figures_of(two: dict[str, Any], org: Organization | None) -> figures.Figures:
    principal = principal_for_session(user=two["lead"])
    return figures.dashboard_figures(principal=principal, organization_id=None if org is None else org.pk)


def test_one_organisation_counts_its_own_findings(two: dict[str, Any]) -> None:
    result = _figures_of(two, two["acme"])

    assert result.open_by_severity == {
        Severity.CRITICAL: 1,
        Severity.HIGH: 1,
        Severity.MEDIUM: 0,
        Severity.LOW: 0,
        Severity.INFO: 0,
    }
    assert (result.sla.breached, result.sla.due_soon) == (1, 1)
    assert result.mean_time_to_remediate[Severity.MEDIUM] == timedelta(days=4)
    assert result.mean_time_to_remediate[Severity.HIGH] is None
    assert [row["asset__name"] for row in result.riskiest_assets] == ["acme-web"]
    assert sum(week.opened for week in result.weeks) == 3
    assert sum(week.closed for week in result.weeks) == 1
    assert len(result.weeks) == 12
    assert result.has_findings is True


def test_all_organisations_add_up_and_rank_assets_together(two: dict[str, Any]) -> None:
    result = _figures_of(two, None)

    assert result.open_by_severity[Severity.CRITICAL] == 2
    assert result.open_by_severity[Severity.HIGH] == 2
    assert (result.sla.breached, result.sla.due_soon) == (2, 2)
    assert result.mean_time_to_remediate[Severity.MEDIUM] == timedelta(days=4)
    assert [row["asset__name"] for row in result.riskiest_assets] == ["acme-web", "globex-web"]
    assert [row["score"] for row in result.riskiest_assets] == [75, 30]
    assert sum(week.opened for week in result.weeks) == 6


def test_an_organisation_the_caller_does_not_belong_to_counts_nothing(two: dict[str, Any]) -> None:
    stranger = factories.organization("initech")
    factories.finding(factories.asset(stranger), severity="critical")

    result = _figures_of(two, stranger)

    assert result.open_by_severity[Severity.CRITICAL] == 0
    assert result.has_findings is False
    assert result.riskiest_assets == []


def test_cached_figures_cost_one_query(two: dict[str, Any], django_assert_num_queries: Any) -> None:
    principal = principal_for_session(user=two["lead"])
    first = figures.dashboard_figures(principal=principal, organization_id=None)

    with django_assert_num_queries(1):  # the organisations' figures versions
        again = figures.dashboard_figures(principal=principal, organization_id=None)

    assert again == first


def test_a_transition_moves_the_figures_on_once_committed(
    two: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # given: the figures are cached
    assert _figures_of(two, two["acme"]).open_by_severity[Severity.CRITICAL] == 1
    # when
    with django_capture_on_commit_callbacks(execute=True):
        finding_services.transition(
            actor=None, finding=two["a"]["critical"], to_status=Status.RESOLVED, reason="fixed"
        )
    # then
    after = _figures_of(two, two["acme"])
    assert after.open_by_severity[Severity.CRITICAL] == 0
    assert after.sla.breached == 0
    assert FigureVersion.objects.get(organization=two["acme"]).version == 1
    assert not FigureVersion.objects.filter(organization=two["globex"]).exists()


def test_a_rolled_back_change_leaves_the_version_alone(
    two: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        finding_services.transition(actor=None, finding=two["a"]["high"], to_status=Status.IN_PROGRESS)

    assert len(callbacks) == 1  # run only when the transaction commits
    assert not FigureVersion.objects.exists()


def test_a_new_finding_and_an_asset_change_move_the_figures_on(
    two: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    assert [row["score"] for row in _figures_of(two, None).riskiest_assets] == [75, 30]

    with django_capture_on_commit_callbacks(execute=True):
        factories.finding(two["g"]["asset"], severity="critical")
        asset_services.update_asset(actor=None, asset=two["g"]["asset"], criticality=5)

    result = _figures_of(two, None)
    assert result.open_by_severity[Severity.CRITICAL] == 3
    assert [row["asset__name"] for row in result.riskiest_assets] == ["globex-web", "acme-web"]
    assert [row["score"] for row in result.riskiest_assets] == [125, 75]


def test_deleting_an_asset_moves_the_figures_on(
    two: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    assert _figures_of(two, two["acme"]).has_findings is True

    with django_capture_on_commit_callbacks(execute=True):
        asset_services.delete_asset(actor=None, asset=two["a"]["asset"])

    result = _figures_of(two, two["acme"])
    assert result.has_findings is False
    assert result.riskiest_assets == []
