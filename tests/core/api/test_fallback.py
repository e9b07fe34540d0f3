"""Paths under /api/ that no endpoint matches: a 308 to the endpoint without the slash, else JSON 404."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from bastion.contracts.principal import Role
from bastion.core.findings.models import Finding
from tests import factories

NOT_FOUND = {"detail": "No API endpoint at this path; the paths are listed in /api/schema/."}


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    org = factories.organization("home")
    analyst = factories.member(org, Role.ANALYST, email="analyst@home.test")
    findings = [factories.finding(factories.asset(org)) for _ in range(2)]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token_key(analyst, org)}")
    return {"org": org, "analyst": analyst, "findings": findings, "client": client}


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/api/v1/findings/", "/api/v1/findings"),
        ("/api/v1/findings/?severity=high&ordering=-id", "/api/v1/findings?severity=high&ordering=-id"),
        ("/api/v1/findings/7/", "/api/v1/findings/7"),
        ("/api/v1/findings/7/transitions/", "/api/v1/findings/7/transitions"),
        ("/api/v1/me/", "/api/v1/me"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post", "patch", "delete", "head", "options"])
def test_a_trailing_slash_redirects_with_308_to_the_endpoint(
    world: dict[str, Any], path: str, location: str, method: str
) -> None:
    # given
    before = list(Finding.objects.order_by("pk").values_list("pk", "status", "assignee"))
    # when
    response = getattr(world["client"], method)(path)
    # then
    assert (response.status_code, response["Location"]) == (308, location)
    assert list(Finding.objects.order_by("pk").values_list("pk", "status", "assignee")) == before


def test_a_redirected_post_keeps_its_method_and_body(world: dict[str, Any]) -> None:
    ids = [finding.pk for finding in world["findings"]]

    response = world["client"].post(
        "/api/v1/findings/bulk/",
        {"ids": ids, "action": "transition", "status": "triaged"},
        format="json",
        follow=True,
    )

    assert response.redirect_chain == [("/api/v1/findings/bulk", 308)]
    assert response.json() == {"changed": 2}
    assert list(Finding.objects.filter(pk__in=ids).values_list("status", flat=True)) == ["triaged"] * 2


def test_a_redirected_read_answers_the_endpoints_json(world: dict[str, Any]) -> None:
    finding = world["findings"][0]

    response = world["client"].get(f"/api/v1/findings/{finding.pk}/", follow=True)

    assert response.status_code == 200
    assert response.json()["id"] == finding.pk


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing",
        "/api/v1/nothing/",
        "/api/v1/findings/7/nothing",
        "/api/v1/findings//",
        "/api/v1/",
        "/api/v1/findings/7/transition/extra/",
    ],
)
@pytest.mark.parametrize("signed_in", [True, False], ids=["token", "anonymous"])
def test_an_unknown_path_under_api_v1_is_a_json_404(
    world: dict[str, Any], path: str, signed_in: bool
) -> None:
    client = world["client"] if signed_in else APIClient()

    get, post = client.get(path), client.post(path, {"status": "resolved"}, format="json")

    assert (get.status_code, get["Content-Type"], get.json()) == (404, "application/json", NOT_FOUND)
    assert (post.status_code, post.json()) == (404, NOT_FOUND)
    assert list(Finding.objects.values_list("status", flat=True)) == ["open", "open"]


def test_a_session_post_to_a_slashed_path_is_redirected_not_refused_for_csrf(world: dict[str, Any]) -> None:
    # given: a session without the CSRF token, as a browser's fetch() that forgot it
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world["analyst"])
    ids = [finding.pk for finding in world["findings"]]
    # when
    redirected = client.post(
        "/api/v1/findings/bulk/", {"ids": ids, "action": "tag", "tags": ["x"]}, format="json"
    )
    followed = client.post(
        "/api/v1/findings/bulk", {"ids": ids, "action": "tag", "tags": ["x"]}, format="json"
    )
    # then: the endpoint itself refuses, in JSON
    assert (redirected.status_code, redirected["Location"]) == (308, "/api/v1/findings/bulk")
    assert followed.status_code == 403
    assert followed.json() == {"detail": "CSRF Failed: CSRF cookie not set."}
    assert list(Finding.objects.filter(tags__name="x")) == []


@pytest.mark.parametrize(
    ("path", "status", "location"),
    [
        ("/api/v2/findings", 404, None),
        ("/api/nothing/", 404, None),
        ("/api/schema", 308, "/api/schema/"),
        ("/api/v1/findings/", 308, "/api/v1/findings"),
    ],
)
def test_the_rest_of_api_answers_json(
    world: dict[str, Any], path: str, status: int, location: str | None
) -> None:
    response = world["client"].post(path)

    assert response.status_code == status
    if location is None:
        assert response.json() == NOT_FOUND
    else:
        assert response["Location"] == location
