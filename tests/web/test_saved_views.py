"""Saved views of the findings list: each user's own, normalised through the list's form, per organisation."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.findings import saved_views
from bastion.core.findings.models import SavedView
from bastion.core.tenancy import services as tenancy_services
from bastion.core.tenancy.models import Membership, Organization
from tests import factories
from tests.web.test_findings import seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> Organization:
    organization = factories.organization("acme")
    seed(organization)
    return organization


@pytest.fixture
def other_org() -> Organization:
    return factories.organization("globex")


def client_for(user: User, *, organization: str | None = None) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if organization is not None:
        client.post("/organization", {"organization": organization})
    return client


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def names_listed(response: Any) -> list[str]:
    return [item["view"].name for item in response.context["saved_views"]]


def test_saving_keeps_only_the_lists_known_parameters(org: Organization) -> None:
    # given
    analyst = factories.member(org, Role.ANALYST)
    client = client_for(analyst)
    query = (
        "severity=critical&severity=high&tool=&bogus=1&cursor=abc&ordering=-severity&ordering=title"
        "&columns=tool&columns=nonsense&q=injection&q=xss&sla_due_after=2025-01-01"
    )

    # when
    response = client.post("/findings/views/save", {"name": "  Worst first  ", "query": query}, follow=True)

    # then: the last of a single-valued filter, a bad sort dropped, known columns only, no cursor
    view = SavedView.objects.get()
    assert (view.user_id, view.organization_id, view.name) == (analyst.pk, None, "Worst first")
    assert parse_qsl(view.query) == [
        ("severity", "critical"),
        ("severity", "high"),
        ("sla_due_after", "2025-01-01"),
        ("q", "xss"),
        ("columns", "tool"),
    ]
    assert response.redirect_chain == [(f"/findings/?{view.query}", 302)]
    assert messages_of(response) == ["View “Worst first” saved."]


def test_a_view_saved_in_an_organisation_keeps_to_it(org: Organization, other_org: Organization) -> None:
    # given: a member of both, with acme chosen in the switcher
    user = factories.member(org, Role.VIEWER)
    tenancy_services.set_membership(organization=other_org, user=user, role=Role.VIEWER)
    client = client_for(user, organization="acme")

    # when
    client.post("/findings/views/save", {"name": "Critical", "query": "severity=critical"})

    # then
    view = SavedView.objects.get()
    assert view.organization_id == org.pk
    assert parse_qsl(view.query) == [("organization", "acme"), ("severity", "critical")]


def test_a_view_with_filters_the_list_refuses_is_not_saved(
    org: Organization, other_org: Organization
) -> None:
    # given: a severity that does not exist, and an asset of another organisation
    foreign = factories.asset(other_org)
    client = client_for(factories.member(org, Role.ANALYST))

    # when
    responses = [
        client.post("/findings/views/save", {"name": "bad", "query": query}, follow=True)
        for query in ("severity=catastrophic", f"asset={foreign.pk}", "first_seen_after=yesterday")
    ]

    # then
    assert [messages_of(response) for response in responses] == [
        ["The view was not saved: correct the filters first."]
    ] * 3
    assert SavedView.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "query": "severity=low"}, "The view was not saved: This field is required."),
        ({"name": "   ", "query": "severity=low"}, "The view was not saved: This field is required."),
        (
            {"name": "x" * 101, "query": "severity=low"},
            "The view was not saved: Ensure this value has at most 100 characters (it has 101).",
        ),
        ({"name": "bad\x00name", "query": ""}, "The view was not saved: Null characters are not allowed."),
        ({"name": "ok", "query": "q=a\x00b"}, "The view was not saved: Null characters are not allowed."),
        (
            # Valid filters (a search is at most 1,000 characters), too long a query as a whole.
            {"name": "long", "query": "&".join(["severity=low"] * 308)},
            "The view was not saved: Ensure this value has at most 4000 characters (it has 4003).",
        ),
    ],
)
def test_a_bad_name_or_query_is_refused_and_nothing_saved(
    org: Organization, data: dict[str, str], message: str
) -> None:
    client = client_for(factories.member(org, Role.ANALYST))

    response = client.post("/findings/views/save", data, follow=True)

    assert response.status_code == 200
    assert messages_of(response) == [message]
    assert SavedView.objects.count() == 0


def test_saving_under_a_name_again_replaces_that_view(org: Organization) -> None:
    client = client_for(factories.member(org, Role.ANALYST))

    client.post("/findings/views/save", {"name": "Mine", "query": "severity=high"})
    client.post("/findings/views/save", {"name": "Mine", "query": "severity=low"})

    assert list(SavedView.objects.values_list("name", "query")) == [("Mine", "severity=low")]


def test_the_same_name_may_be_used_once_per_organisation_and_once_for_all(
    org: Organization, other_org: Organization
) -> None:
    # given
    user = factories.member(org, Role.ANALYST)
    tenancy_services.set_membership(organization=other_org, user=user, role=Role.VIEWER)
    client = client_for(user)

    # when: saved for all, in acme, in globex
    client.post("/findings/views/save", {"name": "Mine", "query": "severity=high"})
    for slug in ("acme", "globex"):
        client.post("/organization", {"organization": slug})
        client.post("/findings/views/save", {"name": "Mine", "query": "severity=high"})

    # then
    assert sorted(
        (view.organization.slug if view.organization else "", view.name) for view in SavedView.objects.all()
    ) == [("", "Mine"), ("acme", "Mine"), ("globex", "Mine")]


def test_a_user_lists_only_their_own_views(org: Organization) -> None:
    # given
    mine, theirs = factories.member(org, Role.ANALYST), factories.member(org, Role.OWNER)
    saved_views.save_view(user=mine, organization=None, name="Mine", query="severity=high")
    saved_views.save_view(user=theirs, organization=org, name="Theirs", query="severity=low")

    # when
    response = client_for(mine).get("/findings/")

    # then
    assert names_listed(response) == ["Mine"]
    assert b"Theirs" not in response.content


def test_the_views_listed_follow_the_chosen_organisation(org: Organization, other_org: Organization) -> None:
    # given: a view for all organisations, one in acme, one in globex
    user = factories.member(org, Role.VIEWER)
    tenancy_services.set_membership(organization=other_org, user=user, role=Role.VIEWER)
    for organization, name in [(None, "Everywhere"), (org, "In acme"), (other_org, "In globex")]:
        saved_views.save_view(user=user, organization=organization, name=name, query="")
    client = client_for(user)

    # when
    everywhere = client.get("/findings/")
    client.post("/organization", {"organization": "acme"})
    in_acme = client.get("/findings/")

    # then: with all organisations shown, each view says which one it keeps to
    assert [(item["view"].name, item["organization"]) for item in everywhere.context["saved_views"]] == [
        ("Everywhere", None),
        ("In acme", "acme"),
        ("In globex", "globex"),
    ]
    assert names_listed(in_acme) == ["Everywhere", "In acme"]


def test_a_view_of_an_organisation_the_user_left_is_neither_listed_nor_applied(
    org: Organization, other_org: Organization
) -> None:
    # given: a view in globex, then the user leaves globex
    user = factories.member(org, Role.VIEWER)
    tenancy_services.set_membership(organization=other_org, user=user, role=Role.VIEWER)
    factories.member(other_org, Role.OWNER)
    view = saved_views.save_view(user=user, organization=other_org, name="Globex", query="severity=high")
    tenancy_services.remove_membership(membership=Membership.objects.get(user=user, organization=other_org))
    client = client_for(user)

    # when
    listed = names_listed(client.get("/findings/"))
    applied = client.get(f"/findings/views/{view.pk}/")
    deleted = client.post(f"/findings/views/{view.pk}/delete")

    # then
    assert (listed, applied.status_code, deleted.status_code) == ([], 404, 404)
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_applying_a_view_shows_its_query(org: Organization) -> None:
    user = factories.member(org, Role.VIEWER)
    client = client_for(user)
    client.post("/findings/views/save", {"name": "High", "query": "severity=high&ordering=-severity"})
    view = SavedView.objects.get()

    response = client.get(f"/findings/views/{view.pk}/", follow=True)

    assert response.redirect_chain == [("/findings/?severity=high&ordering=-severity", 302)]
    assert [row["finding"].title for row in response.context["rows"]] == ["Reflected XSS"]
    assert [(item["view"].name, item["is_current"]) for item in response.context["saved_views"]] == [
        ("High", True)
    ]
    assert b'aria-current="true">High</a>' in response.content


def test_applying_a_stored_query_normalises_it_again(org: Organization) -> None:
    # given: a row changed in the database behind the form's back
    user = factories.member(org, Role.VIEWER)
    view = saved_views.save_view(user=user, organization=None, name="Tampered", query="severity=high")
    SavedView.objects.filter(pk=view.pk).update(query="next=https://evil.example&severity=low&cursor=x")

    # when
    response = client_for(user).get(f"/findings/views/{view.pk}/")

    # then
    assert (response.status_code, response["Location"]) == (302, "/findings/?severity=low")


def test_another_users_view_by_url_is_a_404_and_stays(org: Organization) -> None:
    # given
    owner = factories.member(org, Role.OWNER)
    view = saved_views.save_view(user=owner, organization=org, name="Owner's", query="severity=high")
    client = client_for(factories.member(org, Role.ADMIN))

    # when
    applied = client.get(f"/findings/views/{view.pk}/")
    deleted = client.post(f"/findings/views/{view.pk}/delete")

    # then
    assert (applied.status_code, deleted.status_code) == (404, 404)
    assert SavedView.objects.filter(pk=view.pk, name="Owner's").exists()


@pytest.mark.parametrize("view_id", ["0", "99999999999999999999999", "-1", "abc"])
def test_a_view_id_that_cannot_be_one_is_a_404(org: Organization, view_id: str) -> None:
    client = client_for(factories.member(org, Role.VIEWER))

    assert client.get(f"/findings/views/{view_id}/").status_code == 404
    assert client.post(f"/findings/views/{view_id}/delete").status_code == 404


def test_deleting_a_view_goes_back_to_the_list_as_it_was(org: Organization) -> None:
    # given
    user = factories.member(org, Role.VIEWER)
    view = saved_views.save_view(user=user, organization=None, name="Old", query="severity=high")
    kept = saved_views.save_view(user=user, organization=None, name="Kept", query="severity=low")
    client = client_for(user)

    # when
    response = client.post(
        f"/findings/views/{view.pk}/delete", {"next": "/findings/?severity=low"}, follow=True
    )

    # then
    assert response.redirect_chain == [("/findings/?severity=low", 302)]
    assert messages_of(response) == ["View “Old” deleted."]
    assert list(SavedView.objects.values_list("pk", flat=True)) == [kept.pk]


def test_applying_a_view_answers_a_get_only(org: Organization) -> None:
    user = factories.member(org, Role.VIEWER)
    view = saved_views.save_view(user=user, organization=None, name="Mine", query="")
    client = client_for(user)

    assert client.post(f"/findings/views/{view.pk}/").status_code == 405
    assert client.get(f"/findings/views/{view.pk}/delete").status_code == 405
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_a_forged_post_without_the_csrf_token_saves_and_deletes_nothing(org: Organization) -> None:
    # given
    user = factories.member(org, Role.ANALYST)
    view = saved_views.save_view(user=user, organization=None, name="Mine", query="")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    # when
    saved = client.post("/findings/views/save", {"name": "Forged", "query": ""})
    deleted = client.post(f"/findings/views/{view.pk}/delete")

    # then
    assert (saved.status_code, deleted.status_code) == (403, 403)
    assert list(SavedView.objects.values_list("name", flat=True)) == ["Mine"]


def test_a_visitor_is_sent_to_sign_in_and_saves_nothing() -> None:
    response = Client().post("/findings/views/save", {"name": "x", "query": ""})

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/findings/views/save")
    assert SavedView.objects.count() == 0


def test_the_page_offers_the_save_dialog_with_the_current_query(org: Organization) -> None:
    client = client_for(factories.member(org, Role.VIEWER))

    response = client.get("/findings/?severity=high&cursor=abc")

    assert b'<dialog id="save-view"' in response.content
    assert b'name="query" value="severity=high"' in response.content
    assert b"No saved view yet" in response.content


def test_a_user_keeps_at_most_the_limit_of_views(org: Organization) -> None:
    # given
    user = factories.member(org, Role.VIEWER)
    SavedView.objects.bulk_create(
        SavedView(user=user, name=f"view {number}", query="")
        for number in range(saved_views.MAX_VIEWS_PER_USER)
    )
    client = client_for(user)

    # when
    refused = client.post("/findings/views/save", {"name": "one more", "query": ""}, follow=True)
    replaced = client.post("/findings/views/save", {"name": "view 1", "query": "severity=low"}, follow=True)

    # then
    assert messages_of(refused) == [
        "The view was not saved: You already have 100 saved views: delete one before saving another."
    ]
    assert messages_of(replaced) == ["View “view 1” saved."]
    assert SavedView.objects.count() == 100
    assert SavedView.objects.get(name="view 1").query == "severity=low"


def test_the_service_refuses_an_organisation_the_user_is_not_in(
    org: Organization, other_org: Organization
) -> None:
    user = factories.member(org, Role.OWNER)

    with pytest.raises(ValidationError) as raised:
        saved_views.save_view(user=user, organization=other_org, name="Theirs", query="")

    assert raised.value.message_dict == {"organization": ["You are not a member of this organisation."]}
    assert SavedView.objects.count() == 0


def test_the_service_deletes_only_the_owners_view(org: Organization) -> None:
    owner, other = factories.member(org, Role.VIEWER), factories.member(org, Role.OWNER)
    view = saved_views.save_view(user=owner, organization=org, name="Mine", query="")

    with pytest.raises(PermissionDenied):
        saved_views.delete_view(user=other, view=view)

    assert SavedView.objects.filter(pk=view.pk).exists()


def test_the_saved_query_leads_to_the_same_rows_as_the_list_it_was_saved_from(org: Organization) -> None:
    # given
    client = client_for(factories.member(org, Role.VIEWER))
    shown = client.get("/findings/?status=open&status=triaged&ordering=-severity&columns=tool")

    # when
    saved = client.post(
        "/findings/views/save",
        {"name": "Open", "query": "status=open&status=triaged&ordering=-severity&columns=tool"},
        follow=True,
    )

    # then
    assert urlsplit(saved.redirect_chain[0][0]).path == "/findings/"
    assert [row["finding"].pk for row in saved.context["rows"]] == [
        row["finding"].pk for row in shown.context["rows"]
    ]
    assert saved.context["column_names"] == ["tool"]
