"""The member list every member may read: whom to assign a finding to, or ask to approve a risk."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.tenancy import services as tenancy_services
from tests import factories


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    home, away = factories.organization("home"), factories.organization("away")
    people = {role: factories.member(home, role, email=f"{role.value}@home.test") for role in Role}
    User.objects.filter(pk=people[Role.ANALYST].pk).update(full_name="Ana Lyst")
    factories.member(away, Role.OWNER, email="owner@away.test")
    return {"home": home, "away": away, "people": people}


def _client(world: dict[str, Any], role: Role) -> APIClient:
    client = APIClient()
    key = factories.token_key(world["people"][role], world["home"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_member_reads_the_member_list(world: dict[str, Any], role: Role) -> None:
    # when
    response = _client(world, role).get(f"/api/v1/organizations/{world['home'].pk}/members")
    # then: by e-mail address, and nobody of another organisation
    people = world["people"]
    assert response.status_code == 200
    assert response.json() == [
        {"id": people[Role.ADMIN].pk, "email": "admin@home.test", "full_name": "", "role": "admin"},
        {
            "id": people[Role.ANALYST].pk,
            "email": "analyst@home.test",
            "full_name": "Ana Lyst",
            "role": "analyst",
        },
        {"id": people[Role.OWNER].pk, "email": "owner@home.test", "full_name": "", "role": "owner"},
        {"id": people[Role.VIEWER].pk, "email": "viewer@home.test", "full_name": "", "role": "viewer"},
    ]


def test_another_organisations_members_are_404(world: dict[str, Any]) -> None:
    response = _client(world, Role.OWNER).get(f"/api/v1/organizations/{world['away'].pk}/members")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Organization matches the given query."}


def test_a_token_reaches_only_its_own_organisations_members(world: dict[str, Any]) -> None:
    # given: the owner of home also belongs to away, but their token was issued for home
    both = world["people"][Role.OWNER]
    factories.member(world["away"], Role.VIEWER, email="viewer@away.test")
    from_session = APIClient()
    from_session.force_login(both)
    tenancy_services.set_membership(organization=world["away"], user=both, role=Role.ADMIN)
    # when
    by_token = _client(world, Role.OWNER).get(f"/api/v1/organizations/{world['away'].pk}/members")
    by_session = from_session.get(f"/api/v1/organizations/{world['away'].pk}/members")
    # then
    assert by_token.status_code == 404
    assert [(member["email"], member["role"]) for member in by_session.json()] == [
        ("owner@away.test", "owner"),
        ("owner@home.test", "admin"),
        ("viewer@away.test", "viewer"),
    ]


def test_anonymous_caller_is_refused(world: dict[str, Any]) -> None:
    response = APIClient().get(f"/api/v1/organizations/{world['home'].pk}/members")

    assert response.status_code == 401
