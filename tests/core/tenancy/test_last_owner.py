"""An organisation keeps at least one owner: the API, the admin and the CLI all refuse to remove the last."""

from __future__ import annotations

import threading
from typing import Any

import psycopg
import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client
from rest_framework.test import APIClient
from typer.testing import CliRunner

from bastion.cli import app
from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.audit.models import AuditEvent
from bastion.core.tenancy import services
from bastion.core.tenancy.exceptions import LastOwnerRequired
from bastion.core.tenancy.models import Membership, Organization
from tests import factories

REFUSED = "an organisation must keep at least one owner"


def _roles(organization: Organization) -> list[tuple[str, str]]:
    return list(
        Membership.objects.filter(organization=organization)
        .order_by("user__email")
        .values_list("user__email", "role")
    )


def _membership_events(organization: Organization) -> int:
    return AuditEvent.objects.filter(organization=organization, object_type="tenancy.membership").count()


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def sole_owner(db: None) -> dict[str, Any]:
    org = factories.organization("acme")
    owner = factories.member(org, Role.OWNER, email="owner@acme.test")
    factories.member(org, Role.ADMIN, email="admin@acme.test")
    return {"org": org, "owner": owner, "membership": Membership.objects.get(user=owner)}


@pytest.fixture
def superuser_client(db: None) -> Client:
    root = User.objects.create_superuser("root@example.com", "a long test password")
    client = Client()
    client.force_login(root)
    return client


# the service


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ANALYST, Role.VIEWER])
def test_item_6_service_refuses_to_demote_the_last_owner(sole_owner: dict[str, Any], role: Role) -> None:
    org, owner = sole_owner["org"], sole_owner["owner"]
    events = _membership_events(org)

    with pytest.raises(LastOwnerRequired) as refused:
        services.set_membership(organization=org, user=owner, role=role)

    assert str(refused.value) == f"{REFUSED}: acme has no other owner"
    assert _roles(org) == [("admin@acme.test", "admin"), ("owner@acme.test", "owner")]
    assert _membership_events(org) == events


def test_item_6_service_refuses_to_remove_the_last_owner(sole_owner: dict[str, Any]) -> None:
    org = sole_owner["org"]
    events = _membership_events(org)

    with pytest.raises(LastOwnerRequired):
        services.remove_membership(membership=sole_owner["membership"])

    assert _roles(org) == [("admin@acme.test", "admin"), ("owner@acme.test", "owner")]
    assert _membership_events(org) == events


def test_item_6_service_lets_one_of_two_owners_step_down(sole_owner: dict[str, Any]) -> None:
    org, owner = sole_owner["org"], sole_owner["owner"]
    second = User.objects.get(email="admin@acme.test")
    services.set_membership(organization=org, user=second, role=Role.OWNER)

    services.set_membership(organization=org, user=owner, role=Role.VIEWER)

    assert _roles(org) == [("admin@acme.test", "owner"), ("owner@acme.test", "viewer")]
    with pytest.raises(LastOwnerRequired):
        services.remove_membership(membership=Membership.objects.get(user=second))


# the API


def _api(user: User, org: Organization) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token_key(user, org)}")
    return client


def test_item_6_api_refuses_the_last_owner_demoting_themselves(sole_owner: dict[str, Any]) -> None:
    org, owner, membership = sole_owner["org"], sole_owner["owner"], sole_owner["membership"]
    client = _api(owner, org)
    events = _membership_events(org)

    response = client.patch(f"/api/v1/memberships/{membership.pk}", {"role": "viewer"}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": f"{REFUSED}: acme has no other owner"}
    assert _roles(org) == [("admin@acme.test", "admin"), ("owner@acme.test", "owner")]
    assert _membership_events(org) == events


def test_item_6_api_refuses_the_last_owner_leaving(sole_owner: dict[str, Any]) -> None:
    org, owner, membership = sole_owner["org"], sole_owner["owner"], sole_owner["membership"]
    client = _api(owner, org)

    response = client.delete(f"/api/v1/memberships/{membership.pk}")

    assert response.status_code == 409
    assert response.json() == {"detail": f"{REFUSED}: acme has no other owner"}
    assert _roles(org) == [("admin@acme.test", "admin"), ("owner@acme.test", "owner")]


def test_item_6_api_lets_an_owner_leave_once_another_owner_exists(sole_owner: dict[str, Any]) -> None:
    org, owner, membership = sole_owner["org"], sole_owner["owner"], sole_owner["membership"]
    client = _api(owner, org)
    other = Membership.objects.get(user__email="admin@acme.test")

    promoted = client.patch(f"/api/v1/memberships/{other.pk}", {"role": "owner"}, format="json")
    left = client.delete(f"/api/v1/memberships/{membership.pk}")

    assert (promoted.status_code, left.status_code) == (200, 204)
    assert _roles(org) == [("admin@acme.test", "owner")]


# the admin


def test_item_6_admin_change_form_refuses_demoting_the_last_owner(
    sole_owner: dict[str, Any], superuser_client: Client
) -> None:
    membership = sole_owner["membership"]
    url = f"/admin/tenancy/membership/{membership.pk}/change/"

    response = superuser_client.post(url, {"role": "viewer"})

    assert response.status_code == 302
    assert response["Location"] == url
    assert _messages(response) == [f"{REFUSED}: acme has no other owner. Nothing was saved."]
    assert _roles(sole_owner["org"]) == [("admin@acme.test", "admin"), ("owner@acme.test", "owner")]


def test_item_6_admin_change_form_changes_another_role_through_the_service(
    sole_owner: dict[str, Any], superuser_client: Client
) -> None:
    org = sole_owner["org"]
    other = Membership.objects.get(user__email="admin@acme.test")
    events = _membership_events(org)

    response = superuser_client.post(
        f"/admin/tenancy/membership/{other.pk}/change/",
        {"role": "viewer", "organization": factories.organization("elsewhere").pk},
    )

    assert response.status_code == 302
    assert _roles(org) == [("admin@acme.test", "viewer"), ("owner@acme.test", "owner")]
    assert _membership_events(org) == events + 1


def test_item_6_admin_delete_view_refuses_the_last_owner(
    sole_owner: dict[str, Any], superuser_client: Client
) -> None:
    membership = sole_owner["membership"]

    response = superuser_client.post(f"/admin/tenancy/membership/{membership.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert response["Location"] == f"/admin/tenancy/membership/{membership.pk}/change/"
    assert _messages(response) == [
        f"{REFUSED}: nothing was deleted (acme would have no owner left). Make someone else an owner first."
    ]
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_item_6_admin_bulk_delete_refuses_taking_every_owner(
    sole_owner: dict[str, Any], superuser_client: Client
) -> None:
    org = sole_owner["org"]
    second = User.objects.get(email="admin@acme.test")
    services.set_membership(organization=org, user=second, role=Role.OWNER)
    selected = list(Membership.objects.filter(organization=org).values_list("pk", flat=True))

    response = superuser_client.post(
        "/admin/tenancy/membership/",
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
    )

    assert response.status_code == 302
    assert _messages(response) == [
        f"{REFUSED}: nothing was deleted (acme would have no owner left). Make someone else an owner first."
    ]
    assert _roles(org) == [("admin@acme.test", "owner"), ("owner@acme.test", "owner")]


def test_item_6_admin_bulk_delete_still_deletes_what_leaves_an_owner(
    sole_owner: dict[str, Any], superuser_client: Client
) -> None:
    org = sole_owner["org"]
    other = Membership.objects.get(user__email="admin@acme.test")

    response = superuser_client.post(
        "/admin/tenancy/membership/",
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert _roles(org) == [("owner@acme.test", "owner")]
    assert AuditEvent.objects.filter(object_type="tenancy.membership", action="delete").count() == 1


def _inline_data(org: Organization, rows: list[dict[str, Any]], **deleted: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": org.slug,
        "name": org.name,
        "memberships-TOTAL_FORMS": len(rows),
        "memberships-INITIAL_FORMS": len(rows),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        data[f"memberships-{index}-id"] = row["id"]
        data[f"memberships-{index}-organization"] = org.pk
        data[f"memberships-{index}-user"] = row["user"]
        data[f"memberships-{index}-role"] = row["role"]
        if deleted.get(str(row["id"])):
            data[f"memberships-{index}-DELETE"] = "on"
    return data


def _rows(org: Organization) -> list[dict[str, Any]]:
    return [
        {"id": m.pk, "user": m.user_id, "role": m.role}
        for m in Membership.objects.filter(organization=org).order_by("user__email")
    ]


def test_item_6_admin_organisation_page_refuses_demoting_or_removing_the_last_owner(
    sole_owner: dict[str, Any], superuser_client: Client
) -> None:
    org, membership = sole_owner["org"], sole_owner["membership"]
    url = f"/admin/tenancy/organization/{org.pk}/change/"
    demoted = [{**row, "role": "viewer"} if row["id"] == membership.pk else row for row in _rows(org)]

    demoting = superuser_client.post(url, _inline_data(org, demoted))
    removing = superuser_client.post(url, _inline_data(org, _rows(org), **{str(membership.pk): True}))

    for response in (demoting, removing):
        assert response.status_code == 302
        assert response["Location"] == url
        assert _messages(response)[-1] == f"{REFUSED}: acme has no other owner. Nothing was saved."
    assert _roles(org) == [("admin@acme.test", "admin"), ("owner@acme.test", "owner")]


def test_item_6_admin_organisation_page_hands_ownership_over_in_one_save(
    sole_owner: dict[str, Any], superuser_client: Client
) -> None:
    org, membership = sole_owner["org"], sole_owner["membership"]
    swapped = [{**row, "role": "viewer" if row["id"] == membership.pk else "owner"} for row in _rows(org)]

    response = superuser_client.post(
        f"/admin/tenancy/organization/{org.pk}/change/", _inline_data(org, swapped)
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/tenancy/organization/"
    assert _roles(org) == [("admin@acme.test", "owner"), ("owner@acme.test", "viewer")]


def test_item_6_admin_refuses_deleting_the_user_who_is_the_last_owner(
    sole_owner: dict[str, Any], superuser_client: Client
) -> None:
    owner = sole_owner["owner"]

    single = superuser_client.post(f"/admin/accounts/user/{owner.pk}/delete/", {"post": "yes"})
    bulk = superuser_client.post(
        "/admin/accounts/user/", {"action": "delete_selected", "_selected_action": [owner.pk], "post": "yes"}
    )

    assert single.status_code == bulk.status_code == 302
    assert single["Location"] == f"/admin/accounts/user/{owner.pk}/change/"
    assert User.objects.filter(pk=owner.pk).exists()
    assert _roles(sole_owner["org"]) == [("admin@acme.test", "admin"), ("owner@acme.test", "owner")]


# the CLI


def test_item_6_cli_refuses_demoting_the_last_owner(sole_owner: dict[str, Any]) -> None:
    result = CliRunner().invoke(
        app, ["user", "create", "owner@acme.test", "--org", "acme", "--role", "viewer"]
    )

    assert result.exit_code == 2
    assert result.stderr.strip() == f"bastion: {REFUSED}: acme has no other owner"
    assert _roles(sole_owner["org"]) == [("admin@acme.test", "admin"), ("owner@acme.test", "owner")]


# two owners demoting each other at the same moment


def _observer() -> psycopg.Connection[Any]:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    )


def _waits_for_a_lock(observer: psycopg.Connection[Any], backend_pid: int) -> bool:
    row = observer.execute(
        "SELECT 1 FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'", [backend_pid]
    ).fetchone()
    return row is not None


@pytest.mark.django_db(transaction=True)
def test_item_6_two_owners_demoting_each_other_at_once_keep_one_owner() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite takes the database's write lock at BEGIN")
    # given: two owners
    org = factories.organization("duo")
    first = factories.member(org, Role.OWNER, email="first@duo.test")
    second = factories.member(org, Role.OWNER, email="second@duo.test")
    started = threading.Event()
    pid: list[int] = []
    outcome: list[BaseException | None] = []

    def demote_first() -> None:
        from django.db import connection as thread_connection

        try:
            with transaction.atomic():
                thread_connection.ensure_connection()
                pid.append(thread_connection.connection.info.backend_pid)
                started.set()
                services.set_membership(organization=org, user=first, role=Role.ADMIN)
            outcome.append(None)
        except LastOwnerRequired as error:
            outcome.append(error)
        finally:
            thread_connection.close()

    # when: the first owner demotes the second and, before that commits, the second demotes the first
    with _observer() as observer, transaction.atomic():
        services.set_membership(organization=org, user=second, role=Role.ADMIN)
        other = threading.Thread(target=demote_first)
        other.start()
        assert started.wait(10)
        for _ in range(20_000):  # until the other transaction waits for our owner rows
            if _waits_for_a_lock(observer, pid[0]):
                break
        else:
            pytest.fail("the second demotion never waited for the first one's lock")
    other.join(10)
    # then: the second demotion saw the first and was refused
    assert len(outcome) == 1
    assert isinstance(outcome[0], LastOwnerRequired)
    assert _roles(org) == [("first@duo.test", "owner"), ("second@duo.test", "admin")]
