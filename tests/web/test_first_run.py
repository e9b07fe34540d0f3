"""First run: the administrator `bastion up` creates owns the demo organisation."""

from __future__ import annotations

import pytest

from bastion.cli import _ensure_admin_and_demo
from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.tenancy import services
from bastion.core.tenancy.models import Membership, Organization
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_settings(fresh_settings: pytest.MonkeyPatch) -> None:
    fresh_settings.setenv("BASTION_ADMIN_EMAIL", "root@example.com")
    fresh_settings.setenv("BASTION_ADMIN_PASSWORD", "a long admin password")


def _roles_in_demo() -> list[tuple[str, str]]:
    return list(
        Membership.objects.filter(organization__slug="demo")
        .values_list("user__email", "role")
        .order_by("user__email")
    )


def test_a_fresh_instance_makes_the_administrator_owner_of_demo(admin_settings: None) -> None:
    _ensure_admin_and_demo()

    assert User.objects.get(email="root@example.com").is_superuser is True
    assert _roles_in_demo() == [("root@example.com", "owner")]


def test_a_new_administrator_of_an_existing_demo_becomes_its_owner(admin_settings: None) -> None:
    # given: demo exists (an earlier administrator, another address)
    demo = factories.organization("demo")
    factories.member(demo, Role.OWNER, email="earlier@example.com")

    # when
    _ensure_admin_and_demo()

    # then
    assert _roles_in_demo() == [("earlier@example.com", "owner"), ("root@example.com", "owner")]


def test_an_administrator_taken_out_of_demo_is_not_put_back(admin_settings: None) -> None:
    # given
    _ensure_admin_and_demo()
    demo = Organization.objects.get(slug="demo")
    factories.member(demo, Role.OWNER, email="keeper@example.com")
    services.remove_membership(membership=Membership.objects.get(user__email="root@example.com"))

    # when: the next `bastion up`
    _ensure_admin_and_demo()

    # then
    assert _roles_in_demo() == [("keeper@example.com", "owner")]
