"""The search select: a few options rendered, the rest found by name, only among the caller's rows."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.test import Client

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.assets.models import Asset
from bastion.core.tenancy.models import Organization
from bastion.core.web.pickers import PICKER_LIMIT, SearchSelect
from bastion.core.web.scope import SESSION_KEY
from tests import factories

pytestmark = pytest.mark.django_db
OPTION = re.compile(r'<option value="(\d+)"[^>]*>([^<]*)</option>')


def client_for(user: User, org: Organization | None = None) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if org is not None:
        session = client.session
        session[SESSION_KEY] = org.slug
        session.save()
    return client


class AssetForm(forms.Form):
    asset = forms.ModelChoiceField(
        queryset=Asset.objects.order_by("name", "id"), required=False, widget=SearchSelect(kind="assets")
    )


@pytest.fixture
def acme() -> Organization:
    org = factories.organization("acme")
    Asset.objects.bulk_create(
        Asset(organization=org, kind="repository", name=f"repo-{n:03d}", identifier=f"https://git.test/{n}")
        for n in range(120)
    )
    return org


def test_the_select_renders_the_first_choices_and_the_chosen_one(acme: Organization) -> None:
    chosen = Asset.objects.get(name="repo-110")

    html = str(AssetForm(data={"asset": str(chosen.pk)})["asset"])

    names = [name for _, name in OPTION.findall(html)]
    assert len(names) == PICKER_LIMIT + 1
    assert names[:2] == ["repo-000", "repo-001"]
    assert names[-1] == "repo-110"
    assert f'<option value="{chosen.pk}" selected>repo-110</option>' in html
    assert 'data-picker-url="/pick/assets?at_least=viewer"' in html


def test_a_value_beyond_the_rendered_ones_still_validates_and_a_foreign_one_does_not(
    acme: Organization,
) -> None:
    chosen = Asset.objects.get(name="repo-119")

    assert AssetForm(data={"asset": str(chosen.pk)}).is_valid()
    assert not AssetForm(data={"asset": "99999999"}).is_valid()


def test_the_search_answers_matching_options_of_the_callers_organisation(acme: Organization) -> None:
    other = factories.organization("globex")
    factories.asset(other, name="repo-100-of-globex")
    viewer = factories.member(acme, Role.VIEWER)

    response = client_for(viewer).get("/pick/assets", {"q": "repo-10", "at_least": "viewer"})

    assert response.status_code == 200
    assert [name for _, name in OPTION.findall(response.content.decode())] == [
        f"repo-1{n:02d}" for n in range(10)
    ]


def test_the_search_keeps_to_the_role_asked_for(acme: Organization) -> None:
    viewer = factories.member(acme, Role.VIEWER)

    response = client_for(viewer).get("/pick/assets", {"q": "repo", "at_least": "analyst"})

    assert response.status_code == 200
    assert OPTION.findall(response.content.decode()) == []
    assert "Nothing matches" in response.content.decode()


def test_the_search_keeps_to_the_organisation_the_pages_show(acme: Organization) -> None:
    other = factories.organization("globex")
    factories.asset(other, name="repo-globex")
    user = factories.member(acme, Role.ANALYST)
    from bastion.core.tenancy import services as tenancy

    tenancy.set_membership(organization=other, user=user, role=Role.ANALYST)

    everywhere = client_for(user).get("/pick/assets", {"q": "globex"})
    in_acme = client_for(user, acme).get("/pick/assets", {"q": "globex"})

    assert [name for _, name in OPTION.findall(everywhere.content.decode())] == ["repo-globex"]
    assert OPTION.findall(in_acme.content.decode()) == []


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("/pick/secrets", {"q": "x"}, 404),
        ("/pick/assets", {"q": "x", "at_least": "emperor"}, 404),
        ("/pick/assets", {"q": "x" * 101}, 400),
        ("/pick/assets", {"q": "x\x00"}, 400),
    ],
)
def test_hostile_searches_are_refused_clearly(
    acme: Organization, path: str, query: dict[str, str], status: int
) -> None:
    viewer = factories.member(acme, Role.VIEWER)

    response = client_for(viewer).get(path, query)

    assert response.status_code == status


def test_a_visitor_not_signed_in_is_sent_to_sign_in(acme: Organization) -> None:
    response = Client().get("/pick/assets", {"q": "repo"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
