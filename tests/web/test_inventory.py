"""The assets and engagements pages: figures from the database, writes through the services, roles."""

from __future__ import annotations

import pytest
from django.test import Client

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.assets.models import Asset
from bastion.core.audit.models import AuditEvent
from bastion.core.engagements.models import Engagement
from bastion.core.tenancy.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def org() -> Organization:
    return factories.organization("acme")


@pytest.fixture
def other() -> Organization:
    return factories.organization("globex")


def test_the_asset_list_counts_open_findings_by_severity(org: Organization, other: Organization) -> None:
    # given
    web = factories.asset(org, name="web-shop")
    factories.finding(web, severity="critical")
    factories.finding(web, severity="critical", status="triaged")
    factories.finding(web, severity="low")
    factories.finding(web, severity="high", status="resolved")
    factories.asset(org, name="quiet")
    factories.finding(factories.asset(other, name="globex-secret"), severity="critical")
    client = client_for(factories.member(org, Role.VIEWER))

    # when
    response = client.get("/assets/")

    # then
    assert response.status_code == 200
    rows = {row["asset"].name: [c["count"] for c in row["counts"]] for row in response.context["rows"]}
    assert rows == {"quiet": [0, 0, 0, 0, 0], "web-shop": [2, 0, 0, 1, 0]}
    assert b"globex-secret" not in response.content
    assert (
        f'href="/findings/?organization=acme&amp;asset={web.pk}&amp;status=open&amp;status=triaged'
        '&amp;status=in_progress&amp;status=reopened&amp;severity=critical"'.encode()
    ) in response.content
    assert b"New asset" not in response.content  # a viewer sees no write control


def test_the_asset_list_says_what_to_do_when_empty(org: Organization) -> None:
    response = client_for(factories.member(org, Role.ADMIN)).get("/assets/")

    assert response.status_code == 200
    assert b"No assets yet" in response.content
    assert b'href="/assets/new"' in response.content
    assert b'href="/imports/"' in response.content


def test_the_asset_page_shows_its_findings_imports_and_links(org: Organization) -> None:
    # given
    web = factories.asset(org, name="web-shop")
    factories.finding(web, severity="high", title="SQL injection in login")
    client = client_for(factories.member(org, Role.ANALYST))

    # when
    response = client.get(f"/assets/{web.pk}/")

    # then
    assert response.status_code == 200
    assert [row["count"] for row in response.context["counts"]] == [0, 1, 0, 0, 0]
    assert b"SQL injection in login" in response.content
    assert f'href="/findings/?organization=acme&amp;asset={web.pk}"'.encode() in response.content
    assert len(response.context["weeks"]) == 12
    assert b"Edit asset" not in response.content  # an analyst does not manage assets


def test_another_organisations_asset_is_not_found(org: Organization, other: Organization) -> None:
    secret = factories.asset(other, name="globex-secret")
    client = client_for(factories.member(org, Role.OWNER))

    assert client.get(f"/assets/{secret.pk}/").status_code == 404
    assert client.get(f"/assets/{secret.pk}/edit").status_code == 404
    assert client.post(f"/assets/{secret.pk}/edit", {"name": "mine"}).status_code == 404
    secret.refresh_from_db()
    assert secret.name == "globex-secret"


def test_an_admin_creates_an_asset_through_the_service(org: Organization) -> None:
    # given
    admin = factories.member(org, Role.ADMIN)
    client = client_for(admin)
    fields = {
        "organization": org.pk,
        "kind": "repository",
        "name": "payments",
        "identifier": "https://git.example.com/acme/payments",
        "criticality": 4,
        "environment": "production",
    }

    # when
    response = client.post("/assets/new", fields)

    # then
    asset = Asset.objects.get(name="payments")
    assert response.status_code == 302
    assert response["Location"] == f"/assets/{asset.pk}/"
    assert (asset.organization, asset.criticality) == (org, 4)
    assert AuditEvent.objects.filter(actor=admin, action="create").count() == 1


def test_a_duplicate_asset_gets_the_models_message(org: Organization) -> None:
    existing = factories.asset(org, name="payments")
    client = client_for(factories.member(org, Role.ADMIN))

    response = client.post(
        "/assets/new",
        {
            "organization": org.pk,
            "kind": existing.kind,
            "name": "again",
            "identifier": existing.identifier,
            "criticality": 3,
            "environment": "production",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Asset with this Organization, Kind and Identifier already exists."
    ]
    assert Asset.objects.filter(name="again").count() == 0


def test_an_admin_edits_an_asset_and_bad_values_get_the_models_messages(org: Organization) -> None:
    asset = factories.asset(org, name="payments")
    client = client_for(factories.member(org, Role.ADMIN))
    fields = {
        "kind": asset.kind,
        "name": "payments-v2",
        "identifier": asset.identifier,
        "environment": "staging",
    }

    refused = client.post(f"/assets/{asset.pk}/edit", {**fields, "criticality": 9})
    saved = client.post(f"/assets/{asset.pk}/edit", {**fields, "criticality": 5})

    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "criticality": ["Ensure this value is less than or equal to 5."]
    }
    assert saved.status_code == 302
    asset.refresh_from_db()
    assert (asset.name, asset.criticality, asset.environment) == ("payments-v2", 5, "staging")


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ANALYST])
def test_a_forged_post_below_admin_is_refused(org: Organization, role: Role) -> None:
    asset = factories.asset(org, name="payments")
    client = client_for(factories.member(org, role))
    fields = {
        "kind": asset.kind,
        "name": "hacked",
        "identifier": "x",
        "criticality": 3,
        "environment": "test",
    }

    assert client.post("/assets/new", {**fields, "organization": org.pk}).status_code == 403
    assert client.post(f"/assets/{asset.pk}/edit", fields).status_code == 403
    assert (
        client.post("/engagements/new", {"asset": asset.pk, "kind": "audit", "name": "x"}).status_code == 403
    )
    assert list(Asset.objects.values_list("name", flat=True)) == ["payments"]
    assert Engagement.objects.count() == 0


def test_the_forms_post_with_csrf(org: Organization) -> None:
    asset = factories.asset(org, name="payments")
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.member(org, Role.ADMIN), backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(f"/assets/{asset.pk}/edit", {"name": "no-token"})

    assert response.status_code == 403
    assert "csrfmiddlewaretoken" in client.get(f"/assets/{asset.pk}/edit").content.decode()


def test_engagements_are_listed_created_and_edited_by_an_admin(
    org: Organization, other: Organization
) -> None:
    # given
    asset = factories.asset(org, name="payments")
    factories.finding(asset, severity="high")
    factories.engagement(factories.asset(other), name="globex-secret-pentest")
    client = client_for(factories.member(org, Role.ADMIN))

    # when
    created = client.post(
        "/engagements/new",
        {
            "asset": asset.pk,
            "kind": "pentest",
            "name": "Q3 pentest",
            "status": "planned",
            "starts_on": "2025-07-01",
        },
    )
    engagement = Engagement.objects.get(name="Q3 pentest")
    refused = client.post(
        f"/engagements/{engagement.pk}/edit",
        {
            "asset": asset.pk,
            "kind": "pentest",
            "name": "Q3 pentest",
            "status": "planned",
            "starts_on": "2025-07-01",
            "ends_on": "2025-06-01",
        },
    )
    listing = client.get("/engagements/")

    # then
    assert created.status_code == 302
    assert engagement.organization == org
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"ends_on": ["An engagement cannot end before it starts."]}
    assert [e.name for e in listing.context["page"]] == ["Q3 pentest"]
    assert b"globex-secret-pentest" not in listing.content


def test_engagements_empty_state_and_other_tenants_are_not_found(
    org: Organization, other: Organization
) -> None:
    secret = factories.engagement(factories.asset(other))
    client = client_for(factories.member(org, Role.VIEWER))

    listing = client.get("/engagements/")

    assert listing.status_code == 200
    assert b"No engagements yet" in listing.content
    assert b"/engagements/new" not in listing.content
    assert client.get(f"/engagements/{secret.pk}/edit").status_code == 404
