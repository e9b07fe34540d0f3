"""A model's own validation (``clean``) reaches the API caller as a 400 naming the field."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from bastion.contracts.principal import Role
from bastion.core.assets.models import Asset
from bastion.core.engagements.models import Engagement
from tests import factories


def test_model_validation_error_is_a_400_with_the_field(db: None) -> None:
    # given
    org = factories.organization()
    admin = factories.member(org, Role.ADMIN)
    asset = factories.asset(org)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token_key(admin, org)}")
    # when: an engagement that ends before it starts (checked by Engagement.clean)
    response = client.post(
        "/api/v1/engagements",
        {
            "asset": asset.pk,
            "kind": "audit",
            "name": "Q3",
            "starts_on": "2026-10-01",
            "ends_on": "2026-09-01",
        },
        format="json",
    )
    # then
    assert response.status_code == 400
    assert response.json() == {"ends_on": ["An engagement cannot end before it starts."]}
    assert Engagement.objects.count() == 0


@pytest.mark.parametrize("body_format", ["json", "multipart", "form"])
@pytest.mark.parametrize("field", ["organization", "identifier", "name"])
def test_nul_in_a_body_field_is_a_400_naming_it_and_nothing_is_stored(
    db: None, body_format: str, field: str
) -> None:
    # given: found by schemathesis: a NUL reached PostgreSQL (DataError, 500)
    org = factories.organization()
    admin = factories.member(org, Role.ADMIN)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token_key(admin, org)}")
    body = {
        "organization": org.slug,
        "kind": "repository",
        "identifier": "https://git.example/a",
        "name": "A",
    }
    body[field] += "\x00"
    # when
    if body_format == "form":
        response = client.post(
            "/api/v1/assets", "&".join(f"{k}={v}" for k, v in body.items()),
            content_type="application/x-www-form-urlencoded",
        )  # fmt: skip
    else:
        response = client.post("/api/v1/assets", body, format=body_format)
    # then
    assert response.status_code == 400
    assert response.json() == {"detail": f"{field} must not contain NUL bytes"}
    assert Asset.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("/api/v1/findings?tool=a%00b", "'tool'"),
        ("/api/v1/assets?search=%00&ordering=name", "'search'"),
        ("/api/v1/audit-events?action=%00&a%00=1", "'action', 'a\\x00'"),
    ],
)
def test_nul_in_a_query_parameter_is_a_400(db: None, url: str, named: str) -> None:
    org = factories.organization()
    viewer = factories.member(org, Role.VIEWER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.token_key(viewer, org)}")

    response = client.get(url)

    assert response.status_code == 400
    assert response.json() == {"detail": f"query parameters must not contain NUL bytes: {named}"}
