"""Tenant isolation and role policies, generated from the URL configuration.

Every route under /api/v1/ is found by walking the resolver, not listed by hand:
a new endpoint is covered as soon as it is routed, and one without a permission
policy fails ``test_every_endpoint_declares_a_role_for_every_action``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from bastion.contracts.principal import Role
from bastion.core.api.permissions import SUPERUSER
from bastion.core.assets import services as asset_services
from bastion.core.audit.models import AuditEvent
from bastion.core.findings import services as finding_services
from bastion.core.findings.models import Comment, Finding
from bastion.core.tenancy.models import Membership, Organization
from bastion.core.tenancy.querysets import TenantQuerySet
from tests import factories

METHOD_BODIES: dict[str, dict[str, Any]] = {"put": {}, "patch": {}, "post": {}}


@dataclass(frozen=True)
class Route:
    """One routed endpoint: its URL pattern, view class and method → action map."""

    pattern: str
    view: Any
    actions: dict[str, str]
    is_detail: bool

    def url(self, pk: int | None = None) -> str:
        path = self.pattern.replace("(?P<pk>[^/.]+)", str(pk))
        return "/" + path.replace("^", "").replace("$", "")

    @property
    def name(self) -> str:
        return self.url(0).removeprefix("/api/v1/")


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback))
    return found


def _routes() -> list[Route]:
    routes = []
    for pattern, callback in _walk(get_resolver().url_patterns):
        if not pattern.startswith("api/v1/") or "format" in pattern:
            continue
        view = getattr(callback, "cls", None)
        actions = dict(getattr(callback, "actions", None) or {})
        if view is None:
            continue
        if not actions:  # a plain APIView: its handler methods are its actions
            actions = {m: m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)}
        actions = {m: a for m, a in actions.items() if m in view.http_method_names}
        routes.append(Route(pattern, view, actions, is_detail="(?P<pk>" in pattern))
    return routes


ROUTES = _routes()
DETAIL_CASES = [(route, method) for route in ROUTES if route.is_detail for method in sorted(route.actions)]
LIST_ROUTES = [route for route in ROUTES if not route.is_detail and "get" in route.actions]
ROLES = list(Role)


def test_routes_were_found() -> None:
    names = {route.name for route in ROUTES}
    assert {
        "findings",
        "findings/0",
        "findings/0/transition",
        "findings/bulk",
        "assets/0",
        "me",
    } <= names


def test_every_endpoint_declares_a_role_for_every_action() -> None:
    undeclared = [
        f"{route.name} {method.upper()} ({action})"
        for route in ROUTES
        for method, action in route.actions.items()
        if action not in getattr(route.view, "permission_policy", {})
    ]
    assert undeclared == []


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """Two organisations with one of everything, and a token per role in the first."""
    home, other = factories.organization("home"), factories.organization("other")
    tokens, users = {}, {}
    for role in reversed(ROLES):  # the viewer's membership first: the one the tests change
        users[role] = factories.member(home, role, email=f"{role.value}@home.test")
        tokens[role] = factories.token_key(users[role], home)
    outsider = factories.member(other, Role.OWNER, email="owner@other.test")
    objects: dict[str, dict[str, Any]] = {}
    # The home comment is the analyst's own, so the analyst may edit it.
    for org, author in ((home, users[Role.ANALYST]), (other, outsider)):
        asset = factories.asset(org)
        engagement = factories.engagement(asset)
        tag = asset_services.create_tag(actor=None, organization=org, name="pci")
        finding = factories.finding(
            asset, engagement=engagement, advisory_ids=["CVE-2024-0001"], cwe_ids=[79], tags=[tag]
        )
        comment = finding_services.add_comment(actor=author, finding=finding, body="seen")
        objects[org.slug] = {
            "asset": asset,
            "engagement": engagement,
            "finding": finding,
            "comment": comment,
        }
    return {"home": home, "other": other, "tokens": tokens, "objects": objects}


def _client(world: dict[str, Any], role: Role) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world['tokens'][role]}")
    return client


def _model_of(route: Route) -> type[models.Model]:
    serializer = route.view.serializer_class
    return serializer.Meta.model  # type: ignore[no-any-return]


def _object_in(route: Route, organization: Organization) -> models.Model:
    model = _model_of(route)
    if model is Organization:
        return organization
    found: models.Model | None = _rows_in(model, organization).order_by("pk").first()
    assert found is not None, f"no {model.__name__} in {organization.slug}"
    return found


def _rows_in(model: type[models.Model], organization: Organization) -> TenantQuerySet[Any]:
    rows = model._default_manager.all()
    assert isinstance(rows, TenantQuerySet), f"{model.__name__} is not a tenant model"
    return rows.in_organization(organization.pk)


def _snapshot(model: type[models.Model]) -> list[tuple[Any, ...]]:
    return sorted(model._default_manager.values_list(*[f.attname for f in model._meta.concrete_fields]))


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
@pytest.mark.parametrize(
    ("route", "method"), DETAIL_CASES, ids=[f"{r.name} {m.upper()}" for r, m in DETAIL_CASES]
)
def test_another_organisations_object_is_404_and_untouched(
    world: dict[str, Any], route: Route, method: str, role: Role
) -> None:
    # given: an object of the other organisation
    target = _object_in(route, world["other"])
    model = type(target)
    before = _snapshot(model)
    # when
    response = getattr(_client(world, role), method)(
        route.url(target.pk), METHOD_BODIES.get(method, None), format="json"
    )
    # then
    assert response.status_code == 404, response.content
    assert _snapshot(model) == before


def _allowed(route: Route, method: str, role: Role) -> bool:
    needed = route.view.permission_policy[route.actions[method]]
    return needed != SUPERUSER and role.allows(needed)


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
@pytest.mark.parametrize(
    ("route", "method"), DETAIL_CASES, ids=[f"{r.name} {m.upper()}" for r, m in DETAIL_CASES]
)
def test_own_object_answers_by_role_policy(
    world: dict[str, Any], route: Route, method: str, role: Role
) -> None:
    # given: an object of the caller's own organisation
    target = _object_in(route, world["home"])
    # when
    response = getattr(_client(world, role), method)(
        route.url(target.pk), METHOD_BODIES.get(method, None), format="json"
    )
    # then
    if _allowed(route, method, role):
        assert response.status_code not in {401, 403, 404}, response.content
    else:
        assert response.status_code == 403, response.content


def _ids_in(payload: Any) -> set[int]:
    rows = payload["results"] if isinstance(payload, dict) and "results" in payload else payload
    if isinstance(rows, dict):
        rows = [rows]
    return {row["id"] for row in rows if isinstance(row, dict) and "id" in row}


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
@pytest.mark.parametrize("route", LIST_ROUTES, ids=[r.name for r in LIST_ROUTES])
def test_lists_never_show_another_organisation(world: dict[str, Any], route: Route, role: Role) -> None:
    # given
    client = _client(world, role)
    other_ids = set()
    if route.view is not None and hasattr(route.view, "serializer_class") and route.name != "me":
        model = _model_of(route)
        other_ids = set(_rows_in(model, world["other"]).values_list("pk", flat=True))
    queries = ["", "?organization=other", "?page_size=500"]
    if route.name == "findings":
        queries += [
            "?cve=CVE-2024-0001",
            "?cwe=79",
            "?q=Finding",
            "?severity=high",
            "?sla_breached=false",
        ]
    if route.name == "findings/showcase":
        queries = ["?organization=other"]
    for query in queries:
        # when
        response = client.get(route.url() + query)
        # then
        if route.name == "findings/showcase":
            assert response.status_code == 404
            continue
        needed = route.view.permission_policy[route.actions["get"]]
        if needed != SUPERUSER and not role.allows(needed):
            assert response.status_code == 200, route.name
            assert _ids_in(response.json()) == set(), route.name
            continue
        assert response.status_code == 200, (query, response.content)
        assert _ids_in(response.json()).isdisjoint(other_ids), query
        assert "other" not in {
            row.get("organization") for row in response.json().get("results", []) if isinstance(row, dict)
        }


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMIN, Role.OWNER], ids=lambda r: r.value)
@pytest.mark.parametrize("action", ["transition", "assign", "tag"])
def test_bulk_action_with_another_organisations_finding_is_404_and_changes_nothing(
    world: dict[str, Any], role: Role, action: str
) -> None:
    # given: one finding of each organisation
    mine, theirs = world["objects"]["home"]["finding"], world["objects"]["other"]["finding"]
    body: dict[str, Any] = {"ids": [mine.pk, theirs.pk], "action": action}
    body |= {
        "transition": {"status": "triaged"},
        "assign": {"assignee": None},
        "tag": {"tags": ["x"]},
    }[action]
    before = _snapshot(Finding)
    # when
    response = _client(world, role).post("/api/v1/findings/bulk", body, format="json")
    # then
    assert response.status_code == 404
    assert response.json() == {"detail": "1 of the findings were not found"}
    assert _snapshot(Finding) == before
    assert list(mine.tags.values_list("name", flat=True)) == ["pci"]


def test_creating_with_another_organisations_references_is_refused(world: dict[str, Any]) -> None:
    # given
    client = _client(world, Role.OWNER)
    theirs = world["objects"]["other"]
    before = (Finding.objects.count(), Comment.objects.count(), AuditEvent.objects.count())
    # when
    responses = [
        client.post(
            "/api/v1/findings",
            {"asset": theirs["asset"].pk, "title": "x", "severity": "low"},
            format="json",
        ),
        client.post("/api/v1/comments", {"finding": theirs["finding"].pk, "body": "x"}, format="json"),
        client.post(
            "/api/v1/engagements",
            {"asset": theirs["asset"].pk, "kind": "audit", "name": "x"},
            format="json",
        ),
        client.post(
            "/api/v1/assets",
            {"organization": "other", "kind": "host", "name": "x", "identifier": "x"},
            format="json",
        ),
        client.post("/api/v1/tags", {"organization": "other", "name": "x"}, format="json"),
        client.post(
            "/api/v1/memberships",
            {"organization": "other", "user": "owner@home.test", "role": "viewer"},
            format="json",
        ),
    ]
    # then
    assert [response.status_code for response in responses] == [400] * 6
    assert all("does not exist" in str(response.json()) for response in responses)
    assert (Finding.objects.count(), Comment.objects.count(), AuditEvent.objects.count()) == before


def test_token_of_another_organisation_member_sees_nothing_here(world: dict[str, Any]) -> None:
    outsider = Membership.objects.get(organization=world["other"]).user
    key = factories.token_key(outsider, world["other"], timedelta(days=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get("/api/v1/findings")

    assert response.status_code == 200
    assert _ids_in(response.json()) == {world["objects"]["other"]["finding"].pk}
    assert timezone.now()
