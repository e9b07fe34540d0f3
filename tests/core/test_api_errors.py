"""A model's own validation (``clean``) reaches the API caller as a 400 naming the field."""

from __future__ import annotations

from rest_framework.test import APIClient

from bastion.contracts.principal import Role
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
